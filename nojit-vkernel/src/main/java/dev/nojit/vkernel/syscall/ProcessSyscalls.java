package dev.nojit.vkernel.syscall;

/** Process syscalls. */
public final class ProcessSyscalls {
    private ProcessSyscalls() {}

    static void register(SyscallTable t) {
    }
}
