package dev.nojit.engine;

/** The module is valid WebAssembly but uses a feature this engine does not implement; the message names it. */
public final class UnsupportedFeatureException extends InvalidModuleException {
    public UnsupportedFeatureException(String feature) {
        super("uses " + feature + ", which the nojit engine does not implement");
    }
}
