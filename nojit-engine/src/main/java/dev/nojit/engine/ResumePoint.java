package dev.nojit.engine;

/**
 * The call site of a host import, recorded so that a later host call on the same machine can make it return
 * again (setjmp/longjmp). It holds the frame's identity (depth and serial, so a frame that has returned is
 * recognised as dead), where to continue, and the frame's values at the call: its locals (parameters included)
 * and the operands below the call. Unwinding restores both, so the second return is, for the wasm code, the
 * same as the first: a compiler or optimiser that knows nothing of "returns twice" (Binaryen's wasm-opt reuses
 * a local that is dead after an ordinary call) still finds every value it kept in a local across the call. This
 * is native longjmp's register restore; memory and globals are not restored.
 */
public final class ResumePoint {
    final Machine machine;
    final int depth;
    final long serial;
    final int pc;
    final int fp;
    final int sp;
    final FunctionCode fn;
    final Instance inst;
    final long[] frame;
    final FuncType hostType;
    // A call site of compiled code (AOT mode): the activation, the site and the values the generated code saved.
    // The interpreter's fields above are then unused (depth 0, no frame).
    final AotFrame aotFrame;
    final int aotSite;
    final long[] aotSaved;

    ResumePoint(Machine machine, int depth, long serial, int pc, int fp, int sp, FunctionCode fn, Instance inst,
                long[] frame, FuncType hostType) {
        this.machine = machine;
        this.depth = depth;
        this.serial = serial;
        this.pc = pc;
        this.fp = fp;
        this.sp = sp;
        this.fn = fn;
        this.inst = inst;
        this.frame = frame;
        this.hostType = hostType;
        this.aotFrame = null;
        this.aotSite = -1;
        this.aotSaved = null;
    }

    /** A returns-twice call site {@code site} of the compiled activation {@code frame}. */
    ResumePoint(Machine machine, AotFrame frame, int site, long[] saved, Instance inst, FuncType hostType) {
        this.machine = machine;
        this.depth = 0;
        this.serial = 0;
        this.pc = -1;
        this.fp = 0;
        this.sp = 0;
        this.fn = null;
        this.inst = inst;
        this.frame = null;
        this.hostType = hostType;
        this.aotFrame = frame;
        this.aotSite = site;
        this.aotSaved = saved;
    }

    /** The same call site on {@code copy}, a snapshot's machine, in instance {@code copyInst}. */
    private ResumePoint relocated;

    /**
     * The point to unwind to: this one, or, once deoptimization (fork) rebuilt the compiled activation that
     * recorded it as an interpreter frame, the interpreter's point in that frame.
     */
    ResumePoint effective() {
        if (aotFrame == null || aotFrame.relocated == null) return this;
        if (relocated == null) relocated = Machine.relocatedPoint(this);
        return relocated;
    }

    ResumePoint on(Machine copy, Instance copyInst) {
        if (aotFrame != null && aotFrame.relocated != null) {
            ResumePoint p = effective();
            return new ResumePoint(copy, p.depth, p.serial, p.pc, p.fp, p.sp, p.fn, copyInst, p.frame, hostType);
        }
        if (aotFrame != null) return new ResumePoint(copy, aotFrame, aotSite, aotSaved, copyInst, hostType);
        return new ResumePoint(copy, depth, serial, pc, fp, sp, fn, copyInst, frame, hostType);
    }

    /**
     * Whether the frame that made the recorded call is still on the machine's stack (else unwinding to it traps).
     * A compiled activation is live until it returns or an exception leaves it.
     */
    public boolean live() {
        if (aotFrame != null && aotFrame.relocated != null) return effective().live();
        if (aotFrame != null) return aotFrame.open() && aotFrame.machine == machine;
        return depth <= machine.depth && machine.frameSerial[depth - 1] == serial;
    }
}
