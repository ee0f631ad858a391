package dev.nojit.engine;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * An independent copy of a store and of a machine paused inside a host call (what fork needs). Memories,
 * tables and globals are copied; host functions are shared (they hold no guest state).
 */
public final class Snapshot {
    private final Store store;
    private final Machine machine;
    private final Map<Object, Object> copies;
    private final FuncType hostType;
    private boolean resumed;

    private Snapshot(Store store, Machine machine, Map<Object, Object> copies, FuncType hostType) {
        this.store = store;
        this.machine = machine;
        this.copies = copies;
        this.hostType = hostType;
    }

    static Snapshot of(Machine m, FuncType hostType) {
        Map<Object, Object> map = new IdentityHashMap<>();
        Store copy = m.store.copy(map);
        return new Snapshot(copy, m.copyFor(copy, map), map, hostType);
    }

    public Store store() {
        return store;
    }

    /** The machine that will run the copy: interrupt it, give it fuel. */
    public Machine machine() {
        return machine;
    }

    /** The copy of {@code original} (an instance of the snapshotted store). */
    public Instance instance(Instance original) {
        Object c = copies.get(original);
        if (c == null) throw new IllegalArgumentException("not an instance of the snapshotted store");
        return (Instance) c;
    }

    /** The copy of a memory of the snapshotted store. */
    public Memory memory(Memory original) {
        Object c = copies.get(original);
        if (c == null) throw new IllegalArgumentException("not a memory of the snapshotted store");
        return (Memory) c;
    }

    /**
     * The same call site in the copy (for a forked child's setjmp buffers): the copied machine, the copied
     * instance; the frame identity (depth and serial) carries over because the frames were copied.
     */
    public ResumePoint resumePoint(ResumePoint original) {
        Object inst = copies.get(original.inst);
        if (inst == null) throw new IllegalArgumentException("not a resume point of the snapshotted machine");
        return original.on(machine, (Instance) inst);
    }

    /**
     * Continues the copy on the calling thread: the snapshotted host call returns {@code hostResults}; runs until
     * the outermost guest function returns, and returns its results. A snapshot resumes once.
     */
    public synchronized long[] resume(long... hostResults) {
        if (resumed) throw new IllegalStateException("a snapshot resumes once");
        resumed = true;
        return machine.resume(hostResults, hostType);
    }
}
