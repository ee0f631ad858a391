package dev.nojit.vkernel.fs;

/**
 * What the memory layer's objects cost on the heap (64-bit HotSpot, compressed oops, 8-byte
 * alignment), so the {@link Quota} charges what a guest really makes the host hold: a million
 * empty files cost a million nodes and entries, not nothing. Figures measured with
 * bench/memory-footprint (heap after GC divided by the count) and rounded up.
 */
public final class HeapCost {
    private HeapCost() {}

    /** A node object (MemFile, MemDir with its TreeMap, MemSymlink) with its fields and inode bookkeeping. */
    public static final long NODE = 136;
    /** A directory entry: the TreeMap entry and the name's String object and array header (its bytes are extra). */
    public static final long ENTRY = 80;
    /** A String held by a node (a symlink's target): object and array header (its bytes are extra). */
    public static final long STRING = 40;
    private static final long ARRAY_HEADER = 16;

    /** A directory entry named {@code name}. */
    public static long entry(String name) {
        return ENTRY + chars(name);
    }

    /** A String's characters: one byte each when all are Latin-1 (compact strings), else two; rounded to 8. */
    public static long chars(String s) {
        boolean latin1 = true;
        for (int i = 0; i < s.length() && latin1; i++) latin1 = s.charAt(i) < 256;
        return align((long) s.length() * (latin1 ? 1 : 2));
    }

    /** A byte array of {@code length} (nothing for the shared empty array). */
    public static long bytes(long length) {
        return length == 0 ? 0 : align(ARRAY_HEADER + length);
    }

    private static long align(long n) {
        return (n + 7) & -8L;
    }
}
