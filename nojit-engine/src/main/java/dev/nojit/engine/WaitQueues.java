package dev.nojit.engine;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The waiter lists of one shared memory (threads proposal: memory.atomic.wait32/64 and memory.atomic.notify).
 * The value check and the enqueue happen under the same lock that notify takes, so no wake-up is lost.
 */
final class WaitQueues {
    /** A waiting thread; {@code woken} is set under the lock by notify. */
    private static final class Waiter {
        boolean woken;
    }

    private final Map<Long, ArrayDeque<Waiter>> queues = new HashMap<>();

    interface ValueCheck {
        boolean stillEquals();
    }

    /** What {@link #await} returns besides 0 (woken), 1 (not equal) and 2 (timed out): a signal handler moved the machine. */
    static final int UNWOUND = -1;

    /**
     * Waits while the value still equals the expected one. Returns 0 when woken by notify, 1 when the value
     * differed, 2 on time-out, {@link #UNWOUND} when a safepoint handler run meanwhile unwound the machine. An
     * interrupt of the machine wakes the wait at once ({@link Machine#parkOn}): a plain one traps, a safepoint
     * handler (a signal, a kill) runs outside the lock and the wait starts again against the same deadline, as a
     * futex wait is restarted after a signal handler. In compiled code ({@code compiledCaller} non-null) an unwind
     * by the handler leaves as an exception instead.
     */
    int await(long addr, ValueCheck check, long timeoutNanos, Machine machine, Instance compiledCaller) {
        long deadline = timeoutNanos < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
        while (true) {
            int outcome = awaitOnce(addr, check, deadline, machine);
            if (outcome != INTERRUPTED) return outcome;
            if (machine.takeInterruptWhileBlocked(compiledCaller)) return UNWOUND;
        }
    }

    private static final int INTERRUPTED = -2;

    private int awaitOnce(long addr, ValueCheck check, long deadline, Machine machine) {
        Waiter me = new Waiter();
        synchronized (this) {
            if (!check.stillEquals()) return 1;
            queues.computeIfAbsent(addr, k -> new ArrayDeque<>()).add(me);
            machine.parkOn(this); // before the flag is read: an interrupt after this point finds the queue to wake
            try {
                while (!me.woken) {
                    if (machine.interruptRequested()) return INTERRUPTED;
                    long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                    if (left <= 0) return 2;
                    // Bounded sleeps only as a safety net: notify and interrupts wake the queue themselves.
                    long slice = Math.min(left, 100_000_000L);
                    try {
                        wait(slice / 1_000_000L, (int) (slice % 1_000_000L));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new Trap(TrapKind.INTERRUPTED);
                    }
                }
                return 0;
            } finally {
                machine.parkOn(null);
                if (!me.woken) {
                    ArrayDeque<Waiter> q = queues.get(addr);
                    if (q != null) {
                        q.remove(me);
                        if (q.isEmpty()) queues.remove(addr);
                    }
                }
            }
        }
    }

    /** Wakes every sleeper so each re-checks its machine's interrupt flag (notify's own wake-ups are per waiter). */
    synchronized void wakeAll() {
        notifyAll();
    }

    /** Wakes up to {@code count} waiters on {@code addr} in arrival order; returns how many woke. */
    synchronized int notify(long addr, long count) {
        ArrayDeque<Waiter> q = queues.get(addr);
        int woken = 0;
        while (q != null && woken < count && !q.isEmpty()) {
            q.poll().woken = true;
            woken++;
        }
        if (q != null && q.isEmpty()) queues.remove(addr);
        if (woken > 0) notifyAll();
        return woken;
    }
}
