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

    /**
     * Waits while the value still equals the expected one. Returns 0 when woken by notify, 1 when the value
     * differed, 2 on time-out. Polls the machine's interrupt flag so a waiting guest can still be stopped.
     */
    int await(long addr, ValueCheck check, long timeoutNanos, Machine machine) {
        Waiter me = new Waiter();
        long deadline = timeoutNanos < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
        synchronized (this) {
            if (!check.stillEquals()) return 1;
            queues.computeIfAbsent(addr, k -> new ArrayDeque<>()).add(me);
            try {
                while (!me.woken) {
                    long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                    if (left <= 0) return 2;
                    if (machine.interruptPending()) throw machine.interruptTrap();
                    long slice = Math.min(left, 10_000_000L);
                    try {
                        wait(slice / 1_000_000L, (int) (slice % 1_000_000L));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new Trap(TrapKind.INTERRUPTED);
                    }
                }
                return 0;
            } finally {
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
