package dev.nojit.vkernel.policy;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.AuditEvent.Type;
import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.manifest.InterpreterSpec;
import dev.nojit.bundle.manifest.Policy;
import dev.nojit.bundle.testing.Guests;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.testing.TestContainers;
import dev.nojit.vkernel.testing.TestContainers.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built-in {@code python} profile at the exec gate under {@code scripts: manifest-only}.
 * wali-echo (prints its argv) stands in for CPython at {@code /usr/bin/python3.11}: the gate
 * judges the command line and environment before the interpreter runs, so what the binary
 * would do with them does not matter here. Each entry point the issue names is tried from a
 * child of the supervisor (killed, recorded with the attacker's pid) or as process one.
 */
class PythonProfileTest {
    private static final String PYTHON = "/usr/bin/python3.11";
    private static final String TASK = "print('listed')\n";
    private static final String UNLISTED = "import os; os.system('evil')\n";

    @TempDir
    static Path dir;
    static VerifiedBundle bundle;

    @BeforeAll
    static void build() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        BundleBuilder b = new BundleBuilder().policy(Policy.defaults().with("scripts", "manifest-only")
                .withInterpreters(Map.of(PYTHON, InterpreterSpec.profile("python").orElseThrow())));
        b.executable(PYTHON, Guests.copy("wali-echo.wasm", in));
        for (String g : List.of("wali-violate", "wali-supervise")) b.executable("/bin/" + g, Guests.copy(g + ".wasm", in));
        b.script("/opt/task.py", Files.writeString(in.resolve("task.py"), TASK), PYTHON);
        // The same listed content under the name "-": "python3 -- -" must still count as stdin, not as this file.
        b.script("/opt/-", Files.writeString(in.resolve("dash.py"), TASK), PYTHON);
        b.file("/opt/unlisted.py", Files.writeString(in.resolve("unlisted.py"), UNLISTED));
        // CPython ends its options at "-u-" and runs the next word as its script: "python3 -u- -W x /opt/task.py" in /opt runs this.
        b.file("/opt/-W", Files.writeString(in.resolve("dash-w.py"), UNLISTED));
        bundle = TestContainers.bundle(b, dir);
    }

    private static Run run(List<String> env, String workdir, String path, String... args) {
        return TestContainers.run(bundle, Container.Options.defaults().withEnv(env).withWorkdir(workdir), "", path, List.of(args),
                Duration.ofSeconds(60));
    }

    /** {@code ARGV…} exec'd by wali-violate, the supervisor's child (pid 2), from {@code workdir}. */
    private static AuditEvent refusedForChild(String workdir, String... argv) {
        String[] all = new String[argv.length + 3];
        all[0] = "/bin/wali-violate";
        all[1] = "exec";
        all[2] = PYTHON;
        System.arraycopy(argv, 0, all, 3, argv.length);
        Run r = run(List.of(), workdir, "/bin/wali-supervise", all);
        assertThat(r.out()).as(r.err()).contains("child killed by signal 9", "supervisor alive")
                .doesNotContain("survived").doesNotContain("argv[0]=" + PYTHON);
        assertThat(r.violations()).hasSize(1);
        AuditEvent v = r.violations().getFirst();
        assertThat(v.syscall().name()).isEqualTo("execve");
        assertThat(v.action()).isEqualTo(AuditEvent.Action.KILL_PROCESS);
        assertThat(v.type()).isEqualTo(Type.CODE_LOAD_DENIED);
        assertThat(v.process().pid()).as("the attacker, not the supervisor").isEqualTo(2);
        assertThat(v.reason()).contains(PYTHON);
        return v;
    }

    @Test
    void aListedScriptRunsWithFlagsAndArguments() {
        Run r = run(List.of("PYTHONUNBUFFERED=1", "PYTHONDONTWRITEBYTECODE=1"), "/", PYTHON, "-u", "-W", "ignore", "-I", "/opt/task.py", "-c", "x");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.violations()).isEmpty();
        assertThat(r.out()).contains("argv[5]=/opt/task.py", "argv[6]=-c");
        assertThat((List<?>) r.events(Type.EXEC).getFirst().details().get("scripts")).singleElement().asString().contains("/opt/task.py");
    }

    @Test
    void inlineCodeModulesAndPycachePrefixAreRefused() {
        assertThat(refusedForChild("/", "-c", "import os; os.system('x')").reason()).contains("inline code", "(-c)", "scripts: manifest-only");
        assertThat(refusedForChild("/", "-Ic", "pass").reason()).contains("(-c)");
        assertThat(refusedForChild("/opt", "-m", "unlisted").reason()).contains("inline code", "(-m)");
        assertThat(refusedForChild("/", "-X", "pycache_prefix=/tmp/p", "/opt/task.py").reason()).contains("(-X)");
    }

    @Test
    void aClusterEndingInADashIsRefusedSinceCPythonRunsTheWordAfterIt() {
        AuditEvent v = refusedForChild("/opt", "-u-", "-W", "x", "/opt/task.py");
        assertThat(v.reason()).contains("(-u- (a - inside an option cluster))");
    }

    @Test
    void codeFromStdinIsRefused() {
        assertThat(refusedForChild("/").reason()).contains("stdin", "no script operand", "scripts: manifest-only");
        assertThat(refusedForChild("/", "-").reason()).contains("stdin", "script operand -");
        assertThat(refusedForChild("/", "-i", "/opt/task.py").reason()).contains("stdin", "flag -i");
        // /opt/- is a listed script, but CPython reads stdin for "-- -", whatever the working directory holds.
        assertThat(refusedForChild("/opt", "--", "-").reason()).contains("stdin", "script operand -");
    }

    @Test
    void anUnlistedScriptIsRefusedWithItsHash() {
        AuditEvent v = refusedForChild("/", "/opt/unlisted.py");
        assertThat(v.target()).isEqualTo(new AuditEvent.TargetRef("/opt/unlisted.py", Sha256.hex(UNLISTED.getBytes(StandardCharsets.UTF_8))));
        assertThat(v.reason()).contains("is not a script the manifest lists for " + PYTHON);
    }

    @Test
    void environmentThatNamesCodeIsRefusedForProcessOne() {
        for (String variable : List.of("PYTHONSTARTUP=/opt/unlisted.py", "PYTHONPATH=/opt", "PYTHONHOME=/tmp/fake", "PYTHONINSPECT=1")) {
            Run r = run(List.of(variable), "/", PYTHON, "-I", "/opt/task.py");
            assertThat(r.exitCode()).as(variable).isEqualTo(126);
            assertThat(r.out()).as(variable).isEmpty();
            assertThat(r.violations()).as(variable).singleElement().satisfies(v -> {
                assertThat(v.type()).isEqualTo(Type.CODE_LOAD_DENIED);
                assertThat(v.action()).isEqualTo(AuditEvent.Action.DENIED);
                assertThat(v.reason()).contains("$" + variable.substring(0, variable.indexOf('=')));
            });
        }
    }
}
