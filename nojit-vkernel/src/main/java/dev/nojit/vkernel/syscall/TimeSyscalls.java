package dev.nojit.vkernel.syscall;

/** Time syscalls. */
public final class TimeSyscalls {
    private TimeSyscalls() {}

    static void register(SyscallTable t) {
    }
}
