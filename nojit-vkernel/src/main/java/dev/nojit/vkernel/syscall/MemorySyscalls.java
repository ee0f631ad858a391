package dev.nojit.vkernel.syscall;

/** Memory syscalls. */
public final class MemorySyscalls {
    private MemorySyscalls() {}

    static void register(SyscallTable t) {
    }
}
