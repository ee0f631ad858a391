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
 * {@code scripts: manifest-only} against {@code via-interpreter}. Two guests stand in for
 * interpreters, described with the built-in bash profile: wali-echo (prints its argv) and
 * wali-reread (overwrites its script operand, then reads it back — the check-to-open race made
 * deterministic). Each refusal is a violation that kills the process that asked for the exec.
 */
class ScriptsPolicyTest {
    private static final String LISTED = "#!/bin/wali-echo\necho listed\n";
    private static final String REREAD = "#!/bin/wali-reread\nlisted content\n";

    @TempDir
    static Path dir;
    static VerifiedBundle manifestOnly, viaInterpreter;

    @BeforeAll
    static void bundles() throws Exception {
        InterpreterSpec bash = InterpreterSpec.profile("bash").orElseThrow();
        manifestOnly = bundle(Policy.defaults().with("scripts", "manifest-only")
                .withInterpreters(Map.of("/bin/wali-echo", bash, "/bin/wali-reread", bash)));
        viaInterpreter = bundle(Policy.defaults());
    }

    private static VerifiedBundle bundle(Policy policy) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in-" + System.nanoTime()));
        BundleBuilder b = new BundleBuilder().policy(policy);
        for (String g : List.of("wali-echo", "wali-reread", "wali-violate", "wali-supervise")) {
            b.executable("/bin/" + g, Guests.copy(g + ".wasm", in));
        }
        b.script("/opt/listed.sh", Files.writeString(in.resolve("listed.sh"), LISTED), "/bin/wali-echo");
        b.script("/opt/reread.sh", Files.writeString(in.resolve("reread.sh"), REREAD), "/bin/wali-reread");
        b.file("/etc/motd", Files.writeString(in.resolve("motd"), "data, not a script\n"));
        return TestContainers.bundle(b, dir);
    }

    private static Run run(VerifiedBundle bundle, List<String> env, String path, String... args) {
        return TestContainers.run(bundle, Container.Options.defaults().withEnv(env), "", path, List.of(args), Duration.ofSeconds(60));
    }

    /** {@code wali-violate exec ARGV…} as the child of the supervisor, in the manifest-only container. */
    private static Run execAsChild(String... argv) {
        String[] all = new String[argv.length + 2];
        all[0] = "/bin/wali-violate";
        all[1] = "exec";
        System.arraycopy(argv, 0, all, 2, argv.length);
        return run(manifestOnly, List.of(), "/bin/wali-supervise", all);
    }

    private static AuditEvent killedFor(Run r) {
        assertThat(r.out()).as(r.err()).contains("child killed by signal 9", "supervisor alive").doesNotContain("survived");
        assertThat(r.violations()).hasSize(1);
        AuditEvent v = r.violations().getFirst();
        assertThat(v.syscall().name()).isEqualTo("execve");
        assertThat(v.action()).isEqualTo(AuditEvent.Action.KILL_PROCESS);
        return v;
    }

    @Test
    void aListedScriptRunsByItsShebangAndAsTheOperandOfItsInterpreter() {
        Run bang = run(manifestOnly, List.of(), "/opt/listed.sh", "one");
        assertThat(bang.out()).as(bang.err()).contains("argv[0]=/bin/wali-echo", "argv[1]=/opt/listed.sh", "argv[2]=one");
        Run operand = run(manifestOnly, List.of(), "/bin/wali-echo", "/opt/listed.sh");
        assertThat(operand.out()).contains("argv[1]=/opt/listed.sh");
        for (Run r : List.of(bang, operand)) {
            assertThat(r.exitCode()).isZero();
            assertThat(r.violations()).isEmpty();
            // The script is checked and pinned once, whether named by #! or as the operand.
            assertThat((List<?>) r.events(Type.EXEC).getFirst().details().get("scripts")).singleElement()
                    .asString().contains("/opt/listed.sh");
        }
    }

    @Test
    void inlineCodeIsAViolation() {
        AuditEvent v = killedFor(execAsChild("/bin/wali-echo", "-c", "echo hi"));
        assertThat(v.type()).isEqualTo(Type.CODE_LOAD_DENIED);
        assertThat(v.reason()).contains("inline code", "-c");
        // Clustered short options hide it no better.
        assertThat(killedFor(execAsChild("/bin/wali-echo", "-ec", "echo hi")).type()).isEqualTo(Type.CODE_LOAD_DENIED);
    }

    @Test
    void codeFromStdinIsAViolationSinceAContainerHasNoTerminal() {
        assertThat(killedFor(execAsChild("/bin/wali-echo")).reason()).contains("stdin");
        assertThat(killedFor(execAsChild("/bin/wali-echo", "-")).reason()).contains("stdin");
        assertThat(killedFor(execAsChild("/bin/wali-echo", "-s", "x")).reason()).contains("stdin");
    }

    @Test
    void anOperandThatIsNotAListedScriptIsAViolation() {
        AuditEvent v = killedFor(execAsChild("/bin/wali-echo", "/etc/motd"));
        assertThat(v.type()).isEqualTo(Type.CODE_LOAD_DENIED);
        assertThat(v.target()).isEqualTo(new AuditEvent.TargetRef("/etc/motd",
                Sha256.hex("data, not a script\n".getBytes(StandardCharsets.UTF_8))));
        // A listed script, but for another interpreter.
        AuditEvent other = killedFor(execAsChild("/bin/wali-echo", "/opt/reread.sh"));
        assertThat(other.target().path()).isEqualTo("/opt/reread.sh");
        // Under via-interpreter the same command line is just an interpreter reading data.
        Run via = run(viaInterpreter, List.of(), "/bin/wali-echo", "/etc/motd");
        assertThat(via.exitCode()).isZero();
        assertThat(via.violations()).isEmpty();
    }

    @Test
    void codeInTheEnvironmentIsAViolationEvenForProcessOne() {
        Run r = run(manifestOnly, List.of("BASH_ENV=/opt/listed.sh"), "/bin/wali-echo", "/opt/listed.sh");
        assertThat(r.exitCode()).isEqualTo(126);
        assertThat(r.out()).isEmpty();
        assertThat(r.violations()).singleElement().satisfies(v -> {
            assertThat(v.type()).isEqualTo(Type.CODE_LOAD_DENIED);
            assertThat(v.action()).isEqualTo(AuditEvent.Action.DENIED);
            assertThat(v.reason()).contains("BASH_ENV");
        });
    }

    @Test
    void plainTextWithoutShebangIsAViolationOnlyUnderManifestOnly() {
        Run strict = run(manifestOnly, List.of(), "/bin/wali-supervise", "/bin/wali-violate", "exec-copy", "/etc/motd", "/tmp/plain");
        assertThat(killedFor(strict).type()).isEqualTo(Type.EXEC_DENIED);
        Run via = run(viaInterpreter, List.of(), "/bin/wali-supervise", "/bin/wali-violate", "exec-copy", "/etc/motd", "/tmp/plain");
        assertThat(via.out()).contains("survived exec-copy ret=-8");
        assertThat(via.violations()).isEmpty();
    }

    @Test
    void theInterpreterReadsExactlyTheScriptTheGateChecked() {
        // wali-reread overwrites its script after the gate's check, then reads it: it gets the listed bytes.
        for (VerifiedBundle b : List.of(manifestOnly, viaInterpreter)) {
            Run r = run(b, List.of(), "/opt/reread.sh");
            assertThat(r.out()).as(r.err()).contains("overwrite 0", "read: " + REREAD).doesNotContain("REPLACED");
        }
        Run operand = run(manifestOnly, List.of(), "/bin/wali-reread", "/opt/reread.sh");
        assertThat(operand.out()).contains("read: " + REREAD);
        // Under via-interpreter an operand is data, not checked and not pinned: the new bytes are read.
        Run data = run(viaInterpreter, List.of(), "/bin/wali-reread", "/opt/reread.sh");
        assertThat(data.out()).contains("read: REPLACED after the check");
    }
}
