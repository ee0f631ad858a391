package dev.nojit.cli.simulate;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.AuditEvent.Action;
import dev.nojit.audit.AuditEvent.Type;
import dev.nojit.vkernel.Container;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The judging rules on made-up runs: what must fail a row even when the attack's own output looks
 * fine — a SURVIVED line, a missing event, an extra or wrong event, a call that returned.
 */
class JudgeTest {
    private static final Technique MMAP = technique("mmap-exec", Expectation.violation(Type.MEMORY_EXEC_DENIED, "mmap"));
    private static final Technique MISSING = technique("exec-missing", new Expectation.Errno("ENOENT", 2));
    private static final Container.Result KILLED = new Container.Result(137, 9, false, null, null);
    private static final Container.Result EXITED = new Container.Result(0, 0, false, null, null);

    private static Technique technique(String name, Expectation e) {
        return new Technique(name, "memory", Technique.Profile.KILL_PROCESS, "entry", e, "why", null);
    }

    private static AuditEvent violation(Type type, String syscall) {
        return new AuditEvent(type, new AuditEvent.ProcessRef(1, 0, "/bin/attack-memory", null, List.of()),
                new AuditEvent.SyscallRef(syscall, 9, Map.of()), null, Action.KILL_PROCESS, "no", Map.of());
    }

    private static AuditEvent exit(int signal) {
        return new AuditEvent(Type.PROCESS_EXIT, new AuditEvent.ProcessRef(1, 0, "/bin/attack-memory", null, List.of()),
                null, null, Action.ALLOWED, null, Map.of("signal", (long) signal));
    }

    private static AuditEvent start() {
        return new AuditEvent(Type.CONTAINER_START, null, null, null, Action.ALLOWED, null, Map.of());
    }

    private static Row judge(Technique t, String out, Container.Result r, AuditEvent... events) {
        return Judge.judge(t, new Judge.Run(out, r, new ArrayList<>(List.of(events))));
    }

    @Test
    void theViolationKilledBeforeItsCallReturnedPassesWithItsSeq() {
        Row r = judge(MMAP, "ATTEMPT mmap-exec\n", KILLED, start(), violation(Type.MEMORY_EXEC_DENIED, "mmap"), exit(9));
        assertThat(r.passed()).as(r.observed()).isTrue();
        assertThat(r.seq()).isEqualTo("2");
    }

    @Test
    void aSurvivedLineFailsTheRowWhateverTheEvents() {
        Row r = judge(MMAP, "ATTEMPT mmap-exec\nSURVIVED mmap-exec returned ret=65536\n", KILLED, start(),
                violation(Type.MEMORY_EXEC_DENIED, "mmap"), exit(9));
        assertThat(r.passed()).isFalse();
        assertThat(r.observed()).startsWith("GOT THROUGH");
    }

    @Test
    void aMissingWrongOrExtraEventOrAReturnedCallFails() {
        assertThat(judge(MMAP, "ATTEMPT mmap-exec\n", KILLED, start(), exit(9)).passed()).as("no event").isFalse();
        assertThat(judge(MMAP, "ATTEMPT mmap-exec\n", KILLED, start(), violation(Type.MEMORY_EXEC_DENIED, "mprotect"), exit(9))
                .passed()).as("wrong syscall").isFalse();
        assertThat(judge(MMAP, "ATTEMPT mmap-exec\n", KILLED, start(), violation(Type.CODE_LOAD_DENIED, "mmap"), exit(9))
                .passed()).as("wrong type").isFalse();
        assertThat(judge(MMAP, "ATTEMPT mmap-exec\n", KILLED, start(), violation(Type.MEMORY_EXEC_DENIED, "mmap"),
                violation(Type.MEMORY_EXEC_DENIED, "mmap"), exit(9)).passed()).as("two events").isFalse();
        assertThat(judge(MMAP, "ATTEMPT mmap-exec\n", KILLED, start(), violation(Type.MEMORY_EXEC_DENIED, "mmap"))
                .passed()).as("offender not killed").isFalse();
        assertThat(judge(MMAP, "ATTEMPT mmap-exec\nRESULT mmap-exec ret=-22\n", EXITED, start(),
                violation(Type.MEMORY_EXEC_DENIED, "mmap"), exit(9)).passed()).as("the call returned").isFalse();
    }

    @Test
    void anErrnoRowFailsOnAnUnexpectedViolationOrAnotherErrno() {
        assertThat(judge(MISSING, "ATTEMPT exec-missing\nRESULT exec-missing ret=-2\n", EXITED, start()).passed()).isTrue();
        assertThat(judge(MISSING, "ATTEMPT exec-missing\nRESULT exec-missing ret=-13\n", EXITED, start()).passed()).isFalse();
        Row extra = judge(MISSING, "ATTEMPT exec-missing\nRESULT exec-missing ret=-2\n", EXITED, start(),
                violation(Type.EXEC_DENIED, "execve"));
        assertThat(extra.passed()).isFalse();
        assertThat(extra.observed()).contains("unexpected violation");
        assertThat(extra.seq()).isEqualTo("2");
    }

    @Test
    void aMountSwapRowFailsWhenAStatAnswerCarriesTheCanarysSizeOrMode() {
        Technique swap = technique("mount-swap-fstat", new Expectation.Contained(null, null));
        Row fine = judge(swap, "ATTEMPT mount-swap-fstat\nSTEP mount-swap-fstat size=6\nRESULT mount-swap-fstat ret=0\n", EXITED, start());
        assertThat(fine.passed()).as(fine.observed()).isTrue();
        for (String leak : List.of("size=" + MountSwapRow.CANARY_SIZE, "mode=" + MountSwapRow.CANARY_MODE)) {
            Row r = judge(swap, "ATTEMPT mount-swap-fstat\nSTEP mount-swap-fstat " + leak + "\nRESULT mount-swap-fstat ret=0\n", EXITED, start());
            assertThat(r.passed()).isFalse();
            assertThat(r.observed()).startsWith("GOT THROUGH");
        }
        Technique abs = technique("mount-swap-abs-symlink", new Expectation.Contained("EPERM", 1));
        assertThat(judge(abs, "ATTEMPT mount-swap-abs-symlink\nRESULT mount-swap-abs-symlink ret=0\n", EXITED, start()).passed()).isFalse();
    }

    // ---- issue 15: signals (Expectation.Returns, Expectation.EveryAttempt) ----

    private static final Technique STORM = technique("nested-handler-storm", new Expectation.EveryAttempt(Type.MEMORY_EXEC_DENIED, "mmap"));
    private static final Technique WAIT_KILL = technique("atomic-wait-kill", new Expectation.Returns(9, "child died of SIGKILL"));

    private static AuditEvent violationBy(int pid) {
        return new AuditEvent(Type.MEMORY_EXEC_DENIED, new AuditEvent.ProcessRef(pid, 1, "/bin/attack-signals", null, List.of()),
                new AuditEvent.SyscallRef("mmap", 9, Map.of()), null, Action.KILL_PROCESS, "no", Map.of());
    }

    private static AuditEvent exitOf(int pid, int signal) {
        return new AuditEvent(Type.PROCESS_EXIT, new AuditEvent.ProcessRef(pid, 1, "/bin/attack-signals", null, List.of()),
                null, null, Action.ALLOWED, null, Map.of("signal", (long) signal));
    }

    @Test
    void everyAttemptWithItsOwnEventPasses() {
        String out = "ATTEMPT nested-handler-storm\nATTEMPT nested-handler-storm\nSTEP nested-handler-storm segv=1\n"
                + "RESULT nested-handler-storm ret=3\n";
        Row r = judge(STORM, out, EXITED, start(), violationBy(2), exitOf(2, 9), violationBy(3), exitOf(3, 9), exitOf(4, 11));
        assertThat(r.passed()).as(r.observed()).isTrue();
        assertThat(r.observed()).isEqualTo("2 attempts, 2 events, segv 1, each killed");
    }

    @Test
    void anAttemptWithoutItsEventGetsThrough() {
        String out = "ATTEMPT nested-handler-storm\nATTEMPT nested-handler-storm\nRESULT nested-handler-storm ret=2\n";
        Row r = judge(STORM, out, EXITED, start(), violationBy(2), exitOf(2, 9), exitOf(3, 6));
        assertThat(r.passed()).isFalse();
        assertThat(r.observed()).startsWith("GOT THROUGH").contains("2 attempts, 1 events");
    }

    @Test
    void anOffenderThatDidNotDieOfSigkillFails() {
        String out = "ATTEMPT nested-handler-storm\nRESULT nested-handler-storm ret=1\n";
        Row r = judge(STORM, out, EXITED, start(), violationBy(2), exitOf(2, 6));
        assertThat(r.passed()).isFalse();
        assertThat(r.observed()).contains("did not die of SIGKILL");
    }

    @Test
    void aReturnedValueMustBeTheExpectedOne() {
        assertThat(judge(WAIT_KILL, "RESULT atomic-wait-kill ret=9\n", EXITED, start()).passed()).isTrue();
        Row other = judge(WAIT_KILL, "RESULT atomic-wait-kill ret=15\n", EXITED, start());
        assertThat(other.passed()).isFalse();
        assertThat(other.observed()).isEqualTo("returned 15, expected 9");
        Row hung = judge(WAIT_KILL, "SURVIVED atomic-wait-kill child-outlived-sigkill ret=10000\n", EXITED, start());
        assertThat(hung.passed()).isFalse();
        assertThat(hung.observed()).startsWith("GOT THROUGH");
    }
}
