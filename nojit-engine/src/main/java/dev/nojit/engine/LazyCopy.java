package dev.nojit.engine;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The copy of an unshared memory that a snapshot (fork) takes, made lazily in 64 KiB chunks: at the snapshot the
 * copy gets a fresh array and nothing is copied. The thread that resumes the snapshot copies every chunk before
 * the copy runs ({@link #complete}); meanwhile the original runs on, and each of its writes first copies the
 * chunks it touches that are not copied yet ({@link #beforeWrite}). A chunk is claimed by one thread at a time
 * (CLEAN, BUSY, DONE), so the copy always holds the chunk as it was at the snapshot: the original writes a chunk
 * only after it is DONE, and the copier reads it before setting DONE (a volatile write the original's volatile
 * read of DONE sees, so the read happens-before the write).
 *
 * <p>Loads need no check on either side: the original's array is its own and complete, and the copy's array is
 * not read before {@link #complete} returns (its machine resumes after it; its host accessors wait for it).
 */
final class LazyCopy {
    static final int CHUNK_SHIFT = 16;
    static final int CHUNK = 1 << CHUNK_SHIFT;
    private static final int CLEAN = 0, BUSY = 1, DONE = 2;

    final Memory original;
    final Memory copy;
    private final byte[] source;
    private final byte[] target;
    private final AtomicIntegerArray state;
    private volatile boolean ended, abandoned;

    LazyCopy(Memory original, Memory copy, byte[] source, byte[] target) {
        this.original = original;
        this.copy = copy;
        this.source = source;
        this.target = target;
        this.state = new AtomicIntegerArray((source.length + CHUNK - 1) >>> CHUNK_SHIFT);
    }

    /**
     * The original is about to write {@code [addr, addr + len)} of {@code source} (a range that may reach past
     * the array: the write then traps, and only the chunks inside are copied).
     */
    void beforeWrite(long addr, long len) {
        if (ended || len <= 0 || addr >= source.length) return;
        long last = Math.min(addr + len - 1, source.length - 1L);
        for (int k = (int) (Math.max(addr, 0) >>> CHUNK_SHIFT); k <= (int) (last >>> CHUNK_SHIFT); k++) take(k);
    }

    /** Copies every chunk not copied yet (helping any other thread doing so), then detaches from both memories. */
    void complete() {
        int n = state.length();
        for (int k = 0; k < n && !ended; k++) take(k);
        end();
    }

    /** {@link #complete}; false when the copy was abandoned instead (its array is then incomplete). */
    boolean completeOrEnded() {
        complete();
        return !abandoned;
    }

    /** The copy will never run (the snapshot was dropped): the original stops copying for it. */
    void abandon() {
        abandoned = true;
        end();
    }

    private void end() {
        ended = true;
        original.lazyEnded(this);
        copy.lazyEnded(this);
    }

    /** Chunk {@code k} is in the copy when this returns. */
    private void take(int k) {
        int s = state.get(k);
        if (s == DONE) return;
        if (s == CLEAN && state.compareAndSet(k, CLEAN, BUSY)) {
            int from = k << CHUNK_SHIFT;
            System.arraycopy(source, from, target, from, Math.min(CHUNK, source.length - from));
            state.set(k, DONE);
            return;
        }
        // Another thread copies these 64 KiB: microseconds, unless it lost its CPU meanwhile (then let it run).
        for (int spins = 0; state.get(k) != DONE; spins++) {
            if (spins < 1000) Thread.onSpinWait();
            else Thread.yield();
        }
    }
}
