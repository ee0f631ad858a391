package dev.nojit.cli;

import dev.nojit.host.spawn.AotCache;
import dev.nojit.host.spawn.HostModule;
import dev.nojit.host.spawn.VkernelCommand;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line that starts {@code nojit ARGS} as a JVM of its own, with the launcher's flags: a
 * code cache that never grows (so that its shim can lock itself down with seccomp), native
 * access for module dev.nojit.host alone, the serial collector, and the shim's AOT cache when there is
 * one beside the jar ({@link AotCache#SHIM}; else the JDK's CDS archive). The {@code ./nojit} launcher
 * starts the same command (the cache is checked against the class path and options, so they must
 * match). System properties this JVM was given are passed on (tests select test entry points with them).
 */
final class NojitJvm {
    private NojitJvm() {}

    /**
     * The shim's C2 thresholds, ten times HotSpot's defaults. The shim's own work is short (parse, check, spawn,
     * then relay the audit events), and C2 compiled about 100 methods of start-up code in every {@code nojit run}
     * (a third of a second of CPU, measured with -XX:+CITime, on a 2-CPU machine the vkernel's). Loops that
     * really run long still reach C2: the whole-bundle hash of a 100 MB bundle took no longer (bench/startup).
     * C1 is unchanged. Not the vkernel's: it runs the guest.
     */
    static final List<String> SHIM_JIT = List.of("-XX:Tier4InvocationThreshold=50000", "-XX:Tier4MinInvocationThreshold=6000",
            "-XX:Tier4CompileThreshold=150000", "-XX:Tier4BackEdgeThreshold=400000");

    static List<String> command(List<String> args) {
        return command(shimAotFlags(), args);
    }

    /** With these class-sharing options ({@link AotCache}) instead of the default ones. */
    static List<String> command(List<String> aotFlags, List<String> args) {
        List<String> cmd = new ArrayList<>(jvm(aotFlags));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-D")) cmd.add(a);
        }
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(Nojit.class.getName());
        cmd.addAll(args);
        return cmd;
    }

    /** The JVM that turns the shim's recorded AOT configuration into its cache (no main class). */
    static List<String> createAotCache(Path configuration, Path cache) {
        List<String> cmd = new ArrayList<>(jvm(AotCache.createFlags(configuration, cache)));
        cmd.add("-cp");
        cmd.add(classPath());
        return cmd;
    }

    private static List<String> jvm(List<String> aotFlags) {
        List<String> cmd = new ArrayList<>();
        cmd.add(VkernelCommand.currentJava().toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.addAll(SHIM_JIT);
        cmd.addAll(VkernelCommand.fixedCodeCacheFlags());
        cmd.addAll(HostModule.nativeAccessFlags(HostModule.find()));
        cmd.addAll(aotFlags.isEmpty() ? List.of("-Xshare:auto") : aotFlags);
        return cmd;
    }

    private static String classPath() {
        return HostModule.classPathWithout(System.getProperty("java.class.path"), HostModule.find());
    }

    /** The shim's cache beside the jar, if there. */
    static List<String> shimAotFlags() {
        Optional<Path> cache = AotCache.disabled() ? Optional.empty() : AotCache.beside(VkernelProcess.codeLocation(), AotCache.SHIM);
        return cache.map(AotCache::useFlags).orElse(List.of());
    }
}
