package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

/**
 * Where poll/select sleep: every change that can make a descriptor ready (pipe data, a closed
 * end, host input arriving) bumps a generation and wakes the sleepers, who then re-check their
 * descriptors. Coarse, but it cannot lose a wakeup.
 */
public final class Readiness {
    private static final Object LOCK = new Object();
    private static long generation;

    private Readiness() {}

    public static void changed() {
        synchronized (LOCK) {
            generation++;
            LOCK.notifyAll();
        }
    }

    public static long generation() {
        synchronized (LOCK) {
            return generation;
        }
    }

    /** Sleeps until the generation moves past {@code seen} or {@code nanos} pass (negative: forever); EINTR on interrupt. */
    public static void awaitChange(long seen, long nanos) {
        long deadline = nanos < 0 ? Long.MAX_VALUE : System.nanoTime() + nanos;
        synchronized (LOCK) {
            while (generation == seen) {
                long left = deadline == Long.MAX_VALUE ? 0 : deadline - System.nanoTime();
                if (deadline != Long.MAX_VALUE && left <= 0) return;
                try {
                    if (deadline == Long.MAX_VALUE) LOCK.wait();
                    else LOCK.wait(Math.max(1, left / 1_000_000), 0);
                } catch (InterruptedException e) {
                    throw new SyscallError(Errno.EINTR);
                }
            }
        }
    }
}
