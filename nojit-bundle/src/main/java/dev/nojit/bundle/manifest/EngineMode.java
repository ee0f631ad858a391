package dev.nojit.bundle.manifest;

import java.util.Arrays;
import java.util.Optional;

/**
 * How an executable's code runs (SPEC §7): {@code interpreter}, the engine's interpreter over the
 * pre-decoded image; or {@code aot}, JVM classes translated from the module at build time and stored
 * as signed blobs ({@code nojit build --engine}). Neither generates code at run time.
 */
public enum EngineMode {
    INTERPRETER("interpreter"), AOT("aot");

    private final String jsonName;

    EngineMode(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    public static Optional<EngineMode> byName(String name) {
        return Arrays.stream(values()).filter(m -> m.jsonName.equals(name)).findFirst();
    }
}
