package dev.nojit.bundle;

import com.dylibso.chicory.wasm.WasmModule;
import dev.nojit.engine.InvalidModuleException;
import dev.nojit.engine.ModuleImage;

/**
 * The bundle's two meetings with the engine: at build time a verified module becomes the
 * bytes of its pre-decoded image; at run time those bytes (already checked against the
 * signed manifest) become a {@link ModuleImage} again. Both turn the engine's refusals into
 * one-line {@link BundleException}s that name the executable.
 */
final class ModuleImages {
    private ModuleImages() {}

    /**
     * The serialized image of a module that static verification has parsed and validated.
     *
     * @param label  the container path, for messages
     * @param wasm   the module's bytes: exactly those that were verified
     * @param parsed Chicory's parse of {@code wasm}, with validation on
     */
    static byte[] predecode(String label, byte[] wasm, WasmModule parsed) throws BundleException {
        byte[] image;
        try {
            image = ModuleImage.translate(wasm, parsed).serialize();
        } catch (InvalidModuleException e) {
            // The engine's message names the feature, e.g. "uses SIMD (v128), which the nojit engine does not implement",
            // or what its own structural checks found that the parser let through.
            throw new BundleException(label + ": " + e.getMessage());
        }
        if (image.length > BundleLimits.MAX_BLOB_BYTES) {
            throw new BundleException(label + ": its pre-decoded image is over the limit of " + BundleLimits.MAX_BLOB_BYTES + " bytes");
        }
        return image;
    }

    /** Reads back a pre-decoded image; the bytes have passed their hash check already. */
    static ModuleImage load(String label, byte[] image) throws BundleException {
        try {
            return ModuleImage.deserialize(image);
        } catch (InvalidModuleException e) {
            throw new BundleException(label + ": the pre-decoded image (" + ModuleImage.FORMAT + ") cannot be loaded: " + e.getMessage(), e);
        }
    }
}
