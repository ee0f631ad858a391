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
 * An input stream whose every byte also goes into a whole-stream SHA-256 computed on a
 * second thread. The bundle reader hashes each blob as it reads it; hashing the whole file
 * on the same thread as well would halve its speed, and hashing the file in a separate pass
 * would hash bytes other than the ones checked. Here both hashes see the same buffers: a
 * second thread reads each chunk from the file once, hands it to the reader, and hashes it
 * while the reader consumes it; a chunk returns to the pool only when both are done.
 * A stream of at most one chunk is read and hashed inline: a thread would cost more.
 */
final class ConcurrentDigestInput extends InputStream {
    private static final int CHUNK = 1 << 20;
    private static final int POOL = 4;
    /** Marks the end of the stream in the ready queue. */
    private static final Chunk END = null;

    private final InputStream in;
    private final MessageDigest digest = Sha256.newDigest();
    private final BlockingQueue<Chunk> free = new ArrayBlockingQueue<>(POOL);
    private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(POOL + 1);
    private final ExecutorService worker;
    private Future<?> producer;
    private Chunk current;
    private int pos;
    private boolean eof;

    /** A buffer, and how many of its two users (reader, hasher) still need it. */
    private final class Chunk {
        final byte[] bytes;
        int length;
        final AtomicInteger users = new AtomicInteger();

        Chunk(int size) {
            bytes = new byte[size];
        }

        void release() {
            if (users.decrementAndGet() == 0) free.add(this);
        }
    }

    /** What the producer hands over when reading failed. */
    private record Failure(IOException error) {}

    /** Hands over the end of the stream (a queue cannot hold null). */
    private record End() {}

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
            if (!next()) return -1;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current.bytes, pos, b, off, n);
        pos += n;
        return n;
    }

    /** The SHA-256 of the whole stream; reads to its end first if the caller stopped early. */
    byte[] digest() throws IOException {
        while (next()) {
            // drain: the digest covers every byte of the stream
        }
        return digest.digest();
    }

    /** Stops the hashing thread. The underlying stream stays open: its channel outlives verification. */
    @Override
    public void close() {
        if (worker != null) worker.shutdownNow();
    }

    /** Moves to the next chunk; false at the end of the stream. */
    private boolean next() throws IOException {
        if (current != null) {
            current.release();
            current = null;
        }
        if (eof) return false;
        Chunk c = worker == null ? readAndHashInline() : takeReady();
        if (c == END) {
            eof = true;
            return false;
        }
        current = c;
        pos = 0;
        return true;
    }

    private Chunk readAndHashInline() throws IOException {
        Chunk c = free.poll();
        int n = in.readNBytes(c.bytes, 0, c.bytes.length);
        if (n == 0) {
            free.add(c);
            return END;
        }
        c.length = n;
        c.users.set(1); // only the reader: hashed right here
        digest.update(c.bytes, 0, n);
        return c;
    }

    private Chunk takeReady() throws IOException {
        if (producer == null) producer = worker.submit(this::produce);
        Object item;
        try {
            item = ready.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the bundle");
        }
        return switch (item) {
            case Chunk c -> c;
            case End e -> END;
            case Failure f -> throw f.error();
            default -> throw new IllegalStateException("unexpected " + item);
        };
    }

    /** The second thread: read a chunk, hand it to the reader, hash it, repeat. */
    private void produce() {
        try {
            while (true) {
                Chunk c = free.take();
                int n = in.readNBytes(c.bytes, 0, c.bytes.length);
                if (n == 0) {
                    ready.put(new End());
                    return;
                }
                c.length = n;
                c.users.set(2);
                ready.put(c);
                digest.update(c.bytes, 0, n);
                c.release();
                if (n < c.bytes.length) {
                    ready.put(new End());
                    return;
                }
            }
        } catch (IOException e) {
            ready.offer(new Failure(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closed early: stop
        }
    }
}
