package dev.nojit.vkernel.policy;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.AuditEvent.Type;
import dev.nojit.bundle.manifest.Policy;
import dev.nojit.vkernel.testing.TestContainers.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every technique of the enforcement issue, tried for real by a guest (guests/src/wali/wali-violate.c)
 * running as the child of a supervisor. Under the default policy (kill-process) each attempt is
 * recorded as exactly one violation event — its type, syscall, target and action checked — the
 * attacker dies of SIGKILL (its parent's wait4 sees signal 9) without ever seeing an errno, and
 * the supervisor keeps running. Under kill-container the same attempt stops the whole container
 * (exit 137) and nothing runs after it.
 */
class ViolationTechniquesTest {
    @TempDir
    static Path dir;
    static PolicyImage killProcess, killContainer;

    @BeforeAll
    static void images() throws Exception {
        killProcess = PolicyImage.build(dir, Policy.defaults());
        killContainer = PolicyImage.build(dir, Policy.defaults().with("onViolation", "kill-container"));
    }

    /** One technique: how to run it, and the one event it must produce (target sha: null = none expected). */
    record Technique(String name, List<String> args, Type type, String syscall, String targetPath,
                     Function<PolicyImage, String> targetSha) {
        @Override
        public String toString() {
            return name + " " + String.join(" ", args);
        }
    }

    private static Technique memory(String name, String syscall, String... args) {
        return new Technique(name, List.of(args), Type.MEMORY_EXEC_DENIED, syscall, null, i -> null);
    }

    private static Technique codeLoad(String name, String syscall, String targetPath) {
        return new Technique(name, List.of(), Type.CODE_LOAD_DENIED, syscall, targetPath, i -> null);
    }

    private static Technique exec(String name, String syscall, String target, List<String> args) {
        return new Technique(name, args, Type.EXEC_DENIED, syscall, target, i -> i.evilSha);
    }

    static Stream<Arguments> techniques() {
        String evil = "/opt/payload/evil-x";
        return Stream.of(
                memory("mmap-exec", "mmap"),
                memory("mmap-rwx", "mmap"),
                memory("mmap-file-exec", "mmap", "/etc/motd"),
                memory("mprotect-exec", "mprotect"),
                memory("pkey-mprotect", "pkey_mprotect"),
                memory("mremap-mprotect", "mprotect"),
                memory("personality-rie", "personality"),
                memory("shmat-exec", "shmat"),
                memory("memfd-mfd-exec", "memfd_create"),
                codeLoad("proc-self-mem", "open", "/proc/2/mem"),
                codeLoad("proc-parent-mem", "open", "/proc/1/mem"),
                codeLoad("process-vm-writev", "process_vm_writev", null),
                codeLoad("ptrace-poke", "ptrace", null),
                codeLoad("ptrace-attach", "ptrace", null),
                codeLoad("init-module", "init_module", null),
                codeLoad("finit-module", "finit_module", null),
                codeLoad("kexec-load", "kexec_load", null),
                codeLoad("bpf-prog-load", "bpf", null),
                exec("exec", "execve", evil, List.of(evil)),
                exec("exec-copy", "execve", "/tmp/downloaded", List.of("/data/evil.wasm", "/tmp/downloaded")),
                new Technique("exec-elf", List.of("/tmp/elf"), Type.EXEC_DENIED, "execve", "/tmp/elf", i -> null),
                new Technique("exec-script", List.of("/tmp/s.sh", "/bin/wali-echo"), Type.EXEC_DENIED, "execve", "/tmp/s.sh", i -> null),
                exec("exec-symlink", "execve", evil, List.of(evil, "/tmp/link")),
                exec("exec-hardlink", "execve", "/opt/payload/hard", List.of(evil, "/opt/payload/hard")),
                exec("exec-rename-chain", "execve", "/tmp/final", List.of(evil, "/tmp/final")),
                exec("execveat-path", "execveat", evil, List.of("/opt/payload", "evil-x")),
                exec("execveat-empty", "execveat", evil, List.of(evil)),
                exec("fexecve-proc", "execve", evil, List.of(evil)),
                exec("memfd-exec", "execveat", "/memfd:payload (deleted)", List.of(evil)),
                exec("memfd-proc-exec", "execve", "/memfd:payload (deleted)", List.of(evil)),
                // A listed script whose #! interpreter was overwritten with another listed module.
                new Technique("exec-swapped-interp", List.of("/bin/wali-hello", "/bin/wali-echo", "/opt/listed.sh"),
                        Type.EXEC_DENIED, "execve", "/opt/listed.sh", i -> null)
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("techniques")
    void killProcessRecordsTheAttemptKillsTheAttackerAndTheRestRunsOn(Technique t) {
        Run r = killProcess.attack(t.name(), t.args().toArray(String[]::new));
        assertThat(r.out()).as("stderr: %s", r.err()).contains("attempt " + t.name()).doesNotContain("survived");
        assertThat(r.out()).contains("child killed by signal 9", "supervisor alive");
        assertThat(r.exitCode()).isZero();

        AuditEvent v = theViolation(r, t);
        assertThat(v.action()).isEqualTo(AuditEvent.Action.KILL_PROCESS);
        assertThat(v.process().pid()).isEqualTo(2);
        assertThat(v.process().ppid()).isEqualTo(1);
        // The attacker's exit is recorded after the violation, as death by SIGKILL.
        List<AuditEvent> after = r.events().subList(r.events().indexOf(v) + 1, r.events().size());
        assertThat(after).filteredOn(e -> e.type() == Type.PROCESS_EXIT && e.process().pid() == 2)
                .singleElement().satisfies(e -> assertThat(e.details()).containsEntry("signal", 9L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("techniques")
    void killContainerRecordsTheAttemptAndStopsEverything(Technique t) {
        Run r = killContainer.attack(t.name(), t.args().toArray(String[]::new));
        assertThat(r.out()).as("stderr: %s", r.err()).contains("attempt " + t.name())
                .doesNotContain("survived").doesNotContain("supervisor alive");
        assertThat(r.exitCode()).isEqualTo(137);
        assertThat(r.result().policyStop()).contains(t.type().json());
        AuditEvent v = theViolation(r, t);
        assertThat(v.action()).isEqualTo(AuditEvent.Action.KILL_CONTAINER);
        assertThat(r.events().getLast().type()).isEqualTo(Type.CONTAINER_STOP);
        assertThat(r.events().getLast().details()).containsEntry("exit_code", 137L).containsKey("stopped_by_policy");
    }

    private static AuditEvent theViolation(Run r, Technique t) {
        assertThat(r.violations()).as("violations; stdout: %s", r.out()).hasSize(1);
        AuditEvent v = r.violations().getFirst();
        assertThat(v.type()).isEqualTo(t.type());
        assertThat(v.syscall().name()).isEqualTo(t.syscall());
        assertThat(v.syscall().nr()).isPositive();
        assertThat(v.process().exe()).isEqualTo("/bin/wali-violate");
        assertThat(v.reason()).isNotBlank();
        if (t.targetPath() == null) {
            assertThat(v.target()).isNull();
        } else {
            assertThat(v.target().path()).isEqualTo(t.targetPath());
            String sha = t.targetSha().apply(killProcess);
            if (sha != null) assertThat(v.target().sha256()).isEqualTo(sha);
        }
        return v;
    }
}
