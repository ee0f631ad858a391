package dev.nojit.host.kernel;

import dev.nojit.host.HostCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The raw kernel calls host lockdown needs, through libc's {@code syscall(2)} with the FFM API (no
 * JNI). Each returns the kernel's result or throws
 * {@link HostCallException} naming the call and the errno. x86-64 numbers.
 */
public final class LinuxCalls {
    private LinuxCalls() {}

    /** x86-64 syscall numbers used here. */
    public static final long SYS_PRCTL = 157, SYS_SECCOMP = 317, SYS_LANDLOCK_CREATE_RULESET = 444, SYS_LANDLOCK_ADD_RULE = 445,
            SYS_LANDLOCK_RESTRICT_SELF = 446;

    /** x86-64 numbers of the descriptor-relative file calls ({@code dev.nojit.host.files}). */
    public static final long SYS_PREAD64 = 17, SYS_PWRITE64 = 18, SYS_CLOSE = 3, SYS_FSYNC = 74, SYS_FTRUNCATE = 77,
            SYS_GETDENTS64 = 217, SYS_MKDIRAT = 258, SYS_NEWFSTATAT = 262, SYS_UNLINKAT = 263, SYS_RENAMEAT = 264,
            SYS_LINKAT = 265, SYS_SYMLINKAT = 266, SYS_READLINKAT = 267, SYS_FCHMODAT = 268, SYS_UTIMENSAT = 280, SYS_OPENAT2 = 437,
            SYS_FCHMODAT2 = 452;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** {@code long syscall(long nr, ...)} with six arguments, all passed as longs (unused ones 0). */
    private static final MethodHandle SYSCALL6 = LINKER.downcallHandle(
            LINKER.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));

    /** syscall(nr, a..f); the result, or HostCallException with the errno when it is -1. */
    public static long syscall6(String what, long nr, long a, long b, long c, long d, long e, long f) {
        return withErrno(what, state -> (long) SYSCALL6.invokeExact(state, nr, a, b, c, d, e, f));
    }

    /** A downcall that writes errno into {@code state} (Linker.Option.captureCallState). */
    private interface Downcall {
        long call(MemorySegment state) throws Throwable;
    }

    /** Runs {@code downcall}; -1 becomes HostCallException with the captured errno. */
    private static long withErrno(String what, Downcall downcall) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long r = downcall.call(state);
            if (r == -1) throw new HostCallException(what, (int) ERRNO.get(state, 0L));
            return r;
        } catch (HostCallException ex) {
            throw ex;
        } catch (Throwable t) {
            throw new IllegalStateException(what + ": " + t, t);
        }
    }

    /** syscall(nr, a..e); the result, or HostCallException with the errno when it is -1. */
    public static long syscall(String what, long nr, long a, long b, long c, long d, long e) {
        return syscall6(what, nr, a, b, c, d, e, 0); // an unused sixth argument register is ignored
    }

    /**
     * prctl(option, a..d); the result, or HostCallException with the errno when it is -1. Made as the raw
     * syscall through {@link #syscall6} (what libc's prctl does): one downcall shape for every call here, so a
     * JVM links one downcall stub at its start, not two (about 15-20 ms each).
     */
    public static int prctl(String what, int option, long a, long b, long c, long d) {
        return (int) syscall6(what, SYS_PRCTL, option, a, b, c, d, 0);
    }

    public static final int PR_SET_PDEATHSIG = 1, PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39;
}
