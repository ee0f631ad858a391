package dev.nojit.vkernel.lockdown;

import dev.nojit.host.landlock.JvmRules;
import dev.nojit.host.landlock.Landlock;
import dev.nojit.host.landlock.LandlockRules;
import dev.nojit.host.seccomp.SeccompInstaller;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * With {@code -Dnojit.test.lockdown=strict} (the build's second test run), locks this test JVM
 * down the way the vkernel process is locked down — Landlock on the thread that runs the tests
 * (so every guest thread it starts is confined too) and the vkernel's seccomp filter on every
 * thread — before any test runs: the vkernel and enforcement suites then prove they work under the
 * host lockdown. Rules: the JDK and the class path to read; the temporary directory (JUnit's
 * {@code @TempDir}) and this module's target directory to read and write; nothing else.
 */
public final class LockedDownTestJvm implements LauncherSessionListener {
    static final String PROPERTY = "nojit.test.lockdown";

    /** True in the locked-down test run (tests that need the host — native oracles — adapt). */
    public static boolean active() {
        return "strict".equals(System.getProperty(PROPERTY));
    }

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (!active()) return;
        try {
            Landlock.probe().require(Landlock.STRICT_MIN_ABI).ifPresent(m -> {
                throw new IllegalStateException("strict test lockdown: " + m);
            });
            List<Path> classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                    .filter(s -> !s.isEmpty()).map(Path::of).filter(Files::exists).toList();
            Path target = Path.of(System.getProperty("nojit.test.target", "target")).toAbsolutePath();
            Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
            LandlockRules rules = JvmRules.forChildJvm(Path.of(System.getProperty("java.home")), classPath, List.of(),
                    List.of(tmp, target));
            Landlock.restrictCurrentThread(rules);
            SeccompInstaller.installVkernelFilter();
        } catch (RuntimeException e) {
            // Fail closed: a run that should be locked down and is not would prove nothing.
            System.err.println("nojit: cannot lock the test JVM down: " + e);
            Runtime.getRuntime().halt(3);
        }
    }
}
