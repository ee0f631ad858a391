package dev.nojit.bundle.manifest;

import java.util.Arrays;
import java.util.Optional;

/** Per-executable engine compatibility options ({@code nojit build --compat PATH=OPTION}). */
public enum Compat {
    /**
     * A call_indirect whose signature differs from the callee's does not trap; arguments and results are
     * adapted as a native call through a mistyped C function pointer would (WALI's bash needs it: it calls
     * {@code void f(void)} cleanup functions through {@code int (*)(int)} pointers).
     */
    LENIENT_CALL_INDIRECT("lenient-call-indirect");

    private final String jsonName;

    Compat(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    public static Optional<Compat> byName(String name) {
        return Arrays.stream(values()).filter(c -> c.jsonName.equals(name)).findFirst();
    }
}
