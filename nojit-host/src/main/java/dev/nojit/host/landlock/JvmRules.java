package dev.nojit.host.landlock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Landlock rules under which a child JVM (the vkernel) starts and runs, and nothing more. Measured on
 * kernel 6.18 with JDK 25 (POSIX_SPAWN launch, the default):
 * <ul>
 * <li>READ of the JDK home (libjvm.so, libjli.so, lib/modules, jvm.cfg, the CDS archive, conf/security);
 * EXECUTE only on {@code bin/java} and {@code lib/jspawnhelper} (the spawner thread execs jspawnhelper,
 * which execs java; with {@code -Djdk.lang.Process.launchMechanism=FORK} jspawnhelper is not needed).
 * <li>READ + EXECUTE of the ELF loader ({@code /lib64/ld-linux-x86-64.so.2}): the kernel opens a program's
 * interpreter as an exec. READ of the loader's directory for libc, libm, libdl, libpthread, librt
 * (mapping a library executable needs no EXECUTE right; only execve does).
 * <li>READ of {@code /dev/random} and {@code /dev/urandom}: without both, SecureRandom silently falls back
 * from NativePRNG to DRBG seeded by thread timing, which takes about 8 s.
 * <li>Nothing in /proc, /sys or /etc: the JVM starts without them (no cgroup detection, so heap and CPU
 * count come from the host unless -Xmx / -XX:ActiveProcessorCount are given; no user name, so no
 * hsperfdata file, no /etc/localtime).
 * </ul>
 */
public final class JvmRules {
    private JvmRules() {}

    /** The x86-64 ELF interpreter named in every dynamically linked program. */
    public static final Path ELF_LOADER = Path.of("/lib64/ld-linux-x86-64.so.2");

    /**
     * @param javaHome  the JDK the child runs (e.g. {@code Path.of(System.getProperty("java.home"))})
     * @param classPath the child's class path entries (jars or class directories): read
     * @param readFiles other files or directories to read (the bundle)
     * @param readWrite directories to read and write (the declared mounts and a private scratch directory)
     */
    public static LandlockRules forChildJvm(Path javaHome, List<Path> classPath, List<Path> readFiles, List<Path> readWrite) {
        List<PathRule> rules = new ArrayList<>();
        Path home = real(javaHome);
        rules.add(PathRule.read(home));
        rules.add(new PathRule(home.resolve("bin/java"), Set.of(Access.EXECUTE, Access.READ_FILE)));
        Path spawnHelper = home.resolve("lib/jspawnhelper");
        if (Files.exists(spawnHelper)) rules.add(new PathRule(spawnHelper, Set.of(Access.EXECUTE, Access.READ_FILE)));
        Path loader = real(ELF_LOADER);
        rules.add(PathRule.readExecute(loader));
        rules.add(PathRule.read(loader.getParent()));
        rules.add(PathRule.read(Path.of("/dev/random")));
        rules.add(PathRule.read(Path.of("/dev/urandom")));
        for (Path p : classPath) rules.add(PathRule.read(real(p)));
        for (Path p : readFiles) rules.add(PathRule.read(real(p)));
        for (Path p : readWrite) rules.add(PathRule.readWrite(real(p)));
        return new LandlockRules(rules);
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("Landlock rule path " + p, e);
        }
    }
}
