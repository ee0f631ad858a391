package dev.nojit.vkernel.wasi;

import dev.nojit.vkernel.fs.WallClock;
import dev.nojit.vkernel.memory.GuestMemory;
import dev.nojit.vkernel.process.Process;
import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

/** args_get, args_sizes_get, environ_get, environ_sizes_get, clock_res_get, clock_time_get, random_get, sched_yield, proc_raise. */
final class WasiEnvironment {
    private WasiEnvironment() {}

    private static final SecureRandom RANDOM = new SecureRandom();

    static void register(Map<String, WasiPersonality.Function> f) {
        f.put("args_sizes_get", (p, a) -> sizes(p, p.program().argv(), a[0], a[1]));
        f.put("args_get", (p, a) -> strings(p, p.program().argv(), a[0], a[1]));
        f.put("environ_sizes_get", (p, a) -> sizes(p, p.program().env(), a[0], a[1]));
        f.put("environ_get", (p, a) -> strings(p, p.program().env(), a[0], a[1]));
        f.put("clock_res_get", (p, a) -> {
            clock(p, (int) a[0]);
            p.memory().writeLong(GuestMemory.ptr(a[1]), 1);
            return 0;
        });
        f.put("clock_time_get", (p, a) -> {
            p.memory().writeLong(GuestMemory.ptr(a[2]), clock(p, (int) a[0]));
            return 0;
        });
        f.put("random_get", (p, a) -> {
            long buf = GuestMemory.ptr(a[0]), len = GuestMemory.ptr(a[1]);
            p.memory().check(buf, len);
            byte[] b = new byte[(int) Math.min(len, 1 << 20)];
            for (long done = 0; done < len; done += b.length) {
                int n = (int) Math.min(b.length, len - done);
                RANDOM.nextBytes(b);
                p.memory().write(buf + done, b, 0, n);
            }
            return 0;
        });
        f.put("sched_yield", (p, a) -> {
            Thread.yield();
            return 0;
        });
        f.put("proc_raise", (p, a) -> {
            int sig = linuxSignal((int) a[0]);
            if (sig > 0) p.signal(sig);
            return 0;
        });
    }

    /**
     * WASI's signal numbers are Linux's up to SIGTERM (15); WASI has no SIGSTKFLT, so from SIGCHLD
     * (WASI 16, Linux 17) to SIGSYS (WASI 30, Linux 31) they are one lower. 0 is "no signal".
     */
    static int linuxSignal(int wasi) {
        if (wasi < 0 || wasi > 30) throw new SyscallError(Errno.EINVAL);
        return wasi <= 15 ? wasi : wasi + 1;
    }

    private static int sizes(Process p, List<byte[]> list, long countPtr, long bytesPtr) {
        long bytes = 0;
        for (byte[] s : list) bytes += s.length + 1;
        p.memory().check(GuestMemory.ptr(countPtr), 4);
        p.memory().check(GuestMemory.ptr(bytesPtr), 4); // both or neither
        p.memory().writeInt(GuestMemory.ptr(countPtr), list.size());
        p.memory().writeInt(GuestMemory.ptr(bytesPtr), (int) bytes);
        return 0;
    }

    private static int strings(Process p, List<byte[]> list, long ptrs, long buf) {
        GuestMemory m = p.memory();
        long at = GuestMemory.ptr(buf), table = GuestMemory.ptr(ptrs);
        m.check(table, 4L * list.size());
        for (int i = 0; i < list.size(); i++) {
            byte[] s = list.get(i);
            m.writeInt(table + 4L * i, (int) at);
            m.writeCString(at, s.length + 1L, s);
            at += s.length + 1;
        }
        return 0;
    }

    /** Nanoseconds: realtime since the epoch, monotonic since container start, CPU time as process age. */
    private static long clock(Process p, int id) {
        return switch (id) {
            case 0 -> WallClock.nanos();
            case 1 -> System.nanoTime() - p.kernel().bootNanos() + 1_000_000_000L;
            case 2, 3 -> p.uptimeNanos();
            default -> throw new SyscallError(Errno.EINVAL);
        };
    }
}
