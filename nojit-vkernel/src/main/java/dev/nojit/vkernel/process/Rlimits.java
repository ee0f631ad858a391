package dev.nojit.vkernel.process;

import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

/**
 * getrlimit/setrlimit/prlimit64. The container's own limits are hard ceilings: a guest may
 * lower its limits but never raise them above what the container allows.
 */
public final class Rlimits {
    public static final int RLIMIT_CPU = 0, RLIMIT_FSIZE = 1, RLIMIT_DATA = 2, RLIMIT_STACK = 3, RLIMIT_CORE = 4,
            RLIMIT_RSS = 5, RLIMIT_NPROC = 6, RLIMIT_NOFILE = 7, RLIMIT_MEMLOCK = 8, RLIMIT_AS = 9, RLIM_NLIMITS = 16;
    public static final long INFINITY = -1L;
    private final long[] cur = new long[RLIM_NLIMITS];
    private final long[] max = new long[RLIM_NLIMITS];

    public Rlimits(int nproc, int nofile, long memory) {
        java.util.Arrays.fill(cur, INFINITY);
        java.util.Arrays.fill(max, INFINITY);
        set(RLIMIT_NPROC, nproc, nproc);
        set(RLIMIT_NOFILE, nofile, nofile);
        set(RLIMIT_AS, memory, memory);
        set(RLIMIT_DATA, memory, memory);
        set(RLIMIT_STACK, 8L << 20, INFINITY);
        set(RLIMIT_CORE, 0, INFINITY);
    }

    private Rlimits() {}

    private void set(int r, long c, long m) {
        cur[r] = c;
        max[r] = m;
    }

    public synchronized long cur(int r) {
        check(r);
        return cur[r];
    }

    public synchronized long max(int r) {
        check(r);
        return max[r];
    }

    private static void check(int r) {
        if (r < 0 || r >= RLIM_NLIMITS) throw new SyscallError(Errno.EINVAL);
    }

    private static boolean above(long a, long b) {
        return Long.compareUnsigned(a, b) > 0;
    }

    public synchronized void update(int r, long newCur, long newMax) {
        check(r);
        if (above(newCur, newMax)) throw new SyscallError(Errno.EINVAL);
        if (above(newMax, max[r])) throw new SyscallError(Errno.EPERM);
        cur[r] = newCur;
        max[r] = newMax;
    }

    public synchronized Rlimits copy() {
        Rlimits r = new Rlimits();
        System.arraycopy(cur, 0, r.cur, 0, RLIM_NLIMITS);
        System.arraycopy(max, 0, r.max, 0, RLIM_NLIMITS);
        return r;
    }
}
