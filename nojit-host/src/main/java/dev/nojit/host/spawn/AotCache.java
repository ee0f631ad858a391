package dev.nojit.host.spawn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The JDK's AOT cache (JEP 483, 514, 515) for nojit's two JVMs, the shim and the vkernel: classes
 * loaded and linked ahead of time, and method profiles, from a training run. HotSpot in JDK 25 stores
 * no compiled code in it (adapter and stub caching are off by default and nojit never turns them on),
 * so the no-JIT policy is untouched: the cache saves class loading, verification and linking, and the
 * JVM maps it read-write, never executable.
 *
 * <p>The caches lie beside the jar the code was loaded from ({@code nojit-shim.aot},
 * {@code nojit-vkernel.aot}; made by {@code nojit aot-cache}, never committed). HotSpot checks a cache
 * against the JDK, the class path (each jar's size and time) and the module options; a cache that is
 * missing, stale or damaged is not used and the JVM starts without it. Its messages about that are
 * turned off ({@link #useFlags}): the vkernel's stdout is the guest's, and a user cannot act on them;
 * whether a cache was used is read back from {@code /proc/PID/maps} ({@link #mappedIn}) and stated in
 * the attestation with the file's SHA-256.
 */
public final class AotCache {
    /** The shim's cache, beside nojit.jar. */
    public static final String SHIM = "nojit-shim.aot";
    /** The vkernel's cache, beside nojit.jar. */
    public static final String VKERNEL = "nojit-vkernel.aot";

    /** HotSpot's own messages about the cache (unified logging tags aot and cds), all off. */
    public static final List<String> QUIET = List.of("-Xlog:aot*=off", "-Xlog:cds*=off");

    private AotCache() {}

    /**
     * The cache called {@code name} beside the jar at {@code code}, when {@code code} is a jar and the
     * cache is a regular file. Class directories (tests, development) have none: HotSpot refuses a
     * class path with a non-empty directory in an AOT cache.
     */
    public static Optional<Path> beside(Path code, String name) {
        if (code == null || !Files.isRegularFile(code) || code.getParent() == null) return Optional.empty();
        Path cache = code.getParent().resolve(name);
        return Files.isRegularFile(cache, LinkOption.NOFOLLOW_LINKS) ? Optional.of(cache.toAbsolutePath()) : Optional.empty();
    }

    /** {@code NOJIT_AOT_CACHE=0}: no AOT cache is used (for comparisons; the ./nojit launcher honours it too). */
    public static boolean disabled() {
        return "0".equals(System.getenv("NOJIT_AOT_CACHE"));
    }

    /** The options that make a JVM start from {@code cache} (and say nothing when it cannot). */
    public static List<String> useFlags(Path cache) {
        return concat(List.of("-XX:AOTCache=" + cache), QUIET);
    }

    /** A training run: the JVM records what it loads and links, and its profiles, into {@code configuration} at exit. */
    public static List<String> recordFlags(Path configuration) {
        return concat(List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + configuration), QUIET);
    }

    /** Turns a recorded {@code configuration} into {@code cache} (the JVM runs no main class). */
    public static List<String> createFlags(Path configuration, Path cache) {
        return concat(List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + configuration, "-XX:AOTCache=" + cache), QUIET);
    }

    /**
     * Whether process {@code pid} ({@code -1}: this process) has {@code cache} mapped: the kernel's
     * word that the JVM started from it (HotSpot maps the cache's regions from the file; a cache it
     * refused is not mapped). False when the process is gone or its maps cannot be read.
     */
    public static boolean mappedIn(long pid, Path cache) {
        Path maps = Path.of("/proc", pid < 0 ? "self" : Long.toString(pid), "maps");
        String want;
        try {
            want = cache.toRealPath().toString();
        } catch (IOException e) {
            return false;
        }
        try (var lines = Files.lines(maps)) {
            return lines.anyMatch(l -> l.endsWith(" " + want));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
