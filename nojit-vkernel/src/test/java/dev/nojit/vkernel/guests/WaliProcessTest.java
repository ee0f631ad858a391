package dev.nojit.vkernel.guests;

import dev.nojit.audit.AuditEvent;
import dev.nojit.vkernel.KernelConfig;
import dev.nojit.vkernel.testing.TestContainers.Run;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** execve of another program and the process tree around it (guests/src/wali/wali-exec.c, wali-echo.c). */
class WaliProcessTest extends WaliImageTest {
    private static Run run() {
        return image.once("exec", () -> image.run(KernelConfig.defaults().withMaxProcesses(40), "wali-exec"));
    }

    @Test
    void everyCheckPassesAndTheOnlyViolationsAreTheThreeExecsOfRunTimeCode() {
        Run r = run();
        assertThat(r.out()).as("stderr: %s", r.err()).doesNotContain("FAIL");
        assertThat(r.exitCode()).as("stdout: %s%nstderr: %s", r.out(), r.err()).isZero();
        // The children that tried died; pid 1 went on and reported every check.
        assertThat(r.violations()).extracting(e -> e.type(), e -> e.target().path(), e -> e.action())
                .containsExactly(
                        tuple(AuditEvent.Type.EXEC_DENIED, "/tmp/new.wasm", AuditEvent.Action.KILL_PROCESS),
                        tuple(AuditEvent.Type.EXEC_DENIED, "/tmp/script", AuditEvent.Action.KILL_PROCESS),
                        // refused as an unlisted script, before its interpreter is looked at
                        tuple(AuditEvent.Type.EXEC_DENIED, "/tmp/script2", AuditEvent.Action.KILL_PROCESS));
    }

    @Test
    void execveOfAnotherGuestPassesArgvEnvAndWhatLinuxKeeps() {
        Run r = run();
        assertThat(r.out()).contains("ok the other program's exit code", "ok argv crosses execve, empty strings included",
                "ok a 10,000-byte argument arrives intact", "ok envp crosses execve",
                "ok execve resets a handled signal to default", "ok execve keeps SIG_IGN", "ok execve keeps the signal mask",
                "ok execve keeps the working directory", "ok execve keeps the umask",
                "ok O_CLOEXEC and F_DUPFD_CLOEXEC descriptors closed", "ok execve keeps the pid and the parent");
    }

    @Test
    void modulesAndScriptsWrittenAtRunTimeAreNotExecuted() {
        Run r = run();
        assertThat(r.out()).contains("ok execve of a data file: EACCES", "ok execve of a module written at run time: the child is killed",
                "ok execve of a script written at run time: the child is killed",
                "ok a script whose interpreter was written at run time: the child is killed",
                "ok the caller keeps its memory and descriptors");
    }

    @Test
    void orphansGroupsForkCopiesAndRlimits() {
        Run r = run();
        assertThat(r.out()).contains("ok an orphan's parent becomes pid 1", "ok pid 1 reaps the orphan",
                "ok wait4(-pgid) reaps that group only", "ok the whole group died of SIGTERM",
                "ok wait4(0) reaps a child of the caller's group",
                "ok the child's writes do not reach the parent's memory", "ok the child's read moved the shared offset",
                "ok exit_group(261) is status 5", "ok exit_group(-1) is status 255", "ok wait4 with a NULL status pointer",
                "ok setrlimit(RLIMIT_NOFILE) lowers the descriptor limit and raises it back",
                "RLIMIT_NPROC 40");
    }
}
