package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.memory.MemoryBudget;
import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the memory layer of the file system costs in heap bytes ({@link HeapCost}): nodes,
 * directory entries and file content. Two limits hold: the writable layer's own size
 * ({@code KernelConfig.writableLimit}, like tmpfs's size=) and the container's one
 * {@link MemoryBudget}, which processes and kernel buffers share. Past either, ENOSPC: the errno
 * tmpfs gives when its size or its inodes run out. While the image is built, charges raise the
 * layer's own limit by as much, so the image's tree costs the container's budget but not the
 * guest's writable allowance.
 */
public final class Quota {
    private final MemoryBudget budget;
    private final AtomicLong limit;
    private final AtomicLong used = new AtomicLong();
    private volatile boolean buildingImage;

    public Quota(long limit) {
        this(limit, MemoryBudget.unlimited());
    }

    public Quota(long limit, MemoryBudget budget) {
        this.limit = new AtomicLong(limit);
        this.budget = budget;
    }

    /** Reserves {@code delta} more bytes (negative releases); ENOSPC when over either limit, nothing reserved. */
    void charge(long delta) {
        if (delta <= 0) {
            used.addAndGet(delta);
            budget.release(MemoryBudget.Use.FILES, -delta);
            return;
        }
        if (buildingImage) limit.addAndGet(delta);
        long now;
        do {
            now = used.get();
            if (now + delta > limit.get()) throw new SyscallError(Errno.ENOSPC);
        } while (!used.compareAndSet(now, now + delta));
        if (!budget.tryCharge(MemoryBudget.Use.FILES, delta)) {
            used.addAndGet(-delta);
            throw new SyscallError(Errno.ENOSPC);
        }
    }

    /** Runs {@code build} (adding image entries, mount points) with its charges outside the writable allowance. */
    void buildingImage(Runnable build) {
        buildingImage = true;
        try {
            build.run();
        } finally {
            buildingImage = false;
        }
    }

    public long used() {
        return used.get();
    }

    public long limit() {
        return limit.get();
    }
}
