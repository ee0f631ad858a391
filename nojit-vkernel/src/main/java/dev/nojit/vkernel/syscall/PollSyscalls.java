package dev.nojit.vkernel.syscall;

import dev.nojit.vkernel.fs.FdTable;
import dev.nojit.vkernel.fs.OpenFile;
import dev.nojit.vkernel.fs.Poll;
import dev.nojit.vkernel.fs.Readiness;
import dev.nojit.vkernel.memory.GuestMemory;
import dev.nojit.vkernel.process.Process;

/** Readiness: poll, ppoll, select, pselect6. Sleepers wake on any readiness change ({@link Readiness}) and re-check. */
public final class PollSyscalls {
    private PollSyscalls() {}

    static final int MAX_POLL_FDS = 4096;

    static void register(SyscallTable t) {
        t.add("poll", (p, a) -> {
            int timeoutMs = (int) a[2];
            return poll(p, GuestMemory.ptr(a[0]), a[1], timeoutMs < 0 ? -1 : timeoutMs * 1_000_000L);
        });
        t.add("ppoll", (p, a) -> {
            long tmo = GuestMemory.ptr(a[2]);
            long nanos = tmo == 0 ? -1 : TimeSyscalls.readTimespec(p.memory(), tmo);
            return withMask(p, GuestMemory.ptr(a[3]), a[4], () -> poll(p, GuestMemory.ptr(a[0]), a[1], nanos));
        });
        t.add("select", (p, a) -> {
            long tv = GuestMemory.ptr(a[4]);
            long nanos = -1;
            if (tv != 0) {
                long sec = p.memory().readLong(tv), usec = p.memory().readLong(tv + 8);
                if (sec < 0 || usec < 0) throw new SyscallError(Errno.EINVAL);
                nanos = Math.min(sec, 1L << 32) * 1_000_000_000L + Math.min(usec, 1_000_000_000L) * 1000;
            }
            return select(p, (int) a[0], GuestMemory.ptr(a[1]), GuestMemory.ptr(a[2]), GuestMemory.ptr(a[3]), nanos);
        });
        t.add("pselect6", (p, a) -> {
            long ts = GuestMemory.ptr(a[4]);
            long nanos = ts == 0 ? -1 : TimeSyscalls.readTimespec(p.memory(), ts);
            // the sixth argument points at {const sigset_t *ss; size_t ss_len}
            long sigdata = GuestMemory.ptr(a[5]);
            long maskPtr = sigdata == 0 ? 0 : p.memory().readPtr(sigdata);
            // ss_len's width in WALI's layout is not pinned down (size_t of which ABI?), so it is not checked
            return withMask(p, maskPtr, SignalSyscalls.KERNEL_SIGSET_SIZE, () -> select(p, (int) a[0], GuestMemory.ptr(a[1]), GuestMemory.ptr(a[2]), GuestMemory.ptr(a[3]), nanos));
        });
    }

    /** Runs {@code op} under the mask at {@code maskPtr} (none when 0), as Linux's set_user_sigmask. */
    static long withMask(Process p, long maskPtr, long sigsetsize, java.util.function.LongSupplier op) {
        if (maskPtr == 0) return op.getAsLong();
        SignalSyscalls.requireSigsetSize(sigsetsize);
        long saved = p.signals().blocked();
        p.signals().setBlocked(p.memory().readLong(maskPtr));
        try {
            long r = op.getAsLong();
            return r;
        } catch (SyscallError e) {
            if (e.errno() == Errno.EINTR) p.deliverSignalsNow();
            throw e;
        } finally {
            p.signals().setBlocked(saved);
        }
    }

    /** Waits until {@code ready} finds something, the timeout passes (0 result) or a signal comes (EINTR). */
    public static long waitFor(Process p, long nanos, java.util.function.LongSupplier ready) {
        long deadline = nanos < 0 ? Long.MAX_VALUE : System.nanoTime() + nanos;
        return p.blocking(() -> {
            while (true) {
                long gen = Readiness.generation();
                long n = ready.getAsLong();
                if (n != 0) return n;
                if (nanos == 0) return 0L;
                long left = deadline == Long.MAX_VALUE ? -1 : deadline - System.nanoTime();
                if (left == 0 || (deadline != Long.MAX_VALUE && left < 0)) return 0L;
                if (p.signals().hasDeliverable() || p.killed()) throw new SyscallError(Errno.EINTR);
                // Wake at least every 50 ms: host stdin and signals do not always bump the generation.
                Readiness.awaitChange(gen, left < 0 ? 50_000_000L : Math.min(left, 50_000_000L));
            }
        });
    }

    /** struct pollfd: fd i32, events i16, revents i16. */
    private static long poll(Process p, long fds, long nfdsArg, long nanos) {
        if (nfdsArg < 0 || nfdsArg > MAX_POLL_FDS) throw new SyscallError(Errno.EINVAL);
        int nfds = (int) nfdsArg;
        GuestMemory m = p.memory();
        m.check(fds, 8L * nfds);
        return waitFor(p, nanos, () -> {
            int count = 0;
            for (int i = 0; i < nfds; i++) {
                long e = fds + 8L * i;
                int fd = m.readInt(e);
                int events = m.readShort(e + 4) & 0xffff;
                int revents = 0;
                if (fd >= 0) {
                    revents = readiness(p.fdTable(), fd);
                    if (revents != Poll.POLLNVAL) {
                        int want = events | Poll.POLLERR | Poll.POLLHUP;
                        if ((events & Poll.POLLRDNORM) != 0 && (revents & Poll.POLLIN) != 0) revents |= Poll.POLLRDNORM;
                        if ((events & Poll.POLLWRNORM) != 0 && (revents & Poll.POLLOUT) != 0) revents |= Poll.POLLWRNORM;
                        revents &= want;
                    }
                }
                m.writeShort(e + 6, revents);
                if (revents != 0) count++;
            }
            return count;
        });
    }

    public static int readiness(FdTable table, int fd) {
        OpenFile f;
        try {
            f = table.get(fd);
        } catch (SyscallError e) {
            return Poll.POLLNVAL;
        }
        if (f.node() != null && (f.isDirectory() || f.node().type() == dev.nojit.vkernel.fs.FileType.REGULAR)) {
            return Poll.POLLIN | Poll.POLLOUT;
        }
        int r = f.handle().poll();
        if (!f.readable()) r &= ~(Poll.POLLIN | Poll.POLLHUP);
        if (!f.writable()) r &= ~Poll.POLLOUT;
        return r;
    }

    /** fd_set: a bit array of 64-bit words; nfds at most 1024. */
    private static long select(Process p, int nfds, long rd, long wr, long ex, long nanos) {
        if (nfds < 0 || nfds > 1024) throw new SyscallError(Errno.EINVAL);
        GuestMemory m = p.memory();
        int bytes = ((nfds + 63) / 64) * 8;
        long[] in = new long[3], sets = {rd, wr, ex};
        byte[][] wanted = new byte[3][];
        for (int s = 0; s < 3; s++) wanted[s] = sets[s] == 0 ? new byte[bytes] : m.read(sets[s], bytes);
        for (int fd = 0; fd < nfds; fd++) {
            for (int s = 0; s < 2; s++) {
                if ((wanted[s][fd / 8] & (1 << (fd % 8))) != 0 && readiness(p.fdTable(), fd) == Poll.POLLNVAL) {
                    throw new SyscallError(Errno.EBADF);
                }
            }
        }
        byte[][] out = new byte[3][bytes];
        long n = waitFor(p, nanos, () -> {
            int count = 0;
            for (int s = 0; s < 3; s++) java.util.Arrays.fill(out[s], (byte) 0);
            for (int fd = 0; fd < nfds; fd++) {
                boolean r = (wanted[0][fd / 8] & (1 << (fd % 8))) != 0;
                boolean w = (wanted[1][fd / 8] & (1 << (fd % 8))) != 0;
                if (!r && !w) continue;
                int ready = readiness(p.fdTable(), fd);
                if (r && (ready & (Poll.POLLIN | Poll.POLLHUP | Poll.POLLERR)) != 0) {
                    out[0][fd / 8] |= (byte) (1 << (fd % 8));
                    count++;
                }
                if (w && (ready & (Poll.POLLOUT | Poll.POLLERR)) != 0) {
                    out[1][fd / 8] |= (byte) (1 << (fd % 8));
                    count++;
                }
            }
            return count;
        });
        for (int s = 0; s < 3; s++) if (sets[s] != 0) m.write(sets[s], out[s]);
        return n;
    }
}
