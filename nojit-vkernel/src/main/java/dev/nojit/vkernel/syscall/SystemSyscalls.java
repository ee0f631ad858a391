package dev.nojit.vkernel.syscall;

/** System syscalls. */
public final class SystemSyscalls {
    private SystemSyscalls() {}

    static void register(SyscallTable t) {
    }
}
