package dev.nojit.vkernel.syscall;

/** File syscalls. */
public final class FileSyscalls {
    private FileSyscalls() {}

    static void register(SyscallTable t) {
    }
}
