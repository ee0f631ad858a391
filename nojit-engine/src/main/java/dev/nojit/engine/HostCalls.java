package dev.nojit.engine;

import java.util.Arrays;

/** How the machine calls host code: argument passing, result checking, unwinding and safepoint handlers. */
final class HostCalls {
    private HostCalls() {}

    /** A host function called by guest code; its arguments are on top of the machine's stack. */
    static void call(Machine m, FunctionInstance f) {
        int n = f.type.params().size();
        long[] args = Arrays.copyOfRange(m.stack, m.sp - n, m.sp);
        m.sp -= n;
        HostCall hc = new HostCall(m, f.type);
        long[] results;
        try {
            results = f.host.call(hc, args);
        } catch (Unwind u) {
            hc.close();
            applyUnwind(m, u);
            return;
        } catch (Trap t) {
            throw t;
        } catch (RuntimeException e) {
            throw new Trap(TrapKind.HOST, "host function failed: " + f.name + ": " + e.getMessage(), e);
        } finally {
            hc.close();
        }
        pushResults(m, f.type, results);
    }

    /** A host function invoked from outside, with no guest frame around it. */
    static long[] invokeDirect(Machine m, FunctionInstance f, long[] args) {
        long[] in = new long[args.length];
        for (int i = 0; i < args.length; i++) in[i] = Values.normalize(f.type.params().get(i), args[i]);
        HostCall hc = new HostCall(m, f.type);
        try {
            long[] results = f.host.call(hc, in);
            int n = f.type.results().size();
            if ((results == null ? 0 : results.length) != n) throw wrongCount(f.name, results, n);
            long[] out = new long[n];
            for (int i = 0; i < n; i++) out[i] = Values.normalize(f.type.results().get(i), results[i]);
            return out;
        } finally {
            hc.close();
        }
    }

    /** Runs a safepoint handler; true when it unwound the machine to a resume point of this run. */
    static boolean safepoint(Machine m, SafepointHandler h) {
        HostCall hc = new HostCall(m, FuncType.of(java.util.List.of(), java.util.List.of()));
        try {
            h.atSafepoint(hc);
            return false;
        } catch (Unwind u) {
            hc.close();
            applyUnwind(m, u);
            return true;
        } catch (Trap t) {
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

    /** Rewinds the machine to a resume point of this run, or passes the unwind on to an outer run. */
    static void applyUnwind(Machine m, Unwind u) {
        ResumePoint p = u.point;
        if (p.machine != m || !p.live())
            throw new Trap(TrapKind.HOST, "unwind target is no longer on the stack", null);
        if (p.depth <= m.runBase()) throw u;
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
