package dev.nojit.bundle.manifest;

import dev.nojit.engine.ModuleImage;

/**
 * Names of the forms in which a bundle stores an executable for the engine. There is one: the
 * engine's pre-decoded image, made from the validated module at build time. A manifest that
 * names any other form is refused, so the run time never meets a form it cannot load.
 */
public final class PredecodedFormat {
    /** {@link ModuleImage#serialize()}'s bytes, read back with {@link ModuleImage#deserialize}. */
    public static final String NOJIT_IMAGE = ModuleImage.FORMAT;

    private PredecodedFormat() {}

    public static boolean isKnown(String format) {
        return NOJIT_IMAGE.equals(format);
    }
}
