package dev.nojit.vkernel.memory;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The container's one memory budget, in bytes of the vkernel's heap: every process's linear
 * memory and engine stack (a fork's copy is charged before it is made), the writable file layer (each node, each
 * directory entry and each file's allocated content) and kernel-side buffers (pipe rings). All
 * of it lives in the JVM heap, so one limit bounds what a container can make the host hold.
 * Each charge is either taken whole or refused with nothing taken; the caller picks the errno.
 */
public final class MemoryBudget {
    /** What a charge is for (one counter each, for tests and diagnostics; one limit for all). */
    public enum Use { LINEAR_MEMORY, ENGINE_STACKS, FILES, KERNEL_BUFFERS }

    private final long limit;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLongArray byUse = new AtomicLongArray(Use.values().length);

    public MemoryBudget(long limit) {
        this.limit = limit;
    }

    /** A budget that never refuses (host-side pipes, tests of other things); still counts. */
    public static MemoryBudget unlimited() {
        return new MemoryBudget(Long.MAX_VALUE);
    }

    public long limit() {
        return limit;
    }

    public long used() {
        return used.get();
    }

    public long used(Use use) {
        return byUse.get(use.ordinal());
    }

    /** Reserves {@code bytes} for {@code use}; false (nothing reserved) when that would pass the limit. */
    public boolean tryCharge(Use use, long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("negative charge");
        long now;
        do {
            now = used.get();
            if (now + bytes > limit || now + bytes < 0) return false;
        } while (!used.compareAndSet(now, now + bytes));
        byUse.addAndGet(use.ordinal(), bytes);
        return true;
    }

    /** Returns {@code bytes} charged earlier for {@code use}. */
    public void release(Use use, long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("negative release");
        byUse.addAndGet(use.ordinal(), -bytes);
        used.addAndGet(-bytes);
    }
}
