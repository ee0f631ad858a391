package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.syscall.SyscallError;

/** The errno an operation fails with, or 0 when it succeeds. */
final class Errnos {
    private Errnos() {}

    static int of(Runnable operation) {
        try {
            operation.run();
        } catch (SyscallError e) {
            return e.errno();
        }
        return 0;
    }
}
