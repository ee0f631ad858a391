package dev.nojit.vkernel.syscall;

import dev.nojit.vkernel.memory.GuestMemory;
import dev.nojit.vkernel.process.Process;

import dev.nojit.vkernel.fs.WallClock;

/** Time: clock_gettime, clock_getres, gettimeofday, time, nanosleep, clock_nanosleep. */
public final class TimeSyscalls {
    private TimeSyscalls() {}

    static final int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3,
            CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5, CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7;
    static final int TIMER_ABSTIME = 1;

    static void register(SyscallTable t) {
        t.add("clock_gettime", (p, a) -> {
            writeTimespec(p.memory(), GuestMemory.ptr(a[1]), now(p, (int) a[0]));
            return 0;
        });
        t.add("clock_getres", (p, a) -> {
            now(p, (int) a[0]);
            long res = GuestMemory.ptr(a[1]);
            if (res != 0) writeTimespec(p.memory(), res, 1);
            return 0;
        });
        t.add("gettimeofday", (p, a) -> {
            long tv = GuestMemory.ptr(a[0]);
            if (tv != 0) {
                long n = now(p, CLOCK_REALTIME);
                p.memory().writeLong(tv, n / 1_000_000_000L);
                p.memory().writeLong(tv + 8, n % 1_000_000_000L / 1000);
            }
            long tz = GuestMemory.ptr(a[1]);
            if (tz != 0) p.memory().fill(tz, 8, (byte) 0);
            return 0;
        });
        t.add("time", (p, a) -> {
            long s = now(p, CLOCK_REALTIME) / 1_000_000_000L;
            long ptr = GuestMemory.ptr(a[0]);
            if (ptr != 0) p.memory().writeLong(ptr, s);
            return s;
        });
        t.add("nanosleep", (p, a) -> sleep(p, CLOCK_MONOTONIC, 0, GuestMemory.ptr(a[0]), GuestMemory.ptr(a[1])));
        t.add("clock_nanosleep", (p, a) -> sleep(p, (int) a[0], (int) a[1], GuestMemory.ptr(a[2]), GuestMemory.ptr(a[3])));
    }

    /** Nanoseconds on {@code clock}: the epoch for realtime clocks, container boot for monotonic ones. */
    static long now(Process p, int clock) {
        return switch (clock) {
            case CLOCK_REALTIME, CLOCK_REALTIME_COARSE -> WallClock.nanos();
            case CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME ->
                    System.nanoTime() - p.kernel().bootNanos() + 1_000_000_000L;
            case CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID -> p.uptimeNanos();
            default -> throw new SyscallError(Errno.EINVAL);
        };
    }

    static void writeTimespec(GuestMemory m, long addr, long nanos) {
        m.writeLong(addr, nanos / 1_000_000_000L);
        m.writeLong(addr + 8, nanos % 1_000_000_000L);
    }

    /**
     * The nanoseconds of a guest's {@code struct timespec}: a WALI guest is ILP32 with a 64-bit
     * {@code time_t}, so its {@code long tv_nsec} is 32 bits followed by 32 bits of padding the
     * C library need not clear (musl's {@code sleep}, {@code utimes} build the struct with the
     * padding left as it was). Linux reads such a struct the same way for its 32-bit compat
     * ABIs (get_timespec64: "Zero out the padding in compat mode").
     */
    static long timespecNanos(GuestMemory m, long addr) {
        return m.readLong(addr + 8) & 0xFFFF_FFFFL;
    }

    static long readTimespec(GuestMemory m, long addr) {
        long sec = m.readLong(addr), nsec = timespecNanos(m, addr);
        if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) throw new SyscallError(Errno.EINVAL);
        if (sec > Long.MAX_VALUE / 1_000_000_000L - 1) return Long.MAX_VALUE / 2;
        return sec * 1_000_000_000L + nsec;
    }

    private static long sleep(Process p, int clock, int flags, long req, long rem) {
        long nanos = readTimespec(p.memory(), req);
        if (rem != 0) p.memory().check(rem, 16);
        if ((flags & TIMER_ABSTIME) != 0) nanos = nanos - now(p, clock);
        else now(p, clock);
        long deadline = System.nanoTime() + Math.max(0, nanos);
        try {
            p.blocking(() -> {
                long left;
                while ((left = deadline - System.nanoTime()) > 0) {
                    try {
                        Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
                    } catch (InterruptedException e) {
                        throw new SyscallError(Errno.EINTR);
                    }
                }
                return 0;
            });
        } catch (SyscallError e) {
            if (e.errno() == Errno.EINTR && rem != 0 && (flags & TIMER_ABSTIME) == 0) {
                writeTimespec(p.memory(), rem, Math.max(0, deadline - System.nanoTime()));
            }
            throw e;
        }
        return 0;
    }
}
