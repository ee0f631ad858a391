package dev.nojit.engine;

/**
 * What a host function may do with the machine that called it. Valid only while that host call runs.
 */
public final class HostCall {
    private final Machine machine;
    private final FuncType type;
    private boolean open = true;

    HostCall(Machine machine, FuncType type) {
        this.machine = machine;
        this.type = type;
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
     */
    public Snapshot snapshot() {
        requireOpen();
        if (machine.nesting() != 1 || machine.depth == 0)
            throw new IllegalStateException("a snapshot needs a host call made directly by the outermost guest code");
        return Snapshot.of(machine, type);
    }

    /** Records this call site so that {@link #unwind} can make it return again later. */
    public ResumePoint resumePoint() {
        requireOpen();
        Machine m = machine;
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
