package dev.nojit.vkernel.syscall;

import dev.nojit.vkernel.fs.FileHandle;
import dev.nojit.vkernel.fs.OpenFile;
import dev.nojit.vkernel.fs.OpenFlags;
import dev.nojit.vkernel.fs.Poll;
import dev.nojit.vkernel.fs.Readiness;
import dev.nojit.vkernel.memory.GuestMemory;
import dev.nojit.vkernel.process.Process;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Event descriptors: epoll_create, epoll_create1, epoll_ctl, epoll_wait, epoll_pwait
 * (level-triggered; the interest list is kept by descriptor number of the process that
 * waits), eventfd, eventfd2. WALI's struct epoll_event is packed: events u32 @0, data u64 @4.
 */
public final class EventSyscalls {
    private EventSyscalls() {}

    static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3, EPOLLET = 1 << 31, EPOLLONESHOT = 1 << 30;
    static final int MAX_INTEREST = 4096, MAX_EVENTS = 4096;
    static final int EFD_SEMAPHORE = 1;

    static void register(SyscallTable t) {
        t.add("epoll_create", (p, a) -> {
            if ((int) a[0] <= 0) throw new SyscallError(Errno.EINVAL);
            return epollCreate(p, 0);
        });
        t.add("epoll_create1", (p, a) -> epollCreate(p, (int) a[0]));
        t.add("epoll_ctl", (p, a) -> epollCtl(p, (int) a[0], (int) a[1], (int) a[2], GuestMemory.ptr(a[3])));
        t.add("epoll_wait", (p, a) -> epollWait(p, (int) a[0], GuestMemory.ptr(a[1]), (int) a[2], (int) a[3]));
        t.add("epoll_pwait", (p, a) -> PollSyscalls.withMask(p, GuestMemory.ptr(a[4]), a[5],
                () -> epollWait(p, (int) a[0], GuestMemory.ptr(a[1]), (int) a[2], (int) a[3])));
        t.add("eventfd", (p, a) -> eventfd(p, (int) a[0], 0));
        t.add("eventfd2", (p, a) -> eventfd(p, (int) a[0], (int) a[1]));
    }

    /** An epoll instance: descriptor → (events, data). */
    static final class Epoll implements FileHandle {
        record Interest(int events, long data) {}

        final Map<Integer, Interest> interests = new LinkedHashMap<>();

        @Override
        public int read(long pos, byte[] buf, int off, int len) {
            throw new SyscallError(Errno.EINVAL);
        }

        @Override
        public int write(long pos, byte[] buf, int off, int len) {
            throw new SyscallError(Errno.EINVAL);
        }

        @Override
        public boolean seekable() {
            return false;
        }

        @Override
        public int poll() {
            return 0;
        }
    }

    private static long epollCreate(Process p, int flags) {
        if ((flags & ~OpenFlags.O_CLOEXEC) != 0) throw new SyscallError(Errno.EINVAL);
        OpenFile f = new OpenFile(null, new Epoll(), "anon_inode:[eventpoll]", OpenFlags.O_RDWR);
        return p.fdTable().add(f, (flags & OpenFlags.O_CLOEXEC) != 0);
    }

    private static Epoll epoll(Process p, int epfd) {
        if (!(p.fdTable().get(epfd).handle() instanceof Epoll e)) throw new SyscallError(Errno.EINVAL);
        return e;
    }

    private static long epollCtl(Process p, int epfd, int op, int fd, long event) {
        Epoll e = epoll(p, epfd);
        OpenFile target = p.fdTable().get(fd);
        if (fd == epfd || target.handle() instanceof Epoll) throw new SyscallError(Errno.EINVAL);
        if (target.node() != null && target.handle() != null && target.handle().seekable()) throw new SyscallError(Errno.EPERM);
        synchronized (e) {
            switch (op) {
                case EPOLL_CTL_ADD, EPOLL_CTL_MOD -> {
                    int events = p.memory().readInt(event);
                    long data = p.memory().readLong(event + 4);
                    boolean present = e.interests.containsKey(fd);
                    if (op == EPOLL_CTL_ADD && present) throw new SyscallError(Errno.EEXIST);
                    if (op == EPOLL_CTL_MOD && !present) throw new SyscallError(Errno.ENOENT);
                    if (op == EPOLL_CTL_ADD && e.interests.size() >= MAX_INTEREST) throw new SyscallError(Errno.ENOSPC);
                    e.interests.put(fd, new Epoll.Interest(events, data));
                }
                case EPOLL_CTL_DEL -> {
                    if (e.interests.remove(fd) == null) throw new SyscallError(Errno.ENOENT);
                }
                default -> throw new SyscallError(Errno.EINVAL);
            }
        }
        return 0;
    }

    private static long epollWait(Process p, int epfd, long events, int max, int timeoutMs) {
        if (max <= 0 || max > MAX_EVENTS) throw new SyscallError(Errno.EINVAL);
        Epoll e = epoll(p, epfd);
        GuestMemory m = p.memory();
        m.check(events, 12L * max);
        return PollSyscalls.waitFor(p, timeoutMs < 0 ? -1 : timeoutMs * 1_000_000L, () -> {
            int n = 0;
            synchronized (e) {
                var it = e.interests.entrySet().iterator();
                while (it.hasNext() && n < max) {
                    var en = it.next();
                    int ready = PollSyscalls.readiness(p.fdTable(), en.getKey());
                    if (ready == Poll.POLLNVAL) continue; // closed: Linux drops it with its last reference
                    int revents = ready & (en.getValue().events() | Poll.POLLERR | Poll.POLLHUP);
                    if (revents == 0) continue;
                    m.writeInt(events + 12L * n, revents);
                    m.writeLong(events + 12L * n + 4, en.getValue().data());
                    n++;
                    if ((en.getValue().events() & EPOLLONESHOT) != 0) en.setValue(new Epoll.Interest(0, en.getValue().data()));
                }
            }
            return n;
        });
    }

    /** An eventfd: a 64-bit counter; read takes it (or 1 in semaphore mode), write adds. */
    static final class EventFd implements FileHandle {
        private long counter;
        private final boolean semaphore;
        private final boolean nonBlocking;

        EventFd(long initial, int flags) {
            counter = initial;
            semaphore = (flags & EFD_SEMAPHORE) != 0;
            nonBlocking = (flags & OpenFlags.O_NONBLOCK) != 0;
        }

        @Override
        public synchronized int read(long pos, byte[] buf, int off, int len) {
            if (len < 8) throw new SyscallError(Errno.EINVAL);
            while (counter == 0) {
                if (nonBlocking) throw new SyscallError(Errno.EAGAIN);
                try {
                    wait();
                } catch (InterruptedException e) {
                    throw new SyscallError(Errno.EINTR);
                }
            }
            long v = semaphore ? 1 : counter;
            counter -= v;
            for (int i = 0; i < 8; i++) buf[off + i] = (byte) (v >>> (8 * i));
            notifyAll();
            Readiness.changed();
            return 8;
        }

        @Override
        public synchronized int write(long pos, byte[] buf, int off, int len) {
            if (len < 8) throw new SyscallError(Errno.EINVAL);
            long v = 0;
            for (int i = 0; i < 8; i++) v |= (buf[off + i] & 0xffL) << (8 * i);
            if (v == -1L) throw new SyscallError(Errno.EINVAL);
            while (Long.compareUnsigned(counter + v, -2L) > 0 || counter + v < counter) {
                if (nonBlocking) throw new SyscallError(Errno.EAGAIN);
                try {
                    wait();
                } catch (InterruptedException e) {
                    throw new SyscallError(Errno.EINTR);
                }
            }
            counter += v;
            notifyAll();
            Readiness.changed();
            return 8;
        }

        @Override
        public boolean seekable() {
            return false;
        }

        @Override
        public synchronized int poll() {
            return (counter > 0 ? Poll.POLLIN : 0) | (counter != -2L ? Poll.POLLOUT : 0);
        }
    }

    private static long eventfd(Process p, int initial, int flags) {
        if ((flags & ~(OpenFlags.O_CLOEXEC | OpenFlags.O_NONBLOCK | EFD_SEMAPHORE)) != 0) throw new SyscallError(Errno.EINVAL);
        OpenFile f = new OpenFile(null, new EventFd(initial & 0xffff_ffffL, flags), "anon_inode:[eventfd]",
                OpenFlags.O_RDWR | (flags & OpenFlags.O_NONBLOCK));
        return p.fdTable().add(f, (flags & OpenFlags.O_CLOEXEC) != 0);
    }
}
