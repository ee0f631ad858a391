package dev.nojit.engine;

/**
 * The identity of one activation of a compiled function that has returns-twice call sites (setjmp): resume
 * points recorded at those sites name it, and an unwind to one of them is caught by that activation only. Generated
 * code wraps the function's body in a handler for {@link RuntimeException}: {@link #resumeFor} says whether the
 * exception is an unwind to this activation (then the code restores its values and continues after the call
 * site) or not (then it calls {@link #close} and rethrows). {@link #close} also runs before each normal return.
 *
 * <p>The machine keeps its open activations in a list (newest first): whoever restores the count of compiled
 * frames after an exception (a {@link Machine} call, the interpreter's call of compiled code) closes every
 * activation above the restored count too, so an activation left by an {@link Error} is dead as well.
 */
public final class AotFrame {
    final Machine machine;
    /** The count of compiled frames on the machine with this activation's own one. */
    final int level;
    /** The activation that was the newest open one when this one opened. */
    final AotFrame below;
    private boolean closed;
    // Set when deoptimization rebuilt this activation as an interpreter frame: its resume points are that frame's.
    Relocation relocated;

    /** The interpreter frame a deoptimized activation became, and the call ordinal of each returns-twice site. */
    record Relocation(int depth, long serial, int fp, FunctionCode fn, Instance inst, int[] siteOrdinals) {}

    AotFrame(Machine machine, int level, AotFrame below) {
        this.machine = machine;
        this.level = level;
        this.below = below;
    }

    boolean open() {
        return !closed;
    }

    /** The resume this exception asks of this activation, or null when it is not an unwind to it. */
    public AotResume resumeFor(RuntimeException e) {
        if (!(e instanceof Unwind u) || u.point.aotFrame != this || closed) return null;
        ResumePoint p = u.point;
        machine.restoreCompiledDepth(level); // the frames the unwind left are gone
        long[] results;
        try {
            results = HostCalls.checkedResults("", p.hostType, u.results);
        } catch (Trap t) {
            close();
            throw t;
        }
        return new AotResume(p.aotSite, p.aotSaved == null ? new long[0] : p.aotSaved.clone(), results);
    }

    /** The activation has ended: unwinding to it later traps ("unwind target is no longer on the stack"). */
    public void close() {
        closed = true;
        if (machine.topFrame == this) machine.topFrame = below;
    }

    /** Marks this activation ended by {@link Machine#restoreCompiledDepth} (frames are closed newest first). */
    void end() {
        closed = true;
    }
}
