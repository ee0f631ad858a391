package dev.nojit.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A linear memory: one Java byte array of {@code pages * 64 KiB}, little-endian. Growing replaces the array
 * (the interpreter reloads it after every call, host call and memory.grow). Instances that import the same
 * memory share this object; a shared memory is also shared between machines on different threads.
 *
 * <p>Known limit: growing a shared memory while another thread writes to it may lose that thread's writes
 * made between the copy and its next reload of the array.
 */
public final class Memory {
    public static final int PAGE_SIZE = 65536;
    static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final int declaredMax;
    private final boolean shared;
    final WaitQueues waiters;
    volatile byte[] bytes;
    volatile int pages;
    private volatile GrowthBudget growthBudget; // not copied: a copy's owner sets its own

    /** @param maxPages the declared maximum, or -1 for none */
    public Memory(int initialPages, int maxPages, boolean shared) {
        if (initialPages < 0 || initialPages > EngineConfig.MAX_ARRAY_PAGES)
            throw new IllegalArgumentException("a memory holds at most " + EngineConfig.MAX_ARRAY_PAGES + " pages");
        this.declaredMax = maxPages;
        this.shared = shared;
        this.bytes = new byte[initialPages * PAGE_SIZE];
        this.pages = initialPages;
        this.waiters = shared ? new WaitQueues() : null;
    }

    private Memory(Memory other) {
        this.declaredMax = other.declaredMax;
        this.shared = other.shared;
        this.waiters = shared ? new WaitQueues() : null;
        synchronized (other) {
            this.bytes = other.bytes.clone();
            this.pages = other.pages;
        }
    }

    public int pages() { return pages; }
    public int maxPages() { return declaredMax; }
    public boolean shared() { return shared; }
    public long byteSize() { return (long) pages * PAGE_SIZE; }

    Limits limits() {
        return new Limits(pages, declaredMax);
    }

    /** Grows by {@code delta} pages; returns the old size in pages, or -1 past the declared or engine limit. */
    public int grow(int delta) {
        return grow(delta & 0xFFFFFFFFL, EngineConfig.MAX_ARRAY_PAGES);
    }

    synchronized int grow(long delta, int engineLimit) {
        int old = pages;
        long limit = Math.min(engineLimit, declaredMax >= 0 ? declaredMax : 65536);
        long target = old + delta;
        if (target > limit || target > EngineConfig.MAX_ARRAY_PAGES) return -1;
        if (delta > 0) {
            long more = delta * PAGE_SIZE;
            GrowthBudget budget = growthBudget;
            if (budget != null && !budget.reserve(more)) return -1;
            try {
                bytes = Arrays.copyOf(bytes, (int) target * PAGE_SIZE);
            } catch (OutOfMemoryError e) {
                if (budget != null) budget.cancel(more);
                throw e;
            }
            pages = (int) target;
        }
        return old;
    }

    /** Every later growth (memory.grow or {@link #grow}) is first reserved from {@code budget}; null: none. */
    public void growthBudget(GrowthBudget budget) {
        this.growthBudget = budget;
    }

    Memory copy() {
        return new Memory(this);
    }

    // ---- host accessors: every one checks bounds and traps like a guest access would ----

    private int check(long addr, long len) {
        byte[] b = bytes;
        if (addr < 0 || len < 0 || addr + len > b.length) throw new Trap(TrapKind.OUT_OF_BOUNDS_MEMORY);
        return (int) addr;
    }

    public byte[] read(long addr, int len) {
        int a = check(addr, len);
        return Arrays.copyOfRange(bytes, a, a + len);
    }

    public void read(long addr, byte[] dst, int off, int len) {
        int a = check(addr, len);
        System.arraycopy(bytes, a, dst, off, len);
    }

    public void write(long addr, byte[] data) {
        write(addr, data, 0, data.length);
    }

    public void write(long addr, byte[] data, int off, int len) {
        int a = check(addr, len);
        System.arraycopy(data, off, bytes, a, len);
    }

    public byte readByte(long addr) { return bytes[check(addr, 1)]; }
    public void writeByte(long addr, byte v) { bytes[check(addr, 1)] = v; }
    public short readShort(long addr) { return (short) I16.get(bytes, check(addr, 2)); }
    public void writeShort(long addr, short v) { I16.set(bytes, check(addr, 2), v); }
    public int readInt(long addr) { return (int) I32.get(bytes, check(addr, 4)); }
    public void writeInt(long addr, int v) { I32.set(bytes, check(addr, 4), v); }
    public long readLong(long addr) { return (long) I64.get(bytes, check(addr, 8)); }
    public void writeLong(long addr, long v) { I64.set(bytes, check(addr, 8), v); }

    public void fill(long addr, long len, byte value) {
        int a = check(addr, len);
        Arrays.fill(bytes, a, a + (int) len, value);
    }
}
