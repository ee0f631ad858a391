package dev.nojit.vkernel.policy;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.AuditEvent.Type;
import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.manifest.Policy;
import dev.nojit.vkernel.testing.TestContainers.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The other side of the gate: approved code starts through every entry point (content
 * addressing: a copy or a memfd holding a listed module is that module), listed scripts run with
 * the interpreter the manifest names, ordinary denials stay errno results, and each start is
 * recorded as an exec event.
 */
class ApprovedEntryPointsTest {
    @TempDir
    static Path dir;
    static PolicyImage image;

    @BeforeAll
    static void image() throws Exception {
        image = PolicyImage.build(dir, Policy.defaults());
    }

    private static List<AuditEvent> execsOf(Run r, int pid) {
        return r.events(Type.EXEC).stream().filter(e -> e.process().pid() == pid).toList();
    }

    @Test
    void aCopyOfAListedModuleIsThatModuleWhereverItLies() {
        Run r = image.attack("exec-copy", "/bin/wali-hello", "/tmp/h");
        assertThat(r.out()).contains("child exited 0", "supervisor alive").doesNotContain("survived");
        assertThat(r.violations()).isEmpty();
        AuditEvent exec = execsOf(r, 2).getLast();
        assertThat(exec.target()).isEqualTo(new AuditEvent.TargetRef("/tmp/h", image.helloSha));
        assertThat(exec.action()).isEqualTo(AuditEvent.Action.ALLOWED);
        assertThat(exec.syscall().name()).isEqualTo("execve");
        assertThat(exec.process().exeSha256()).isEqualTo(image.helloSha);
    }

    @Test
    void aMemfdHoldingAListedModuleRunsThroughExecveatAndProcSelfFd() {
        for (String technique : List.of("memfd-exec", "memfd-proc-exec")) {
            Run r = image.attack(technique, "/bin/wali-hello");
            assertThat(r.out()).as(technique).contains("child exited 0", "supervisor alive");
            assertThat(r.violations()).isEmpty();
            assertThat(execsOf(r, 2).getLast().target()).isEqualTo(new AuditEvent.TargetRef("/memfd:payload (deleted)", image.helloSha));
        }
    }

    @Test
    void aListedScriptRunsWithItsInterpreterAndReadsAsTheListedContent() {
        Run r = image.run("/opt/listed.sh", "one");
        assertThat(r.exitCode()).as(r.err()).isZero();
        // wali-echo is the interpreter: argv is interpreter, script path, then the script's arguments.
        assertThat(r.out()).contains("argv[0]=/bin/wali-echo", "argv[1]=/opt/listed.sh", "argv[2]=one");
        assertThat(r.violations()).isEmpty();
        AuditEvent exec = r.events(Type.EXEC).getFirst();
        assertThat(exec.process().exe()).isEqualTo("/bin/wali-echo");
        String scriptSha = Sha256.hex("#!/bin/wali-echo\necho listed\n".getBytes(StandardCharsets.UTF_8));
        assertThat(exec.details().get("scripts")).asString().contains("/opt/listed.sh", scriptSha);
    }

    @Test
    void ordinaryDenialsStayErrnoResults() {
        Run noExec = image.attack("exec-noexec-mode", "/bin/wali-hello", "/tmp/nx");
        assertThat(noExec.out()).contains("survived exec-noexec-mode ret=-13", "child exited 0");
        Run data = image.attack("exec", "/etc/motd");
        assertThat(data.out()).contains("survived exec ret=-13");
        Run missing = image.attack("exec", "/no/such/file");
        assertThat(missing.out()).contains("survived exec ret=-2");
        Run query = image.attack("personality-query");
        assertThat(query.out()).contains("survived personality-query ret=0");
        // Plain text with no #!: ENOEXEC, as on Linux (a shell may then read it as a script: data to it).
        Run plain = image.attack("exec-copy", "/etc/motd", "/tmp/plain");
        assertThat(plain.out()).contains("survived exec-copy ret=-8");
        for (Run r : List.of(noExec, data, missing, query, plain)) assertThat(r.violations()).isEmpty();
    }

    @Test
    void theLogTellsTheStoryOfARun() {
        Run r = image.attack("exec-copy", "/bin/wali-hello", "/tmp/h");
        assertThat(r.events()).extracting(AuditEvent::type).containsExactly(
                Type.CONTAINER_START, Type.EXEC, Type.EXEC, Type.EXEC, Type.PROCESS_EXIT, Type.PROCESS_EXIT, Type.CONTAINER_STOP);
        assertThat(r.events().getFirst().details()).containsKey("policy");
        assertThat(r.events().get(1).process().exe()).isEqualTo("/bin/wali-supervise");
        assertThat(r.events().get(2).process().exe()).isEqualTo("/bin/wali-violate");
        assertThat(r.events().get(4).details()).containsEntry("exit_code", 0L);
    }
}
