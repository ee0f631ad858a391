package dev.nojit.vkernel.syscall;

import dev.nojit.vkernel.memory.GuestMemory;
import dev.nojit.vkernel.process.Process;
import dev.nojit.vkernel.process.SignalState;
import dev.nojit.vkernel.process.Signals;

/**
 * Signals: rt_sigaction, rt_sigprocmask, rt_sigpending, rt_sigsuspend, rt_sigreturn,
 * sigaltstack, pause, alarm, setitimer, getitimer (ITIMER_REAL). Handlers are guest
 * function-table indices, run by the process's own machine after a syscall or at a safepoint.
 * WALI's struct sigaction: handler u32 @0, mask @8 (the first 8 bytes are the signals 1..64),
 * flags i32 @136, restorer u32 @140.
 */
public final class SignalSyscalls {
    private SignalSyscalls() {}

    static final int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;

    static void register(SyscallTable t) {
        t.add("rt_sigaction", (p, a) -> {
            requireSigsetSize(a[3]);
            return sigaction(p, (int) a[0], GuestMemory.ptr(a[1]), GuestMemory.ptr(a[2]));
        });
        t.add("rt_sigprocmask", (p, a) -> {
            requireSigsetSize(a[3]);
            return sigprocmask(p, (int) a[0], GuestMemory.ptr(a[1]), GuestMemory.ptr(a[2]));
        });
        t.add("rt_sigpending", (p, a) -> sigpending(p, GuestMemory.ptr(a[0]), a[1]));
        t.add("rt_sigsuspend", (p, a) -> {
            requireSigsetSize(a[1]);
            return sigsuspend(p, p.memory().readLong(GuestMemory.ptr(a[0])));
        });
        t.add("pause", (p, a) -> sigsuspend(p, p.signals().blocked()));
        t.add("rt_sigreturn", (p, a) -> 0); // handlers return through the engine; nothing to restore
        t.add("sigaltstack", (p, a) -> sigaltstack(p, GuestMemory.ptr(a[0]), GuestMemory.ptr(a[1])));
        t.add("alarm", (p, a) -> {
            long seconds = a[0] & 0xffff_ffffL;
            long[] old = p.setAlarm(seconds * 1_000_000_000L, 0);
            return (old[0] + 999_999_999L) / 1_000_000_000L;
        });
        t.add("setitimer", (p, a) -> setitimer(p, (int) a[0], GuestMemory.ptr(a[1]), GuestMemory.ptr(a[2])));
        t.add("getitimer", (p, a) -> {
            if ((int) a[0] != 0) throw new SyscallError(Errno.EINVAL);
            writeItimer(p, GuestMemory.ptr(a[1]), p.alarm());
            return 0;
        });
    }

    static final int SS_ONSTACK = 1, SS_DISABLE = 2, MINSIGSTKSZ = 2048;

    /** stack_t (WALI): ss_sp u32 @0, ss_flags i32 @4, ss_size u32 @8. */
    private static long sigaltstack(Process p, long ss, long old) {
        GuestMemory m = p.memory();
        long[] current = p.altStack();
        if (ss != 0) {
            long sp = m.readPtr(ss), size = m.readPtr(ss + 8);
            int flags = m.readInt(ss + 4);
            if ((flags & ~SS_DISABLE) != 0) throw new SyscallError(Errno.EINVAL);
            if ((flags & SS_DISABLE) == 0 && size < MINSIGSTKSZ) throw new SyscallError(Errno.ENOMEM);
            if (old != 0) m.check(old, 12);
            p.setAltStack((flags & SS_DISABLE) != 0 ? 0 : sp, flags, (flags & SS_DISABLE) != 0 ? 0 : size);
        }
        if (old != 0) {
            m.writeInt(old, (int) current[0]);
            m.writeInt(old + 4, (int) current[1]);
            m.writeInt(old + 8, (int) current[2]);
        }
        return 0;
    }

    /** The kernel's sigset_t: 64 signals, 8 bytes (WALI's and x86-64's). */
    static final long KERNEL_SIGSET_SIZE = 8;

    /**
     * rt_sigaction(2), rt_sigprocmask(2), rt_sigsuspend(2), ppoll(2), epoll_pwait(2): "EINVAL
     * sigsetsize was invalid" -- Linux accepts only its own sigset_t size, so a program passing
     * libc's 128-byte sigset_t fails here as it does natively (checked before anything else).
     */
    static void requireSigsetSize(long sigsetsize) {
        if (sigsetsize != KERNEL_SIGSET_SIZE) throw new SyscallError(Errno.EINVAL);
    }

    /** rt_sigpending(2): Linux copies {@code sigsetsize} bytes and refuses only a size above its own. */
    private static long sigpending(Process p, long set, long sigsetsize) {
        if (Long.compareUnsigned(sigsetsize, KERNEL_SIGSET_SIZE) > 0) throw new SyscallError(Errno.EINVAL);
        long bits = p.signals().pending() & p.signals().blocked();
        GuestMemory m = p.memory();
        m.check(set, sigsetsize);
        for (int i = 0; i < sigsetsize; i++) m.writeByte(set + i, (int) (bits >>> (8 * i)) & 0xff);
        return 0;
    }

    private static void checkSignal(int sig) {
        if (sig < 1 || sig > Signals.NSIG) throw new SyscallError(Errno.EINVAL);
    }

    private static long sigaction(Process p, int sig, long act, long oldact) {
        checkSignal(sig);
        GuestMemory m = p.memory();
        SignalState s = p.signals();
        if (act != 0) m.check(act, 144);
        if (oldact != 0) m.check(oldact, 144);
        SignalState.Action old = s.action(sig);
        if (act != 0) {
            if (sig == Signals.SIGKILL || sig == Signals.SIGSTOP) throw new SyscallError(Errno.EINVAL);
            long handler = m.readPtr(act);
            long mask = m.readLong(act + 8) & ~Signals.UNBLOCKABLE;
            int flags = m.readInt(act + 136);
            s.setAction(sig, new SignalState.Action(handler, mask, flags));
        }
        if (oldact != 0) {
            m.fill(oldact, 144, (byte) 0);
            m.writeInt(oldact, (int) old.handler());
            m.writeLong(oldact + 8, old.mask());
            m.writeInt(oldact + 136, old.flags());
        }
        return 0;
    }

    private static long sigprocmask(Process p, int how, long set, long oldset) {
        GuestMemory m = p.memory();
        long old = p.signals().blocked();
        if (set != 0) {
            long bits = m.readLong(set);
            long next = switch (how) {
                case SIG_BLOCK -> old | bits;
                case SIG_UNBLOCK -> old & ~bits;
                case SIG_SETMASK -> bits;
                default -> throw new SyscallError(Errno.EINVAL);
            };
            p.signals().setBlocked(next);
        }
        if (oldset != 0) m.writeLong(oldset, old);
        return 0;
    }

    /** Waits with {@code mask} until a signal is delivered (its handler runs under that mask); always EINTR. */
    private static long sigsuspend(Process p, long mask) {
        long saved = p.signals().blocked();
        p.signals().setBlocked(mask);
        try {
            while (!p.signals().hasDeliverable()) {
                try {
                    p.blocking(() -> {
                        try {
                            Thread.sleep(1000);
                        } catch (InterruptedException e) {
                            throw new SyscallError(Errno.EINTR);
                        }
                        return 0;
                    });
                } catch (SyscallError e) {
                    if (e.errno() != Errno.EINTR) throw e;
                }
            }
            p.deliverSignalsNow();
        } finally {
            p.signals().setBlocked(saved);
        }
        throw new SyscallError(Errno.EINTR);
    }

    /** struct itimerval: interval {sec, usec}, value {sec, usec}, all i64. */
    private static long setitimer(Process p, int which, long newValue, long oldValue) {
        if (which != 0) throw new SyscallError(Errno.EINVAL); // ITIMER_REAL only
        GuestMemory m = p.memory();
        long interval = 0, value = 0;
        if (newValue != 0) {
            interval = timeval(m, newValue);
            value = timeval(m, newValue + 16);
        }
        long[] old = newValue != 0 ? p.setAlarm(value, interval) : p.alarm();
        if (oldValue != 0) writeItimer(p, oldValue, old);
        return 0;
    }

    private static long timeval(GuestMemory m, long addr) {
        long sec = m.readLong(addr), usec = m.readLong(addr + 8);
        if (sec < 0 || usec < 0 || usec >= 1_000_000) throw new SyscallError(Errno.EINVAL);
        return Math.multiplyHigh(sec, 1_000_000_000L) != 0 ? Long.MAX_VALUE / 2 : sec * 1_000_000_000L + usec * 1000;
    }

    private static void writeItimer(Process p, long addr, long[] leftAndInterval) {
        GuestMemory m = p.memory();
        m.writeLong(addr, leftAndInterval[1] / 1_000_000_000L);
        m.writeLong(addr + 8, leftAndInterval[1] % 1_000_000_000L / 1000);
        m.writeLong(addr + 16, leftAndInterval[0] / 1_000_000_000L);
        m.writeLong(addr + 24, leftAndInterval[0] % 1_000_000_000L / 1000);
    }
}
