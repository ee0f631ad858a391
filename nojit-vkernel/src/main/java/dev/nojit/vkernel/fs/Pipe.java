package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

/**
 * A pipe: a bounded byte queue with blocking reads and writes. Reads return 0 once every write
 * end is closed and the queue is empty; writes with no read end open fail with EPIPE (the
 * caller raises SIGPIPE). Writes of at most {@link #CAPACITY} bytes are atomic, as POSIX asks
 * for PIPE_BUF and more.
 */
public final class Pipe {
    public static final int CAPACITY = 65536;
    private static final int FIRST_BUFFER = 4096;
    private byte[] ring = new byte[0]; // grows on demand up to CAPACITY: most pipes carry little
    private int head, count;
    private int readers = 1, writers = 1;
    private final Runnable onGone;

    public Pipe() {
        this(() -> {});
    }

    /** {@code onGone} runs once both ends are closed (the container counts live pipes). */
    public Pipe(Runnable onGone) {
        this.onGone = onGone;
    }

    private void ensureRoom(int wanted) {
        if (ring.length - count >= wanted || ring.length == CAPACITY) return;
        int size = Math.max(FIRST_BUFFER, ring.length);
        while (size - count < wanted && size < CAPACITY) size *= 2;
        size = Math.min(size, CAPACITY);
        byte[] grown = new byte[size];
        for (int i = 0; i < count; i++) grown[i] = ring[(head + i) % ring.length];
        ring = grown;
        head = 0;
    }

    /** The read end, as a file handle. */
    public FileHandle readEnd() {
        return new End(false);
    }

    public FileHandle writeEnd() {
        return new End(true);
    }

    synchronized int read(byte[] buf, int off, int len, boolean nonBlocking) {
        if (len == 0) return 0;
        while (count == 0) {
            if (writers == 0) return 0;
            if (nonBlocking) throw new SyscallError(Errno.EAGAIN);
            waitInterruptibly();
        }
        int n = Math.min(len, count);
        for (int i = 0; i < n; i++) buf[off + i] = ring[(head + i) % ring.length];
        head = (head + n) % ring.length;
        count -= n;
        notifyAll();
        Readiness.changed();
        return n;
    }

    synchronized int write(byte[] buf, int off, int len, boolean nonBlocking) {
        int done = 0;
        while (done < len) {
            if (readers == 0) {
                if (done > 0) return done;
                throw new SyscallError(Errno.EPIPE);
            }
            ensureRoom(Math.min(len - done, CAPACITY));
            int free = ring.length - count;
            boolean atomic = len <= CAPACITY;
            if (free == 0 || (atomic && free < len - done)) {
                if (nonBlocking) {
                    if (done > 0) return done;
                    throw new SyscallError(Errno.EAGAIN);
                }
                try {
                    waitInterruptibly();
                } catch (SyscallError e) {
                    if (done > 0) return done;
                    throw e;
                }
                continue;
            }
            int n = Math.min(free, len - done);
            for (int i = 0; i < n; i++) ring[(head + count + i) % ring.length] = buf[off + done + i];
            count += n;
            done += n;
            notifyAll();
            Readiness.changed();
        }
        return done;
    }

    private void waitInterruptibly() {
        try {
            wait();
        } catch (InterruptedException e) {
            throw new SyscallError(Errno.EINTR);
        }
    }

    synchronized int poll(boolean writeSide) {
        if (writeSide) {
            if (readers == 0) return Poll.POLLERR | Poll.POLLOUT;
            return count < CAPACITY ? Poll.POLLOUT : 0;
        }
        int r = count > 0 ? Poll.POLLIN : 0;
        if (writers == 0) r |= Poll.POLLHUP;
        return r;
    }

    synchronized int available() {
        return count;
    }

    synchronized void closeEnd(boolean writeSide) {
        if (writeSide) writers--;
        else readers--;
        notifyAll();
        Readiness.changed();
        if (readers == 0 && writers == 0) {
            ring = new byte[0];
            onGone.run();
        }
    }

    /** One end. Each open file description holds one; dup and fork share it, so counts change only at open and last close. */
    private final class End implements FileHandle, PipeEnd {
        private final boolean writeSide;

        End(boolean writeSide) {
            this.writeSide = writeSide;
        }

        @Override
        public int read(long pos, byte[] buf, int off, int len) {
            if (writeSide) throw new SyscallError(Errno.EBADF);
            return Pipe.this.read(buf, off, len, false);
        }

        @Override
        public int write(long pos, byte[] buf, int off, int len) {
            if (!writeSide) throw new SyscallError(Errno.EBADF);
            return Pipe.this.write(buf, off, len, false);
        }

        @Override
        public int readNonBlocking(byte[] buf, int off, int len) {
            return Pipe.this.read(buf, off, len, true);
        }

        @Override
        public int writeNonBlocking(byte[] buf, int off, int len) {
            return Pipe.this.write(buf, off, len, true);
        }

        @Override
        public int available() {
            return Pipe.this.available();
        }

        @Override
        public boolean seekable() {
            return false;
        }

        @Override
        public int poll() {
            return Pipe.this.poll(writeSide);
        }

        @Override
        public void close() {
            closeEnd(writeSide);
        }
    }

    /** Non-blocking access for O_NONBLOCK descriptors. */
    public interface PipeEnd {
        int readNonBlocking(byte[] buf, int off, int len);

        int writeNonBlocking(byte[] buf, int off, int len);

        int available();
    }
}
