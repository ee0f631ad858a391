package dev.nojit.cli;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The shim's own JVM under strict lockdown. After it has spawned the vkernel the shim installs the
 * same seccomp filter on itself, and HotSpot survives a ban on new executable memory only with a
 * code cache that never grows (equal initial and reserved sizes) or without a JIT (-Xint): a
 * default JVM dies at its first code-cache growth whether the filter kills or answers EPERM
 * (measured). A shim started with default flags therefore starts itself again with the right ones.
 */
final class ShimJvm {
    static final String REEXEC_ENV = "NOJIT_SHIM_REEXEC";

    private ShimJvm() {}

    /** Whether this JVM can run under the filter: a fixed-size code cache, or no JIT. */
    static boolean filterSafe() {
        if (System.getProperty("java.vm.info", "").contains("interpreted mode")) return true;
        HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String reserved = hs.getVMOption("ReservedCodeCacheSize").getValue();
        String initial = hs.getVMOption("InitialCodeCacheSize").getValue();
        return reserved.equals(initial);
    }

    /**
     * The AOT cache this JVM started from ({@code -XX:AOTCache}, {@link dev.nojit.host.spawn.AotCache}),
     * if the kernel shows it mapped: used, not only asked for.
     */
    static java.util.Optional<java.nio.file.Path> aotCache() {
        String v = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption("AOTCache").getValue();
        if (v == null || v.isEmpty()) return java.util.Optional.empty();
        java.nio.file.Path cache = java.nio.file.Path.of(v).toAbsolutePath();
        return dev.nojit.host.spawn.AotCache.mappedIn(-1, cache) ? java.util.Optional.of(cache) : java.util.Optional.empty();
    }

    /** Whether this JVM is already the restarted one (no second restart: fail instead). */
    static boolean restarted() {
        return "1".equals(System.getenv(REEXEC_ENV));
    }

    /** Runs {@code nojit ARGS} again in a JVM with a fixed code cache; returns its exit code. */
    static int restart(List<String> args) throws java.io.IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(NojitJvm.command(args)).inheritIO();
        pb.environment().put(REEXEC_ENV, "1");
        return pb.start().waitFor();
    }
}
