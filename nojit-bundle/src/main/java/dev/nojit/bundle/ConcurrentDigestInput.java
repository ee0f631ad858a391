package dev.nojit.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An input stream that feeds every byte it returns into a whole-stream SHA-256 computed on a
 * second thread. The bundle reader hashes each blob as it reads it; hashing the whole file
 * on the same thread as well would halve its speed, and hashing the file in a separate pass
 * would hash bytes other than the ones checked. Here both hashes see the same buffers: a
 * chunk is read once, then hashed by the worker while the reader consumes it, and returns to
 * the pool only when both are done with it.
 */
final class ConcurrentDigestInput extends InputStream {
    private static final int CHUNK = 1 << 20;
    private static final int POOL = 4;

    private final InputStream in;
    private final MessageDigest digest = Sha256.newDigest();
    /** Null for a stream of at most one chunk: then hashing inline costs no more. */
    private final ExecutorService worker;
    private final BlockingQueue<Chunk> free = new ArrayBlockingQueue<>(POOL);
    private Future<?> lastTask;
    private Chunk current;
    private int pos;
    private boolean eof;

    /** A buffer, and how many of its two users (reader, hasher) still need it. */
    private final class Chunk {
        final byte[] bytes;
        int length;

        Chunk(int size) {
            bytes = new byte[size];
        }
        final AtomicInteger users = new AtomicInteger();

        void release() {
            if (users.decrementAndGet() == 0) free.add(this);
        }
    }

    /** @param expectedLength the stream's length if known (sizes the buffers), else -1 */
    ConcurrentDigestInput(InputStream in, long expectedLength) {
        this.in = in;
        boolean small = expectedLength >= 0 && expectedLength < CHUNK;
        int size = small ? (int) expectedLength + 1 : CHUNK;
        for (int i = 0; i < (small ? 1 : POOL); i++) free.add(new Chunk(size));
        worker = small ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "nojit-bundle-digest");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (current == null || pos == current.length) {
            if (!fill()) return -1;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current.bytes, pos, b, off, n);
        pos += n;
        return n;
    }

    /** The SHA-256 of every byte read so far (waits for the hasher). */
    byte[] digest() throws IOException {
        try {
            if (lastTask != null) lastTask.get();
            return digest.digest();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing the bundle");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("bundle hashing failed", e.getCause());
        }
    }

    /** Stops the hashing thread. The underlying stream stays open: its channel outlives verification. */
    @Override
    public void close() {
        if (worker != null) worker.shutdownNow();
    }

    private boolean fill() throws IOException {
        if (current != null) {
            current.release();
            current = null;
        }
        if (eof) return false;
        Chunk c;
        try {
            c = free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the bundle");
        }
        int n = in.readNBytes(c.bytes, 0, c.bytes.length);
        if (n < c.bytes.length) eof = true;
        if (n == 0) {
            free.add(c);
            return false;
        }
        c.length = n;
        c.users.set(2);
        if (worker == null) {
            digest.update(c.bytes, 0, n);
            c.release();
        } else {
            lastTask = worker.submit(() -> {
                digest.update(c.bytes, 0, c.length);
                c.release();
            });
        }
        current = c;
        pos = 0;
        return true;
    }
}
