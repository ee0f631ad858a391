package dev.nojit.host.spawn;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line of the vkernel JVM. The flags are part of the lockdown:
 * <ul>
 *   <li>equal initial and reserved code-cache sizes: HotSpot then never maps new executable
 *       memory after start, so a seccomp filter refusing PROT_EXEC does not kill it
 *       (measured on this kernel; default flags grow the code cache with RWX mappings);</li>
 *   <li>{@code -Xint} with {@code --host-jit off}: no host code generation at all (slower);</li>
 *   <li>{@code -XX:-DontCompileHugeMethods} with the JIT on: AOT-translated guest functions are often longer
 *       than HotSpot's 8,000-byte limit for compiling a method (CPython's eval loop is), and without this flag
 *       the JIT would leave exactly the hottest guest code to its bytecode interpreter. It compiles only the
 *       signed bytecode already loaded, inside the fixed code cache, like every other method;</li>
 *   <li>native access for module {@value HostModule#NAME} alone (it is loaded from the module
 *       path; every other class is refused a downcall), no {@code sun.misc.Unsafe} memory access;</li>
 *   <li>explicit heap and processor count (a confined JVM cannot read /proc or /sys);</li>
 *   <li>class sharing: {@code -Xshare:auto} (the JDK's default CDS archive), or the options of
 *       {@code aotOptions} instead ({@link AotCache}: start from nojit's AOT cache, or record one in a
 *       training run), which HotSpot does not accept together with {@code -Xshare}.</li>
 * </ul>
 */
public record VkernelCommand(Path java, String classPath, Optional<HostModule> hostModule, boolean hostJit, int processors,
                             long maxHeapBytes, List<String> extraOptions, String mainClass, List<String> args,
                             List<String> aotOptions) {
    /** Code cache reserved (and committed up front) for the vkernel's JIT. */
    public static final String CODE_CACHE = "64m";

    public VkernelCommand {
        extraOptions = List.copyOf(extraOptions);
        args = List.copyOf(args);
        aotOptions = List.copyOf(aotOptions);
    }

    /** Without an AOT cache ({@code -Xshare:auto}). */
    public VkernelCommand(Path java, String classPath, Optional<HostModule> hostModule, boolean hostJit, int processors,
                          long maxHeapBytes, List<String> extraOptions, String mainClass, List<String> args) {
        this(java, classPath, hostModule, hostJit, processors, maxHeapBytes, extraOptions, mainClass, args, List.of());
    }

    /** The same command with these class-sharing options instead ({@link AotCache}). */
    public VkernelCommand withAot(List<String> options) {
        return new VkernelCommand(java, classPath, hostModule, hostJit, processors, maxHeapBytes, extraOptions, mainClass, args, options);
    }

    /** The JVM flags, in order (also stated in the attestation). */
    public List<String> jvmFlags() {
        List<String> f = new ArrayList<>();
        if (hostJit) {
            f.addAll(fixedCodeCacheFlags());
            f.add("-XX:-DontCompileHugeMethods");
        } else {
            f.add("-Xint");
        }
        f.addAll(HostModule.nativeAccessFlags(hostModule));
        f.add("--sun-misc-unsafe-memory-access=deny");
        if (aotOptions.isEmpty()) f.add("-Xshare:auto");
        else f.addAll(aotOptions);
        // Confined, the JVM cannot read /proc or /sys to size itself: the shim says how big it is.
        f.add("-XX:ActiveProcessorCount=" + processors);
        f.add("-Xmx" + Math.max(64, maxHeapBytes >> 20) + "m");
        f.addAll(extraOptions); // tests only (VkernelProcess); stated like every other flag
        return f;
    }

    public List<String> toList() {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(jvmFlags());
        cmd.add("-cp");
        cmd.add(HostModule.classPathWithout(classPath, hostModule));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /**
     * The JVM that turns a training run's recorded {@code configuration} into {@code cache}: this
     * command's flags and class path (HotSpot checks them when the cache is used), no main class.
     */
    public List<String> createAotCache(Path configuration, Path cache) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(withAot(AotCache.createFlags(configuration, cache)).jvmFlags());
        cmd.add("-cp");
        cmd.add(HostModule.classPathWithout(classPath, hostModule));
        return cmd;
    }

    /** Every jar and class directory the vkernel loads code from: its class path and the host module. */
    public List<Path> codeLocations() {
        List<Path> out = new ArrayList<>();
        for (String entry : HostModule.classPathWithout(classPath, hostModule).split(File.pathSeparator)) {
            if (!entry.isEmpty()) out.add(Path.of(entry));
        }
        hostModule.ifPresent(m -> out.add(m.location()));
        return out;
    }

    /** Equal reserved and initial code cache: a JIT whose code memory is all mapped at start (any JVM nojit locks down). */
    public static List<String> fixedCodeCacheFlags() {
        return List.of("-XX:ReservedCodeCacheSize=" + CODE_CACHE, "-XX:InitialCodeCacheSize=" + CODE_CACHE);
    }

    /** The java launcher of the running JDK. */
    public static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
