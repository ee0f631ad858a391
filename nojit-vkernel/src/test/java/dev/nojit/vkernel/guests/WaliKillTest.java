package dev.nojit.vkernel.guests;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.MemoryAuditSink;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.process.Process;
import dev.nojit.vkernel.testing.TestContainers.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static dev.nojit.vkernel.guests.WaliImage.assertAllPassed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * SIGKILL always wins (guests/src/wali/wali-kill.c): a child blocked in any call, with every other signal
 * blocked, dies of SIGKILL and its parent's wait4 sees it; stopping the container ends every process. The
 * timeouts here are bounds against a hang (the failure being tested for), not speed measurements.
 */
class WaliKillTest extends WaliImageTest {
    /** Far above any kill's latency (a host call ends within KillDeadline.BOUND), far below a hang. */
    private static final Duration HANG = Duration.ofSeconds(30);
    /** What the vkernel says when a killed process is ended without its thread. */
    private static final String ABANDONED = "ms after SIGKILL: ended without waiting for it";

    @ParameterizedTest
    @ValueSource(strings = {"atomic-wait", "futex", "pipe-read", "pipe-write", "poll", "ppoll", "select", "pselect6",
            "epoll-wait", "eventfd-read", "sendfile", "nanosleep", "clock-nanosleep", "wait4", "pause", "sigsuspend", "spin"})
    void sigkillEndsAChildBlockedIn(String call) {
        Run r = assertTimeoutPreemptively(HANG, () -> image.run("wali-kill", call));
        assertAllPassed(r);
        assertThat(r.out()).contains("ok the blocked child died of SIGKILL", "kill-latency " + call + " ");
        assertThat(r.err()).as("the kill woke the call itself; no reaper needed").doesNotContain(ABANDONED);
    }

    @Test
    void sigkillEndsAChildBlockedReadingStdin() throws Exception {
        // The host's stdin stays open and silent: the guest's read waits for input that never comes.
        try (PipedOutputStream silent = new PipedOutputStream(); PipedInputStream stdin = new PipedInputStream(silent)) {
            Run r = assertTimeoutPreemptively(HANG, () -> run(stdin, null, "stdin-read"));
            assertAllPassed(r);
            assertThat(r.out()).contains("ok the blocked child died of SIGKILL", "kill-latency stdin-read ");
            assertThat(r.err()).doesNotContain(ABANDONED);
        }
    }

    @Test
    void sigkillEndsAChildStuckInAHostWrite() throws Exception {
        // stdout is a real host pipe that nobody drains (a process that never reads its stdin): the child's
        // write(2) blocks in the host kernel, where no Java interrupt reaches it. The parent reports on stderr.
        java.lang.Process sink;
        try {
            sink = new ProcessBuilder("sleep", "300").start();
        } catch (java.io.IOException e) {
            // Under the host lockdown execution of these tests no host process may be started (seccomp); the
            // plain execution runs this test.
            org.junit.jupiter.api.Assumptions.abort("cannot start a host process here: " + e.getMessage());
            return;
        }
        try {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Run r = assertTimeoutPreemptively(HANG, () -> run(InputStream.nullInputStream(), sink.getOutputStream(), err, "host-write"));
            assertAllPassed(r);
            assertThat(r.err()).contains("ok the blocked child died of SIGKILL", "kill-latency host-write ");
            // No interrupt reaches a host write: the process was ended without its thread (KillDeadline). The
            // vkernel says so just after that exit, so the line may trail the end of the run by a moment.
            assertTimeoutPreemptively(HANG, () -> {
                while (!err.toString(StandardCharsets.UTF_8).contains(ABANDONED)) Thread.sleep(20);
            });
        } finally {
            sink.destroyForcibly(); // the abandoned write now fails with EPIPE and its thread ends
        }
    }

    @Test
    void sigstopCannotBeCaughtIgnoredOrBlockedAndAStoppedChildIsStillKillable() {
        Run r = assertTimeoutPreemptively(HANG, () -> image.run("wali-kill", "sigstop"));
        assertAllPassed(r);
        assertThat(r.out()).contains("ok SIGSTOP cannot be ignored", "ok SIGKILL cannot be ignored", "ok SIGSTOP cannot be caught",
                "ok SIGKILL and SIGSTOP stay unblocked", "ok a child sent SIGSTOP is still killed by SIGKILL");
    }

    @Test
    void stoppingTheContainerEndsEveryBlockedProcess() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MemoryAuditSink audit = new MemoryAuditSink();
        Container.Options o = Container.Options.defaults()
                .withStdio(InputStream.nullInputStream(), out, OutputStream.nullOutputStream()).withAudit(audit);
        try (Container c = Container.create(image.bundle(), o)) {
            Container.Result result = assertTimeoutPreemptively(HANG,
                    () -> c.run("/bin/wali-kill", List.of("stop-container"), Duration.ofSeconds(3)));
            assertThat(result.timedOut()).isTrue();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("blocked 17");
            // Every process ended when run returned: pid 1 and its 17 children (and the wait4 child's own child).
            assertThat(c.kernel().processes().all().values()).noneMatch(p -> p.state() == Process.State.RUNNING);
            List<AuditEvent> exits = audit.events().stream().filter(e -> e.type() == AuditEvent.Type.PROCESS_EXIT).toList();
            assertThat(exits).hasSize(19).allMatch(e -> Long.valueOf(9).equals(e.details().get("signal")));
        }
    }

    @Test
    void nestedHandlerStormsAreBoundedAndEveryExecAttemptIsRecorded() {
        Run r = assertTimeoutPreemptively(HANG, () -> image.run("wali-kill", "storm"));
        long attempts = r.out().lines().filter(l -> l.equals("ATTEMPT nested-handler-storm")).count();
        List<AuditEvent> denied = r.events(AuditEvent.Type.MEMORY_EXEC_DENIED);
        assertThat(r.out()).doesNotContain("SURVIVED");
        List<String> children = r.out().lines().filter(l -> l.startsWith("storm-child ")).toList();
        assertThat(children).as("stdout: %s", r.out()).hasSize(28);
        long withinLimit = 0;
        for (String line : children) {
            int at = Integer.parseInt(line.replaceAll(".*at=(\\d+).*", "$1"));
            int status = Integer.parseInt(line.replaceAll(".*status=(\\d+).*", "$1"));
            // Within the limit the policy killed the child (SIGKILL); beyond it the nesting limit did (SIGSEGV).
            assertThat(status).as(line).isEqualTo(at <= Process.MAX_HANDLER_NESTING ? 9 : 11);
            if (at <= Process.MAX_HANDLER_NESTING) withinLimit++;
        }
        assertThat(withinLimit).isEqualTo(26);
        assertThat(attempts).isEqualTo(withinLimit);
        assertThat(denied).hasSize((int) attempts); // exactly one durable event per attempt
        assertThat(r.err()).doesNotContain("StackOverflowError", "internal error", "engine fault")
                .contains("handlers nested " + Process.MAX_HANDLER_NESTING + " deep: killed by SIGSEGV");
    }

    /** Runs wali-kill CALL with this stdin, and this stdout (null: captured); stderr is captured. */
    private static Run run(InputStream stdin, OutputStream stdout, String call) {
        return run(stdin, stdout, new ByteArrayOutputStream(), call);
    }

    private static Run run(InputStream stdin, OutputStream stdout, ByteArrayOutputStream err, String call) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MemoryAuditSink audit = new MemoryAuditSink();
        Container.Options o = Container.Options.defaults().withStdio(stdin, stdout == null ? out : stdout, err).withAudit(audit);
        try (Container c = Container.create(image.bundle(), o)) {
            Container.Result result = c.run("/bin/wali-kill", List.of(call), Duration.ofSeconds(60));
            return new Run(result, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), audit.events());
        }
    }
}
