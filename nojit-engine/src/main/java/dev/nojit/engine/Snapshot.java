package dev.nojit.engine;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent copy of a store and of a machine paused inside a host call (what fork needs). Memories,
 * tables and globals are copied; host functions are shared (they hold no guest state).
 *
 * <p>An unshared memory is copied lazily ({@link LazyCopy}): the snapshot allocates the copy's array, and the
 * bytes are copied by the thread that resumes the snapshot, before the copy runs ({@link #resume}, or earlier
 * {@link #completeCopies}); until then every write of the original first copies the 64 KiB chunks it changes.
 * A snapshot that will never resume should be {@link #abandon abandoned}, so that the original stops copying for
 * it (a later snapshot of the same memory, or its growth, ends that too).
 */
public final class Snapshot {
    private final Store store;
    private final Machine machine;
    private final Map<Object, Object> copies;
    private final FuncType hostType;
    private final List<LazyCopy> pending = new ArrayList<>();
    private boolean resumed;

    private Snapshot(Store store, Machine machine, Map<Object, Object> copies, FuncType hostType) {
        this.store = store;
        this.machine = machine;
        this.copies = copies;
        this.hostType = hostType;
        for (Object c : copies.values()) {
            if (c instanceof Memory mem && mem.lazy != null && mem.lazy.copy == mem) pending.add(mem.lazy);
        }
    }

    static Snapshot of(Machine m, FuncType hostType) {
        Map<Object, Object> map = new IdentityHashMap<>();
        Store copy = m.store.copy(map);
        return new Snapshot(copy, m.copyFor(copy, map), map, hostType);
    }

    /**
     * Makes the lazy copies of the memories complete (on the calling thread, helped by any write of the originals);
     * {@link #resume} does it first. Call it on the thread that will run the copy, so that the original's thread
     * does not pay for it.
     */
    public void completeCopies() {
        for (LazyCopy c : pending) c.complete();
    }

    /** This snapshot will not resume: the originals stop copying for it (its memories are left incomplete). */
    public void abandon() {
        for (LazyCopy c : pending) c.abandon();
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
        for (LazyCopy c : pending) {
            if (!c.completeOrEnded()) throw new IllegalStateException("an abandoned snapshot cannot resume");
        }
        return machine.resume(hostResults, hostType);
    }
}
