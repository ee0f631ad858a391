package dev.nojit.host.files;

import dev.nojit.host.HostCallException;
import dev.nojit.host.kernel.LinuxCalls;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One host file descriptor this process owns. It is closed exactly once: by {@link #close()},
 * or by a {@link Cleaner} when the object becomes unreachable (a backstop, not the plan). A
 * call in flight holds the number ({@link #acquire()}/{@link #release()}), so a close that
 * races it waits for the call to end and a recycled number is never used by mistake.
 */
public final class HostFd implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicLong LIVE = new AtomicLong();
    static final int EBADF = 9;

    private final State state;
    private final Cleaner.Cleanable cleanable;

    HostFd(int fd) {
        if (fd < 0) throw new IllegalArgumentException("descriptor " + fd);
        this.state = new State(fd);
        this.cleanable = CLEANER.register(this, state);
        LIVE.incrementAndGet();
    }

    /** How many descriptors of this type are open in this process now. */
    public static long live() {
        return LIVE.get();
    }

    /** The number, held open until {@link #release()}; EBADF once closed. */
    int acquire() {
        return state.acquire();
    }

    void release() {
        state.release();
    }

    public boolean isOpen() {
        return state.isOpen();
    }

    @Override
    public void close() {
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "HostFd[" + state.fd + (state.isOpen() ? "]" : ", closed]");
    }

    /** The descriptor's state; also the cleaning action, so it must not refer to its HostFd. */
    private static final class State implements Runnable {
        final int fd;
        private int users;
        private boolean closing, closed;

        State(int fd) {
            this.fd = fd;
        }

        synchronized int acquire() {
            if (closing) throw new HostCallException("descriptor " + fd + " already closed", EBADF);
            users++;
            return fd;
        }

        synchronized void release() {
            if (--users == 0 && closing) closeNow();
        }

        synchronized boolean isOpen() {
            return !closing;
        }

        @Override
        public synchronized void run() {
            if (closing) return;
            closing = true;
            if (users == 0) closeNow();
        }

        private void closeNow() {
            if (closed) return;
            closed = true;
            LIVE.decrementAndGet();
            try {
                LinuxCalls.syscall("close", LinuxCalls.SYS_CLOSE, fd, 0, 0, 0, 0);
            } catch (HostCallException e) {
                // Linux frees the number even when close reports an error; nothing to retry
            }
        }
    }
}
