package dev.nojit.bundle.manifest;

/**
 * Names of the forms in which a bundle stores an executable for the engine. Until the engine
 * has its own pre-decoded form, the stored form is the validated module itself, so the
 * pre-decoded blob is the executable's own blob (content addressing stores it once).
 */
public final class PredecodedFormat {
    /** The WebAssembly binary, validated at build time. */
    public static final String WASM_BINARY = "wasm-binary";

    private PredecodedFormat() {}

    public static boolean isKnown(String format) {
        return WASM_BINARY.equals(format);
    }
}
