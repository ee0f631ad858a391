package dev.nojit.vkernel.wali;

import dev.nojit.engine.FuncType;
import dev.nojit.engine.HostCall;
import dev.nojit.engine.HostFunction;
import dev.nojit.vkernel.Kernel;
import dev.nojit.vkernel.policy.Violation;
import dev.nojit.vkernel.process.GuestControl;
import dev.nojit.vkernel.process.Process;
import dev.nojit.vkernel.process.Signals;
import dev.nojit.vkernel.process.WaitStatus;
import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.Syscall;
import dev.nojit.vkernel.syscall.SyscallError;
import dev.nojit.vkernel.syscall.Syscalls;

/**
 * The WALI personality: import {@code wali.SYS_<name>} calls the Linux syscall handler of that
 * name ({@link Syscalls}); a name without a handler answers -ENOSYS and is counted. Every call
 * ends by delivering pending signals, so a handler the guest installed runs before the
 * syscall's caller continues. The support imports (start-up, argv, env file, setjmp/longjmp)
 * are in {@link WaliSupport}.
 */
public final class WaliPersonality {
    public static final String MODULE = "wali";
    private static final String PREFIX = "SYS_";
    /** NOJIT_TRACE_SYSCALLS=1: one line per WALI syscall on stderr (a debugging aid, like strace). */
    private static final boolean TRACE = "1".equals(System.getenv("NOJIT_TRACE_SYSCALLS"));
    private final Kernel kernel;
    private final WaliSupport support = new WaliSupport();

    public WaliPersonality(Kernel kernel) {
        this.kernel = kernel;
    }

    public HostFunction bind(String name, FuncType type) {
        java.util.concurrent.atomic.LongAdder counter = kernel.callCounter(name);
        HostFunction s = support.bind(name);
        if (s != null) return (call, args) -> {
            counter.increment();
            return s.call(call, args);
        };
        if (!name.startsWith(PREFIX)) return (call, args) -> { throw new SyscallError(Errno.ENOSYS); };
        String sys = name.substring(PREFIX.length());
        Syscall handler = Syscalls.table().get(sys);
        boolean restartable = RESTARTABLE.contains(sys);
        Syscall h = handler != null ? handler : (p, a) -> {
            kernel.countUnimplemented(sys);
            return -Errno.ENOSYS;
        };
        if (TRACE) {
            return (call, args) -> {
                counter.increment();
                long r;
                try {
                    r = dispatch(call, sys, h, args, restartable);
                } catch (dev.nojit.engine.AotCapture again) {
                    counter.decrement();
                    throw again;
                }
                Process p = Process.current();
                p.kernel().log("trace: pid " + p.pid() + " " + sys + java.util.Arrays.toString(args) + " = " + r);
                return new long[]{r};
            };
        }
        return (call, args) -> {
            counter.increment();
            try {
                return new long[]{dispatch(call, sys, h, args, restartable)};
            } catch (dev.nojit.engine.AotCapture again) {
                counter.decrement(); // fork under AOT frames: the engine deoptimizes them and makes this call again
                throw again;
            }
        };
    }

    /**
     * Runs one syscall for the calling process: errors become -errno, then signals are delivered.
     * A policy violation never returns: it is recorded and the caller dies. Public for the syscall
     * fuzzer, which calls handlers through it without an engine ({@code call} null).
     */
    public static long dispatch(HostCall call, String name, Syscall h, long[] args, boolean restartable) {
        Process p = Process.current();
        p.checkKilled();
        // Handlers read six arguments; the engine's own array serves when the import declares six.
        long[] a = args.length == 6 ? args : java.util.Arrays.copyOf(args, 6);
        while (true) {
            long r;
            p.enterCall(call);
            try {
                r = h.call(p, a);
            } catch (SyscallError e) {
                r = -e.errno();
            } catch (Violation v) {
                throw p.kernel().enforcer().respond(p, name, a, v);
            } finally {
                p.leaveCall();
            }
            boolean restart = afterSyscall(p, call);
            // SA_RESTART (or no handler at all): an interrupted call that Linux restarts runs again.
            if (r == -Errno.EINTR && restart && restartable) continue;
            return r;
        }
    }

    /** The memory limit (the guest may have grown its memory itself) and pending signals. */
    public static boolean afterSyscall(Process p, HostCall call) {
        p.checkKilled(); // before anything else: a process ended without its thread (KillDeadline) must stop here
        if (!p.addressSpace().recount()) {
            p.kernel().log("pid " + p.pid() + " (" + p.exePath() + "): killed: container memory limit reached");
            throw new GuestControl.Exit(WaitStatus.signaled(Signals.SIGKILL));
        }
        return p.deliverSignals(call);
    }

    /**
     * Calls Linux restarts after a handler with SA_RESTART (signal(7)); the waits with timeouts
     * and the signal waits (poll, select, nanosleep, sigsuspend, ...) always return EINTR.
     */
    static final java.util.Set<String> RESTARTABLE = java.util.Set.of("read", "readv", "write", "writev", "pread64",
            "pwrite64", "preadv", "pwritev", "wait4", "ioctl", "open", "openat", "flock", "fcntl", "sendfile");
}
