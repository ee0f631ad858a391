package dev.nojit.host;

/** A host kernel call failed: the call and its errno (EPERM = 1, EINVAL = 22, ENOSYS = 38, EOPNOTSUPP = 95, ...). */
public final class HostCallException extends RuntimeException {
    private final int errno;

    public HostCallException(String call, int errno) {
        super(call + " failed: errno " + errno);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
