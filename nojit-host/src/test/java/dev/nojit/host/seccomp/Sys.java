package dev.nojit.host.seccomp;

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
 * Test helper for the child JVM: raw syscall(2) with six arguments (mmap needs all six) and
 * libc malloc/realloc, all linked when this class loads, i.e. before the filter is installed.
 * {@link #call} returns the result, or -errno.
 */
final class Sys {
    private Sys() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final MethodHandle SYSCALL = LINKER.downcallHandle(LINKER.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(L, L, L, L, L, L, L, L), Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
    private static final MethodHandle MALLOC = LINKER.downcallHandle(LINKER.defaultLookup().find("malloc").orElseThrow(),
            FunctionDescriptor.of(L, L));
    private static final MethodHandle REALLOC = LINKER.downcallHandle(LINKER.defaultLookup().find("realloc").orElseThrow(),
            FunctionDescriptor.of(L, L, L));
    private static final MethodHandle FREE = LINKER.downcallHandle(LINKER.defaultLookup().find("free").orElseThrow(),
            FunctionDescriptor.ofVoid(L));
    /** One arena for the whole child: allocating the capture segment must not need anything new later. */
    private static final MemorySegment STATE = Arena.global().allocate(CAPTURE);

    static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4, MAP_PRIVATE = 0x2, MAP_ANONYMOUS = 0x20;

    static synchronized long call(long nr, long... a) {
        long[] v = java.util.Arrays.copyOf(a, 6);
        try {
            long r = (long) SYSCALL.invokeExact(STATE, nr, v[0], v[1], v[2], v[3], v[4], v[5]);
            return r == -1 ? -(int) ERRNO.get(STATE, 0L) : r;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static long mmapAnonymous(long size, int prot) {
        return call(9, 0, size, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    }

    static long malloc(long n) throws Throwable { return (long) MALLOC.invokeExact(n); }
    static long realloc(long p, long n) throws Throwable { return (long) REALLOC.invokeExact(p, n); }
    static void free(long p) throws Throwable { FREE.invokeExact(p); }

    /** A NUL-terminated string that lives as long as the process. */
    static long cString(String s) {
        return Arena.global().allocateFrom(s).address();
    }
}
