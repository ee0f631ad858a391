package dev.nojit.host.spawn;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of the vkernel JVM. The flags are part of the lockdown:
 * <ul>
 *   <li>equal initial and reserved code-cache sizes: HotSpot then never maps new executable
 *       memory after start, so a seccomp filter refusing PROT_EXEC does not kill it
 *       (measured on this kernel; default flags grow the code cache with RWX mappings);</li>
 *   <li>{@code -Xint} with {@code --host-jit off}: no host code generation at all (slower);</li>
 *   <li>no illegal native access, no {@code sun.misc.Unsafe} memory access;</li>
 *   <li>explicit heap and processor count (a confined JVM cannot read /proc or /sys).</li>
 * </ul>
 */
public record VkernelCommand(Path java, String classPath, boolean hostJit, int processors, long maxHeapBytes,
                             String mainClass, List<String> args) {
    /** Code cache reserved (and committed up front) for the vkernel's JIT. */
    public static final String CODE_CACHE = "64m";

    public VkernelCommand {
        args = List.copyOf(args);
    }

    /** The JVM flags, in order (also stated in the attestation). */
    public List<String> jvmFlags() {
        List<String> f = new ArrayList<>();
        if (hostJit) {
            f.add("-XX:ReservedCodeCacheSize=" + CODE_CACHE);
            f.add("-XX:InitialCodeCacheSize=" + CODE_CACHE);
        } else {
            f.add("-Xint");
        }
        f.add("--illegal-native-access=deny");
        // The class path is one unnamed module, so native access cannot be narrowed to nojit-host here.
        f.add("--enable-native-access=ALL-UNNAMED");
        f.add("--sun-misc-unsafe-memory-access=deny");
        f.add("-Xshare:auto");
        // Confined, the JVM cannot read /proc or /sys to size itself: the shim says how big it is.
        f.add("-XX:ActiveProcessorCount=" + processors);
        f.add("-Xmx" + Math.max(64, maxHeapBytes >> 20) + "m");
        return f;
    }

    public List<String> toList() {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(jvmFlags());
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** The java launcher of the running JDK. */
    public static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
