package dev.nojit.cli;

/**
 * Start-up markers for profiling {@code nojit run} (bench/startup): with NOJIT_STARTUP_TRACE=1 each
 * JVM prints {@code nojit-trace: JVM WHAT EPOCH_MS} on stderr at the points it passes; otherwise
 * nothing (one environment lookup).
 */
final class StartupTrace {
    private static final boolean ON = "1".equals(System.getenv("NOJIT_STARTUP_TRACE"));

    private StartupTrace() {}

    static void mark(String jvm, String what) {
        if (ON) System.err.println("nojit-trace: " + jvm + " " + what + " " + System.currentTimeMillis());
    }
}
