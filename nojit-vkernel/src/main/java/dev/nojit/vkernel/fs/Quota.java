package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.util.concurrent.atomic.AtomicLong;

/** The size limit of the writable memory layer: file bytes held in memory, across the container. */
public final class Quota {
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    public Quota(long limit) {
        this.limit = limit;
    }

    /** Reserves {@code delta} more bytes (negative releases); ENOSPC when over the limit. */
    void charge(long delta) {
        if (delta <= 0) {
            used.addAndGet(delta);
            return;
        }
        long now;
        do {
            now = used.get();
            if (now + delta > limit) throw new SyscallError(Errno.ENOSPC);
        } while (!used.compareAndSet(now, now + delta));
    }

    public long used() {
        return used.get();
    }

    public long limit() {
        return limit;
    }
}
