package dev.nojit.engine;

import java.util.Arrays;

/** A table of references (funcref ids or externref values, {@link Values#NULL_REF} for null). */
public final class Table {
    private final ValType elemType;
    private final int max;
    long[] elements;
    int size;

    /** @param max the declared maximum, or -1 for none */
    public Table(ValType elemType, int initial, int max) {
        if (!elemType.isReference()) throw new IllegalArgumentException("table elements must be references");
        if (initial < 0) throw new IllegalArgumentException("negative table size");
        this.elemType = elemType;
        this.max = max;
        this.elements = new long[initial];
        Arrays.fill(elements, Values.NULL_REF);
        this.size = initial;
    }

    private Table(Table other) {
        this.elemType = other.elemType;
        this.max = other.max;
        this.elements = Arrays.copyOf(other.elements, other.size);
        this.size = other.size;
    }

    public ValType elemType() { return elemType; }
    public int size() { return size; }
    public int max() { return max; }

    Limits limits() {
        return new Limits(size, max);
    }

    public long get(int index) {
        if (index < 0 || index >= size) throw new Trap(TrapKind.OUT_OF_BOUNDS_TABLE);
        return elements[index];
    }

    public void set(int index, long ref) {
        if (index < 0 || index >= size) throw new Trap(TrapKind.OUT_OF_BOUNDS_TABLE);
        elements[index] = ref;
    }

    /** Grows by {@code delta} elements set to {@code init}; returns the old size, or -1 past a limit. */
    public int grow(int delta, long init) {
        return grow(delta, init, Integer.MAX_VALUE);
    }

    int grow(long delta, long init, int engineLimit) {
        long newSize = size + delta;
        long limit = Math.min(engineLimit, max >= 0 ? max : Integer.MAX_VALUE);
        if (delta < 0 || newSize > limit) return -1;
        int old = size;
        if (newSize > elements.length) {
            elements = Arrays.copyOf(elements, (int) Math.min(limit, Math.max(newSize, (long) elements.length * 2)));
        }
        Arrays.fill(elements, old, (int) newSize, init);
        size = (int) newSize;
        return old;
    }

    Table copy() {
        return new Table(this);
    }
}
