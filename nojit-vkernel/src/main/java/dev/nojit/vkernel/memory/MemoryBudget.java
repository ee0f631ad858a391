package dev.nojit.vkernel.memory;

import java.util.concurrent.atomic.AtomicLong;

/** The container's memory limit: the linear memories of all its processes together. */
public final class MemoryBudget {
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    public MemoryBudget(long limit) {
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    public long used() {
        return used.get();
    }

    /** Reserves {@code bytes}; false (nothing reserved) when that would pass the limit. */
    public boolean tryCharge(long bytes) {
        long now;
        do {
            now = used.get();
            if (now + bytes > limit) return false;
        } while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    public void release(long bytes) {
        used.addAndGet(-bytes);
    }
}
