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
    /**
     * 256 processes, 256 MiB of writable files, 1024 descriptors, 2 MiB of argv; memory: 2 GiB or
     * half the JVM's heap, whichever is less — guest memories live in the heap, and a guest must
     * never exhaust it (the writable layer and forks' copies need room too).
     */
    public static KernelConfig defaults() {
        long memory = Math.min(2L << 30, Runtime.getRuntime().maxMemory() / 2);
        return new KernelConfig(256, memory, 256L << 20, 1024, 2 << 20, 256L << 20, EngineConfig.defaults());
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
