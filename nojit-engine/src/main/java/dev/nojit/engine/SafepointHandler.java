package dev.nojit.engine;

/** Host code run on a machine's own thread at its next safepoint (see {@link Machine#interrupt(SafepointHandler)}). */
@FunctionalInterface
public interface SafepointHandler {
    void atSafepoint(HostCall call);
}
