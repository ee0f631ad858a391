package dev.nojit.vkernel.process;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The bound on SIGKILL. A kill wakes the process wherever the vkernel or the engine has it wait (every
 * blocking syscall goes through {@link Process#blocking}, memory.atomic.wait through the engine's interrupt),
 * and it dies at once. A thread stuck where no interrupt reaches — a host call that does not return (a write
 * to a host pipe nobody drains, a read from a hung file system) — cannot be stopped from Java; so if the
 * process is still running {@link #BOUND} after the kill, it is ended without its thread: it becomes a zombie,
 * its descriptors close and its parent's wait4 returns SIGKILL. The thread, should it ever return, runs no
 * more guest code. The one wait it is not ended in is the durable write of its own violation's audit event,
 * which must come first in the log (invariant 3); that write succeeds or stops the container.
 */
public final class KillDeadline {
    /** How long a killed process may stay in a host call before it is ended without its thread. */
    public static final Duration BOUND = Duration.ofMillis(500);

    private KillDeadline() {}

    static void start(Process p) {
        try {
            p.kernel().timer().schedule(() -> check(p), BOUND.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the kernel is shutting down: every process has been waited for already
        }
    }

    private static void check(Process p) {
        if (p.hasEnded()) return;
        if (p.isRecordingViolation()) { // its violation goes into the log first: look again later
            start(p);
            return;
        }
        // Its own thread: the exit may itself wait on the host (closing a stuck host file), and the timer
        // thread also runs every alarm of the container.
        Thread reaper = new Thread(p::endWithoutItsThread, "nojit-reaper-" + p.pid());
        reaper.setDaemon(true);
        reaper.start();
    }
}
