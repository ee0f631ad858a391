package dev.nojit.vkernel.syscall;

/** Poll syscalls. */
public final class PollSyscalls {
    private PollSyscalls() {}

    static void register(SyscallTable t) {
    }
}
