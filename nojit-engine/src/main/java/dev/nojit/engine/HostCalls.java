package dev.nojit.engine;

import java.util.Arrays;

/**
 * How the machine calls host code: argument passing, result checking, unwinding and safepoint handlers, for
 * interpreted callers (the unwind is applied to the machine's frames) and for compiled ones (the unwind travels
 * as an exception through the compiled frames on the Java stack, see {@link AotFrame}).
 */
final class HostCalls {
    private static final FuncType NO_VALUES = FuncType.of(java.util.List.of(), java.util.List.of());

    private HostCalls() {}

    /** A host function called by guest code; its arguments are on top of the machine's stack. */
    static void call(Machine m, FunctionInstance f) {
        int n = f.type.params().size();
        long[] args = Arrays.copyOfRange(m.stack, m.sp - n, m.sp);
        m.sp -= n;
        long[] results;
        try {
            results = run(f, new HostCall(m, f.type), args);
        } catch (Unwind u) {
            applyUnwind(m, u);
            return;
        }
        pushResults(m, f.type, results);
    }

    /**
     * A host function called by compiled code of {@code caller} with raw arguments: {@link HostCall#instance()} is
     * {@code caller}; {@code frame}, {@code site} and {@code saved} describe a returns-twice call site (frame null
     * for an ordinary call). An unwind leaves as an exception once its target is known to be live.
     */
    static long[] callFromCompiled(Machine m, FunctionInstance f, long[] args, Instance caller, AotFrame frame, int site,
                                   long[] saved, boolean deoptimizable) {
        long[] in = normalized(f.type.params(), args);
        Instance outer = m.inst;
        m.inst = caller;
        try {
            return checkedResults(f, run(f, new HostCall(m, f.type, frame, site, saved, deoptimizable), in));
        } catch (AotCapture c) {
            if (c.hostArgs == null) c.hostArgs = in; // the call to make again once the frames are interpreted
            throw c;
        } catch (Unwind u) {
            throw stillOnStack(m, u);
        } finally {
            m.inst = outer;
        }
    }

    /** Runs host code, closing its call afterwards; host exceptions other than traps and unwinds become traps. */
    private static long[] run(FunctionInstance f, HostCall hc, long[] args) {
        try {
            return f.host.call(hc, args);
        } catch (Trap | Unwind | AotCapture t) {
            throw t;
        } catch (RuntimeException e) {
            throw new Trap(TrapKind.HOST, "host function failed: " + f.name + ": " + e.getMessage(), e);
        } finally {
            hc.close();
        }
    }

    /** A host function invoked from outside, with no guest frame around it. */
    static long[] invokeDirect(Machine m, FunctionInstance f, long[] args) {
        long[] in = normalized(f.type.params(), args);
        HostCall hc = new HostCall(m, f.type);
        try {
            return checkedResults(f, f.host.call(hc, in));
        } finally {
            hc.close();
        }
    }

    private static long[] normalized(java.util.List<ValType> types, long[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) out[i] = Values.normalize(types.get(i), values[i]);
        return out;
    }

    /** A host function's results, counted against its type and normalized. */
    static long[] checkedResults(FunctionInstance f, long[] results) {
        return checkedResults(f.name, f.type, results);
    }

    static long[] checkedResults(String name, FuncType type, long[] results) {
        int n = type.results().size();
        if ((results == null ? 0 : results.length) != n) throw wrongCount(name, results, n);
        return results == null ? new long[0] : normalized(type.results(), results); // null: "no results", as the interpreter takes it
    }

    /** Runs a safepoint handler; true when it unwound the machine to a resume point of this run. */
    static boolean safepoint(Machine m, SafepointHandler h) {
        try {
            runHandler(h, new HostCall(m, NO_VALUES));
            return false;
        } catch (Unwind u) {
            applyUnwind(m, u);
            return true;
        }
    }

    /** Runs a safepoint handler reached in compiled code of {@code caller}; an unwind leaves as an exception. */
    static void safepointInCompiled(Machine m, SafepointHandler h, Instance caller) {
        Instance outer = m.inst;
        m.inst = caller;
        try {
            runHandler(h, new HostCall(m, NO_VALUES, null, -1, null));
        } catch (Unwind u) {
            throw stillOnStack(m, u);
        } finally {
            m.inst = outer;
        }
    }

    private static void runHandler(SafepointHandler h, HostCall hc) {
        try {
            h.atSafepoint(hc);
        } catch (Trap | Unwind t) {
            throw t;
        } catch (RuntimeException e) {
            throw new Trap(TrapKind.HOST, "safepoint handler failed: " + e.getMessage(), e);
        } finally {
            hc.close();
        }
    }

    static void pushResults(Machine m, FuncType type, long[] results) {
        int n = type.results().size();
        if ((results == null ? 0 : results.length) != n) throw wrongCount("", results, n);
        m.ensureStack(m.sp + n);
        for (int i = 0; i < n; i++) m.stack[m.sp++] = Values.normalize(type.results().get(i), results[i]);
    }

    private static Trap wrongCount(String name, long[] results, int n) {
        return new Trap(TrapKind.HOST, "host function " + name + " returned " + (results == null ? 0 : results.length)
                + " values, its type declares " + n, null);
    }

    /** The unwind itself when its target is a live frame of {@code m}; else the trap that replaces it. */
    static RuntimeException stillOnStack(Machine m, Unwind u) {
        ResumePoint p = u.point.effective();
        if (p.machine != m || !p.live()) return new Trap(TrapKind.HOST, "unwind target is no longer on the stack", null);
        return u;
    }

    /**
     * Rewinds the machine to a resume point of this run, or passes the unwind on: to an outer run, or to the
     * compiled frame that recorded it.
     */
    static void applyUnwind(Machine m, Unwind u) {
        RuntimeException live = stillOnStack(m, u);
        if (live != u) throw live;
        ResumePoint p = u.point.effective();
        if (p.aotFrame != null || p.depth <= m.runBase()) throw u;
        m.depth = p.depth;
        m.fp = p.fp;
        m.fn = p.fn;
        m.inst = p.inst;
        m.pc = p.pc;
        System.arraycopy(p.frame, 0, m.stack, p.fp, p.frame.length); // the frame's locals and operands at the call
        m.sp = p.fp + p.frame.length;
        pushResults(m, p.hostType, u.results);
    }
}
