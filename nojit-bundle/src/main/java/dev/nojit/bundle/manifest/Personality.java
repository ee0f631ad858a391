package dev.nojit.bundle.manifest;

import java.util.List;

/** The guest interfaces (import modules) a bundle's executables may use (SPEC §3). */
public final class Personality {
    /** Linux syscalls, WALI's interface. */
    public static final String WALI = "wali";
    /** WASI preview 1. */
    public static final String WASI_P1 = "wasi_snapshot_preview1";
    public static final List<String> ALL = List.of(WALI, WASI_P1);

    private Personality() {}

    public static boolean isKnown(String name) {
        return ALL.contains(name);
    }
}
