package dev.nojit.engine;

import java.util.Arrays;

/** A growable int array: the code buffer of one function under translation. */
final class IntBuffer {
    private int[] data = new int[64];
    private int size;

    int size() { return size; }

    void add(int v) {
        if (size == data.length) data = Arrays.copyOf(data, size * 2);
        data[size++] = v;
    }

    int get(int i) { return data[i]; }

    void set(int i, int v) { data[i] = v; }

    int[] toArray() { return Arrays.copyOf(data, size); }
}
