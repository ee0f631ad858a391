package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.memory.MemoryBudget;
import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

/**
 * A pipe: a bounded byte queue with blocking reads and writes. Reads return 0 once every write
 * end is closed and the queue is empty; writes with no read end open fail with EPIPE (the
 * caller raises SIGPIPE). Writes of at most the pipe's capacity ({@link #CAPACITY} bytes unless
 * fcntl F_SETPIPE_SZ changed it) are atomic, as POSIX asks for PIPE_BUF and more. The ring grows on demand and each growth is charged to the container's
 * {@link MemoryBudget} first; without room a write that cannot proceed fails with ENOMEM, as
 * Linux's pipe_write does when it cannot allocate a page. The ring's charge goes back when both
 * ends are closed.
 */
public final class Pipe {
    public static final int CAPACITY = 65536;
    /** The largest capacity F_SETPIPE_SZ grants: Linux's default /proc/sys/fs/pipe-max-size. */
    public static final int MAX_CAPACITY = 1 << 20;
    private static final int PAGE = 4096;
    /** The heap a pipe costs before any data: the pipe, its two ends and their open file descriptions. */
    public static final long OVERHEAD = 256;
    private static final int FIRST_BUFFER = 4096;
    private static final long ARRAY_HEADER = 16;
    private static final byte[] EMPTY = new byte[0];
    private byte[] ring = EMPTY; // grows on demand up to the capacity: most pipes carry little
    private int capacity = CAPACITY;
    private int head, count;
    private int readers = 1, writers = 1;
    private final MemoryBudget budget;
    private final Runnable onGone;

    /** A pipe outside any container's budget (the host's stdin pump). */
    public Pipe() {
        this(MemoryBudget.unlimited(), () -> {});
    }

    /** {@code onGone} runs once both ends are closed (the container counts live pipes). */
    public Pipe(MemoryBudget budget, Runnable onGone) {
        this.budget = budget;
        this.onGone = onGone;
    }

    private static long ringCost(int length) {
        return length == 0 ? 0 : ARRAY_HEADER + length;
    }

    /** Makes room for {@code wanted} more bytes if the ring may grow; false when the budget refuses. */
    private boolean ensureRoom(int wanted) {
        if (ring.length - count >= wanted || ring.length >= capacity) return true;
        int size = Math.max(Math.min(FIRST_BUFFER, capacity), ring.length);
        while (size - count < wanted && size < capacity) size *= 2;
        return resizeRing(Math.min(size, capacity));
    }

    /** Moves the queued bytes into a ring of {@code size} (at least {@code count}); false when the budget refuses. */
    private boolean resizeRing(int size) {
        // The new ring is charged whole while the old one is still held (both are alive during the copy).
        if (!budget.tryCharge(MemoryBudget.Use.KERNEL_BUFFERS, ringCost(size))) return false;
        byte[] next = new byte[size];
        if (count > 0) {
            int first = Math.min(count, ring.length - head);
            System.arraycopy(ring, head, next, 0, first);
            System.arraycopy(ring, 0, next, first, count - first);
        }
        budget.release(MemoryBudget.Use.KERNEL_BUFFERS, ringCost(ring.length));
        ring = next;
        head = 0;
        return true;
    }

    /** fcntl F_GETPIPE_SZ. */
    public synchronized int capacity() {
        return capacity;
    }

    /**
     * fcntl F_SETPIPE_SZ: the capacity becomes {@code requested} rounded up to a power-of-two number
     * of pages (at least one page), which is returned. Past {@link #MAX_CAPACITY} it is EPERM, what
     * Linux gives a process without CAP_SYS_RESOURCE (the container's root has no say over host
     * memory); below the bytes queued now it is EBUSY ("Attempting to set the pipe capacity smaller
     * than the amount of buffer space currently used to store data produces the error EBUSY", fcntl(2)).
     */
    public synchronized int setCapacity(long requested) {
        if (requested > MAX_CAPACITY) throw new SyscallError(Errno.EPERM);
        int size = PAGE;
        while (size < requested) size <<= 1;
        if (size < count) throw new SyscallError(Errno.EBUSY);
        if (ring.length > size && !resizeRing(size)) throw new SyscallError(Errno.ENOMEM);
        capacity = size;
        notifyAll(); // writers waiting for room see the new capacity
        Readiness.changed();
        return size;
    }

    /** The read end, as a file handle. */
    public FileHandle readEnd() {
        return new End(true, false);
    }

    public FileHandle writeEnd() {
        return new End(false, true);
    }

    /** The pipe an end of which {@code handle} is, or null (a file, a socket, a host stream). */
    public static Pipe of(FileHandle handle) {
        return handle instanceof End end ? end.pipe() : null;
    }

    /**
     * Another end of this pipe, as open(2) of /proc/PID/fd/N makes when N is a pipe: a new open
     * file description on the same pipe with the access mode asked for. Linux's fifo_open does
     * this for anonymous pipes too and, unlike a named FIFO, never waits for a partner: O_RDONLY
     * adds a reader, O_WRONLY a writer, and O_RDWR both (POSIX leaves O_RDWR on a FIFO undefined;
     * Linux grants it, and so does this). The counts change here, so EOF (no writers) and EPIPE
     * (no readers) keep their meaning while the new end is open. A pipe whose ends were all closed
     * since the link was looked up cannot come back: ENOENT, as the lookup would have answered.
     */
    public synchronized FileHandle reopen(int flags) {
        if (readers == 0 && writers == 0) throw new SyscallError(Errno.ENOENT);
        int access = flags & OpenFlags.O_ACCMODE;
        boolean read = access == OpenFlags.O_RDONLY || access == OpenFlags.O_RDWR;
        boolean write = access == OpenFlags.O_WRONLY || access == OpenFlags.O_RDWR;
        if (!read && !write) throw new SyscallError(Errno.EINVAL);
        if (read) readers++;
        if (write) writers++;
        notifyAll();
        Readiness.changed();
        return new End(read, write);
    }

    /** The node /proc/PID/fd/N of one of this pipe's ends follows to: a FIFO that opens as {@link #reopen}. */
    public Inode inode() {
        return new Inode();
    }

    /** The pipe as a file system object (pipefs's inode on Linux): stat says FIFO, open makes a new end. */
    public final class Inode extends Node {
        @Override
        public FileType type() {
            return FileType.FIFO;
        }

        @Override
        public Stat stat() {
            return new Stat(2, System.identityHashCode(Pipe.this), 1, FileType.FIFO.modeBits | 0600, 0, 0, 0, 0, 0, 0, 0);
        }

        @Override
        public FileHandle open(int flags) {
            return reopen(flags);
        }

        public Pipe pipe() {
            return Pipe.this;
        }
    }

    synchronized int read(byte[] buf, int off, int len, boolean nonBlocking) {
        if (len == 0) return 0;
        while (count == 0) {
            if (writers == 0) return 0;
            if (nonBlocking) throw new SyscallError(Errno.EAGAIN);
            waitInterruptibly();
        }
        int n = Math.min(len, count);
        int first = Math.min(n, ring.length - head); // up to the end of the ring, then from its start
        System.arraycopy(ring, head, buf, off, first);
        System.arraycopy(ring, 0, buf, off + first, n - first);
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
            boolean room = ensureRoom(Math.min(len - done, capacity));
            int free = ring.length - count;
            boolean atomic = len <= capacity;
            if (!room && (ring.length == 0 || (atomic && len - done > ring.length))) {
                // The ring cannot grow and this write can never fit in it: waiting would not help.
                if (done > 0) return done;
                throw new SyscallError(Errno.ENOMEM);
            }
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
            int tail = (head + count) % ring.length;
            int first = Math.min(n, ring.length - tail);
            System.arraycopy(buf, off + done, ring, tail, first);
            System.arraycopy(buf, off + done + first, ring, 0, n - first);
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

    synchronized int poll(boolean readSide, boolean writeSide) {
        int r = 0;
        if (readSide) {
            if (count > 0) r |= Poll.POLLIN;
            if (writers == 0) r |= Poll.POLLHUP;
        }
        if (writeSide) {
            if (readers == 0) r |= Poll.POLLERR | Poll.POLLOUT;
            else if (count < capacity) r |= Poll.POLLOUT;
        }
        return r;
    }

    synchronized int available() {
        return count;
    }

    synchronized void closeEnd(boolean readSide, boolean writeSide) {
        if (writeSide) writers--;
        if (readSide) readers--;
        notifyAll();
        Readiness.changed();
        if (readers == 0 && writers == 0) {
            budget.release(MemoryBudget.Use.KERNEL_BUFFERS, ringCost(ring.length));
            ring = EMPTY;
            count = 0;
            onGone.run();
        }
    }

    /**
     * One end: the read end, the write end, or both (O_RDWR through /proc). Each open file
     * description holds one; dup and fork share it, so counts change only at open and last close.
     */
    private final class End implements FileHandle, PipeEnd {
        private final boolean readSide, writeSide;

        End(boolean readSide, boolean writeSide) {
            this.readSide = readSide;
            this.writeSide = writeSide;
        }

        Pipe pipe() {
            return Pipe.this;
        }

        @Override
        public int read(long pos, byte[] buf, int off, int len) {
            if (!readSide) throw new SyscallError(Errno.EBADF);
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
            return Pipe.this.poll(readSide, writeSide);
        }

        @Override
        public void close() {
            closeEnd(readSide, writeSide);
        }
    }

    /** Non-blocking access for O_NONBLOCK descriptors. */
    public interface PipeEnd {
        int readNonBlocking(byte[] buf, int off, int len);

        int writeNonBlocking(byte[] buf, int off, int len);

        int available();
    }
}
