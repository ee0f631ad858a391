package dev.nojit.vkernel.syscall;

/**
 * A syscall failing with an errno. Thrown from deep inside a handler (path resolution, a full
 * pipe) and turned into the {@code -errno} result at the personality boundary. No stack trace:
 * guests cause these at will.
 */
public final class SyscallError extends RuntimeException {
    private final int errno;

    public SyscallError(int errno) {
        super(null, null, false, false);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    @Override
    public String getMessage() {
        return "errno " + errno;
    }
}
