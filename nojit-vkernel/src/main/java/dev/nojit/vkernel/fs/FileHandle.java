package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

/**
 * The content side of an open file: positional reads and writes. Stream-like files (pipes,
 * devices, the terminal) ignore the position and say so with {@link #seekable()}. Blocking
 * reads and writes wait interruptibly and return -EINTR-worthy {@link SyscallError}s.
 */
public interface FileHandle {
    /** Reads up to len bytes at pos; 0 at end of file. */
    int read(long pos, byte[] buf, int off, int len);

    /** Writes len bytes at pos (or at the end when {@code append}); returns the count written. */
    int write(long pos, byte[] buf, int off, int len);

    default long size() {
        return 0;
    }

    default void truncate(long length) {
        throw new SyscallError(Errno.EINVAL);
    }

    default boolean seekable() {
        return true;
    }

    /** poll(2) readiness: POLLIN, POLLOUT, POLLHUP, POLLERR bits. */
    default int poll() {
        return Poll.POLLIN | Poll.POLLOUT;
    }

    default void sync() {}

    /** The last reference to the open file description went away. */
    default void close() {}
}
