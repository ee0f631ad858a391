package dev.nojit.host.spawn;

import dev.nojit.host.landlock.Access;
import dev.nojit.host.landlock.JvmRules;
import dev.nojit.host.landlock.Landlock;
import dev.nojit.host.landlock.LandlockRules;
import dev.nojit.host.landlock.PathRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Every confinement here happens in a child JVM started by {@link ConfinedSpawner}; the test JVM is never confined. */
class ConfinedSpawnerTest {
    static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));

    @TempDir
    Path tmp;

    @BeforeAll
    static void landlockIsThere() {
        assumeThat(Landlock.probe().available()).as(Landlock.probe().describe()).isTrue();
    }

    /** The child's class path: the probe's class directory (test-classes) only. */
    static Path probeClassDir() {
        try {
            return Path.of(ConfinementProbeMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static ProcessBuilder probe(String... actions) {
        List<String> cmd = new ArrayList<>(List.of(JAVA_HOME.resolve("bin/java").toString(), "-cp",
                probeClassDir().toString(), ConfinementProbeMain.class.getName()));
        cmd.addAll(Arrays.asList(actions));
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }

    LandlockRules rules(Path rw) {
        return JvmRules.forChildJvm(JAVA_HOME, List.of(probeClassDir()), List.of(), List.of(rw));
    }

    /** Runs the child to the end; action → result line (after the action name). */
    static Map<String, String> results(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().filter(l -> l.contains(" OK ") || l.contains(" DENIED "))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(' ')), l -> l.substring(l.indexOf(' ') + 1)));
    }

    @Test
    void theChildCanUseItsDirectoriesAndNothingElse() throws Exception {
        Path rw = Files.createDirectory(tmp.resolve("rw"));
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "host secret");
        Path outside = tmp.resolve("outside.txt");
        try (ServerSocket listener = new ServerSocket(0)) {
            String tcp = "tcp:127.0.0.1:" + listener.getLocalPort();
            var r = results(ConfinedSpawner.start(probe("read:" + secret, "write:" + outside, "write:" + rw.resolve("ok.txt"),
                    "read:/proc/self/status", "procmem", "stat:" + secret, "readlink:/proc/1/cwd", "exec:/bin/true", "urandom", "list:/", tcp), rules(rw)).process());

            assertThat(r.get("read:" + secret)).startsWith("DENIED java.nio.file.AccessDeniedException");
            assertThat(r.get("write:" + outside)).startsWith("DENIED java.nio.file.AccessDeniedException");
            assertThat(outside).doesNotExist();
            assertThat(r.get("write:" + rw.resolve("ok.txt"))).startsWith("OK");
            assertThat(rw.resolve("ok.txt")).hasContent("written by a confined child");
            assertThat(r.get("read:/proc/self/status")).startsWith("DENIED java.nio.file.AccessDeniedException");
            assertThat(r.get("procmem")).startsWith("DENIED").contains("Permission denied");
            // Landlock does not cover metadata: the child can learn that a file exists, its size and mtime.
            assertThat(r.get("stat:" + secret)).startsWith("OK 11 bytes");
            // Landlock's ptrace scoping: no peeking into processes outside the domain.
            assertThat(r.get("readlink:/proc/1/cwd")).startsWith("DENIED java.nio.file.AccessDeniedException");
            assertThat(r.get("exec:/bin/true")).startsWith("DENIED").contains("error: 13");
            assertThat(r.get("urandom")).as("NativePRNG needs /dev/random and /dev/urandom").startsWith("OK NativePRNG");
            assertThat(r.get("list:/")).startsWith("DENIED java.nio.file.AccessDeniedException");
            if (Landlock.probe().abi() >= 4) assertThat(r.get(tcp)).startsWith("DENIED").contains("Permission denied");
        }
    }

    @Test
    void aGrandchildInheritsTheConfinement() throws Exception {
        Path rw = Files.createDirectory(tmp.resolve("rw"));
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "host secret");
        var r = results(ConfinedSpawner.start(probe("spawnjava:read:" + secret, "spawnjava:write:" + rw.resolve("g.txt")),
                rules(rw)).process());

        assertThat(r.get("spawnjava:read:" + secret)).startsWith("OK grandchild exit 0")
                .contains("DENIED java.nio.file.AccessDeniedException");
        assertThat(rw.resolve("g.txt")).hasContent("written by a confined child");
    }

    @Test
    void theParentStaysUnconfinedAndTheChildHasNoNewPrivs() throws Exception {
        Path rw = Files.createDirectory(tmp.resolve("rw"));
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "host secret");
        String parentNnpBefore = statusField(Path.of("/proc/self/status"), "NoNewPrivs");

        Process child = ConfinedSpawner.start(probe("sleep:20000"), rules(rw)).process();
        try {
            String childStatus = Files.readString(Path.of("/proc/" + child.pid() + "/status"));
            assertThat(statusField(Path.of("/proc/" + child.pid() + "/status"), "NoNewPrivs")).isEqualTo("1");
            // The test thread and a fresh thread can still read what the child cannot.
            assertThat(Files.readString(secret)).isEqualTo("host secret");
            AtomicReference<String> other = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    other.set(Files.readString(secret));
                } catch (IOException e) {
                    other.set(e.toString());
                }
            });
            t.join();
            assertThat(other.get()).isEqualTo("host secret");
            assertThat(statusField(Path.of("/proc/self/status"), "NoNewPrivs")).isEqualTo(parentNnpBefore);
            assertThat(child.toHandle().info().startInstant()).isPresent();
            assertThat(child.toHandle()).isEqualTo(ProcessHandle.of(child.pid()).orElseThrow());
            System.out.println("child /proc/<pid>/status lines naming Landlock or Seccomp: " + childStatus.lines()
                    .filter(l -> l.contains("andlock") || l.startsWith("Seccomp") || l.startsWith("NoNewPrivs")).toList());
        } finally {
            // The JDK's own destroy sends nothing for a confined child (start time 0); ConfinedProcess kills it.
            assertThat(child.destroyForcibly().waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(137);
        }
    }

    @Test
    void withoutTheExecuteRightOnJavaNothingStarts() throws Exception {
        Path rw = Files.createDirectory(tmp.resolve("rw"));
        List<PathRule> noExecJava = new ArrayList<>(rules(rw).paths());
        noExecJava.removeIf(r -> r.path().endsWith("bin/java"));
        assertThatThrownBy(() -> ConfinedSpawner.start(probe("sleep:1"), new LandlockRules(noExecJava)))
                .isInstanceOf(IOException.class).hasMessageContaining("error: 13");
    }

    @Test
    void aMissingRulePathFailsBeforeAnythingStarts() {
        LandlockRules bad = new LandlockRules(List.of(new PathRule(tmp.resolve("absent"), Set.of(Access.READ_FILE))));
        assertThatThrownBy(() -> ConfinedSpawner.start(probe("sleep:1"), bad))
                .hasMessageContaining("open(O_PATH)").hasMessageContaining("errno 2");
    }

    @Test
    void threadsTheJdkStartsForTheChildAreNotConfined() throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "host secret");
        Path mainClasses = Path.of(ConfinedSpawner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Process p = new ProcessBuilder(JAVA_HOME.resolve("bin/java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", mainClasses + ":" + probeClassDir(), OnExitProbeMain.class.getName(), secret.toString(),
                probeClassDir().toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("onExit OK host secret").contains("commonPool OK host secret");
    }

    static String statusField(Path status, String name) throws IOException {
        return Files.readAllLines(status).stream().filter(l -> l.startsWith(name + ":"))
                .map(l -> l.substring(name.length() + 1).strip()).findFirst().orElseThrow();
    }
}
