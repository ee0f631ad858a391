package dev.nojit.engine;

/**
 * What a host function may do with the machine that called it. Valid only while that host call runs.
 */
public final class HostCall {
    private final Machine machine;
    private final FuncType type;
    // Made by compiled code: the returns-twice call site (frame null for an ordinary call), or not (compiled false).
    private final boolean compiled;
    private final AotFrame frame;
    private final int site;
    private final long[] saved;
    // Made by compiled code of a deoptimizable module at an ordinal call site: a snapshot may deoptimize.
    private final boolean deoptimizable;
    private boolean open = true;

    HostCall(Machine machine, FuncType type) {
        this.machine = machine;
        this.type = type;
        this.compiled = false;
        this.frame = null;
        this.site = -1;
        this.saved = null;
        this.deoptimizable = false;
    }

    /** A call made by compiled code; {@code frame} non-null for a call site of a returns-twice import. */
    HostCall(Machine machine, FuncType type, AotFrame frame, int site, long[] saved) {
        this(machine, type, frame, site, saved, false);
    }

    /** As above; {@code deoptimizable}: a direct call site of a module translated with deoptimization handlers. */
    HostCall(Machine machine, FuncType type, AotFrame frame, int site, long[] saved, boolean deoptimizable) {
        this.machine = machine;
        this.type = type;
        this.compiled = true;
        this.frame = frame;
        this.site = site;
        this.saved = saved;
        this.deoptimizable = deoptimizable;
    }

    private void requireOpen() {
        if (!open) throw new IllegalStateException("the host call has returned");
    }

    /** The instance whose code made the call (null when the host function was invoked directly). */
    public Instance instance() {
        requireOpen();
        return machine.inst;
    }

    /** The calling instance's memory, or null. */
    public Memory memory() {
        Instance i = instance();
        return i == null ? null : i.memory;
    }

    public Machine machine() {
        requireOpen();
        return machine;
    }

    /**
     * Copies the whole execution state (store and machine) paused inside this host call. The copy is
     * independent: resuming it on any thread continues the guest as if this host call had returned the values
     * given to {@link Snapshot#resume}.
     *
     * <p>Under compiled (AOT) frames: when the call was made at a direct call site of a module translated with
     * deoptimization handlers, from one stretch of compiled code entered by the outermost guest code, this throws
     * an {@link AotCapture}, which must leave the host function untouched (nothing visible done yet): the engine
     * rebuilds the compiled frames as interpreter frames and calls the host function again, where the snapshot
     * succeeds. Otherwise it refuses with {@link IllegalStateException}.
     */
    public Snapshot snapshot() {
        requireOpen();
        Machine m = machine;
        if (m.aotDepth > 0 && deoptimizable && m.nesting() == 1 && m.aotEntries == 1) throw new AotCapture(m.aotDepth);
        if (compiledFramesOnStack())
            throw new IllegalStateException("a snapshot (fork) cannot copy compiled (AOT) frames: they live on the JVM stack;"
                    + " a module that forks runs interpreted");
        if (machine.nesting() != 1 || machine.depth == 0)
            throw new IllegalStateException("a snapshot needs a host call made directly by the outermost guest code");
        return Snapshot.of(machine, type);
    }

    /**
     * Whether frames of compiled code (AOT mode) are active on this machine, below this call: then
     * {@link #snapshot} refuses, since those frames are Java frames no copy can take.
     */
    public boolean compiledFramesOnStack() {
        requireOpen();
        return machine.aotDepth > 0;
    }

    /**
     * Records this call site so that {@link #unwind} can make it return again later. In compiled code only the
     * call sites of returns-twice imports can be recorded (the translator saves the frame's values there).
     */
    public ResumePoint resumePoint() {
        requireOpen();
        Machine m = machine;
        if (compiled) {
            if (frame == null)
                throw new IllegalStateException("compiled code made this host call at a site not translated as returns-twice");
            return new ResumePoint(m, frame, site, saved, m.inst, type);
        }
        if (m.depth <= m.runBase()) throw new IllegalStateException("no guest frame made this host call");
        long[] frame = java.util.Arrays.copyOfRange(m.stack, m.fp, m.sp); // locals and operands below the call
        return new ResumePoint(m, m.depth, m.frameSerial[m.depth - 1], m.pc, m.fp, m.sp, m.fn, m.inst, frame, type);
    }

    /**
     * Returns an exception that, thrown out of the host function, unwinds the guest to {@code point} and makes
     * the host call recorded there return {@code results}. Use as {@code throw call.unwind(point, v)}.
     */
    public RuntimeException unwind(ResumePoint point, long... results) {
        requireOpen();
        if (point.machine != machine) throw new IllegalArgumentException("the resume point belongs to another machine");
        return new Unwind(point, results);
    }

    void close() {
        open = false;
    }
}
