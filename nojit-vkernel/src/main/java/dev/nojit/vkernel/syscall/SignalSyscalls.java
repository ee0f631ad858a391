package dev.nojit.vkernel.syscall;

/** Signal syscalls. */
public final class SignalSyscalls {
    private SignalSyscalls() {}

    static void register(SyscallTable t) {
    }
}
