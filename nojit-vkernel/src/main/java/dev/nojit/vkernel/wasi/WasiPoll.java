package dev.nojit.vkernel.wasi;

import dev.nojit.vkernel.fs.Poll;
import dev.nojit.vkernel.memory.GuestMemory;
import dev.nojit.vkernel.process.Process;
import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.PollSyscalls;
import dev.nojit.vkernel.syscall.SyscallError;

import java.util.Map;

/**
 * poll_oneoff. subscription (48 bytes): userdata u64 @0, tag u8 @8 (0 clock, 1 fd_read,
 * 2 fd_write); clock: id u32 @16, timeout u64 @24, precision u64 @32, flags u16 @40
 * (1 = absolute); fd: fd u32 @16. event (32 bytes): userdata u64 @0, error u16 @8, type u8
 * @10, nbytes u64 @16, flags u16 @24 (1 = hangup).
 */
final class WasiPoll {
    private WasiPoll() {}

    static final int MAX_SUBSCRIPTIONS = 4096;

    static void register(Map<String, WasiPersonality.Function> f) {
        f.put("poll_oneoff", (p, a) -> poll(p, GuestMemory.ptr(a[0]), GuestMemory.ptr(a[1]), GuestMemory.ptr(a[2]), GuestMemory.ptr(a[3])));
    }

    private static int poll(Process p, long in, long out, long n, long neventsPtr) {
        if (n == 0) throw new SyscallError(Errno.EINVAL);
        if (n > MAX_SUBSCRIPTIONS) throw new SyscallError(Errno.EINVAL);
        GuestMemory m = p.memory();
        m.check(in, 48 * n);
        m.check(out, 32 * n);
        m.check(neventsPtr, 4);
        long now = System.nanoTime() - p.kernel().bootNanos() + 1_000_000_000L;
        long timeout = -1;
        for (int i = 0; i < n; i++) {
            long s = in + 48L * i;
            if (m.readByte(s + 8) != 0) continue;
            long t = m.readLong(s + 24);
            boolean absolute = (m.readShort(s + 40) & 1) != 0;
            int clock = m.readInt(s + 16);
            long rel = absolute ? t - (clock == 1 ? now : realtimeNow()) : t;
            rel = Math.max(0, rel);
            timeout = timeout < 0 ? rel : Math.min(timeout, rel);
        }
        long deadline = timeout < 0 ? Long.MAX_VALUE : System.nanoTime() + timeout;
        long events = PollSyscalls.waitFor(p, timeout, () -> scan(p, in, out, n, deadline));
        if (events == 0) events = scan(p, in, out, n, deadline); // the timeout passed: report the clocks
        m.writeInt(neventsPtr, (int) events);
        return 0;
    }

    private static long realtimeNow() {
        return dev.nojit.vkernel.fs.WallClock.nanos();
    }

    private static long scan(Process p, long in, long out, long n, long deadline) {
        GuestMemory m = p.memory();
        int count = 0;
        boolean clocksDue = System.nanoTime() >= deadline;
        for (int i = 0; i < n; i++) {
            long s = in + 48L * i;
            int tag = m.readByte(s + 8);
            long e = out + 32L * count;
            if (tag == 0) {
                if (!clocksDue) continue;
                m.fill(e, 32, (byte) 0);
                m.writeLong(e, m.readLong(s));
                m.writeByte(e + 10, 0);
                count++;
            } else if (tag == 1 || tag == 2) {
                int fd = m.readInt(s + 16);
                int r = PollSyscalls.readiness(p.fdTable(), fd);
                int error = r == Poll.POLLNVAL ? WasiErrno.BADF : 0;
                boolean ready = error != 0 || (tag == 1 ? (r & (Poll.POLLIN | Poll.POLLHUP)) != 0 : (r & (Poll.POLLOUT | Poll.POLLERR)) != 0);
                if (!ready) continue;
                m.fill(e, 32, (byte) 0);
                m.writeLong(e, m.readLong(s));
                m.writeShort(e + 8, error);
                m.writeByte(e + 10, tag);
                m.writeLong(e + 16, tag == 1 && error == 0 ? Math.max(0, available(p, fd)) : 0);
                if ((r & Poll.POLLHUP) != 0) m.writeShort(e + 24, 1);
                count++;
            } else {
                throw new SyscallError(Errno.EINVAL);
            }
        }
        return count;
    }

    private static long available(Process p, int fd) {
        var f = p.fdTable().get(fd);
        if (f.handle() instanceof dev.nojit.vkernel.fs.Pipe.PipeEnd pe) return pe.available();
        if (f.handleSeekable() && f.node() != null) return Math.max(0, f.handle().size() - f.offset());
        return 0;
    }
}
