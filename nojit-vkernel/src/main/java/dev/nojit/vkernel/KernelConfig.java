package dev.nojit.vkernel;

import dev.nojit.engine.EngineConfig;

/**
 * Container limits.
 *
 * @param maxProcesses   processes alive at once (zombies count); fork beyond gets EAGAIN
 * @param memoryLimit    bytes of linear memory across all processes
 * @param writableLimit  bytes the writable memory layer of the file system may hold
 * @param maxOpenFiles   descriptors per process (RLIMIT_NOFILE)
 * @param maxArgBytes    bytes of argv plus environment that execve accepts (ARG_MAX)
 * @param maxModuleBytes largest file execve will read and hash
 * @param engine         engine limits (call depth, stack, table sizes)
 */
public record KernelConfig(int maxProcesses, long memoryLimit, long writableLimit, int maxOpenFiles,
                           int maxArgBytes, long maxModuleBytes, EngineConfig engine) {
    /** Heap the vkernel keeps beyond the budgeted bytes: module images, engine stacks, the JDK itself. */
    public static final long HEAP_RESERVE = 256L << 20;
    private static final long MAX_MEMORY_LIMIT = 2L << 30, MIN_MEMORY_LIMIT = 16L << 20;

    /**
     * 256 processes, 256 MiB of writable files, 1024 descriptors, 2 MiB of argv; memory: what
     * {@link #memoryLimitForHeap} allows this JVM's heap.
     */
    public static KernelConfig defaults() {
        long memory = memoryLimitForHeap(Runtime.getRuntime().maxMemory());
        return new KernelConfig(256, memory, 256L << 20, 1024, 2 << 20, 256L << 20, EngineConfig.defaults());
    }

    /**
     * The memory limit (the container's one budget) a heap of {@code maxHeap} bytes can hold: at
     * most 2 GiB, and at most half of the heap beyond {@link #HEAP_RESERVE}. Half, because
     * WebAssembly memory grows by copying its array (old and new are alive together) and the JVM
     * keeps garbage until it collects; the inverse of {@link #heapFor}.
     */
    public static long memoryLimitForHeap(long maxHeap) {
        return Math.max(MIN_MEMORY_LIMIT, Math.min(MAX_MEMORY_LIMIT, (maxHeap - HEAP_RESERVE) / 2));
    }

    /**
     * The heap the vkernel JVM is given for a container of {@code memoryLimit}: twice the limit
     * plus the reserve. It bounds the container's host footprint (the heap never grows past it)
     * at about 2 x the limit plus a constant, however much memory the host has.
     */
    public static long heapFor(long memoryLimit) {
        return 2 * memoryLimit + HEAP_RESERVE;
    }

    public KernelConfig withMaxProcesses(int n) {
        return new KernelConfig(n, memoryLimit, writableLimit, maxOpenFiles, maxArgBytes, maxModuleBytes, engine);
    }

    public KernelConfig withMemoryLimit(long bytes) {
        return new KernelConfig(maxProcesses, bytes, writableLimit, maxOpenFiles, maxArgBytes, maxModuleBytes, engine);
    }

    public KernelConfig withWritableLimit(long bytes) {
        return new KernelConfig(maxProcesses, memoryLimit, bytes, maxOpenFiles, maxArgBytes, maxModuleBytes, engine);
    }

    /** Engine limits for one process: its memory may not pass the container's limit (nor the engine's maximum). */
    public EngineConfig engineFor(boolean lenientCallIndirect) {
        long pages = Math.max(1, Math.min(memoryLimit / 65536, engine.maxMemoryPages()));
        return engine.withMaxMemoryPages((int) pages).withLenientCallIndirect(lenientCallIndirect);
    }
}
