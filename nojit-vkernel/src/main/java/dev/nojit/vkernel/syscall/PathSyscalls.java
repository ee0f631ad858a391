package dev.nojit.vkernel.syscall;

/** Path syscalls. */
public final class PathSyscalls {
    private PathSyscalls() {}

    static void register(SyscallTable t) {
    }
}
