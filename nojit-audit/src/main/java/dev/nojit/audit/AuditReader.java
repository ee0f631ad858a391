package dev.nojit.audit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads an audit log line by line, bounded: it never holds more than one line (at most
 * {@link #MAX_LINE} bytes) and a read buffer, whatever the file's size, and refuses files above
 * {@link #MAX_FILE} before reading them.
 */
public final class AuditReader implements AutoCloseable {
    /** The longest line accepted (the writer bounds argv and details far below this). */
    public static final int MAX_LINE = 1 << 20;
    /** The largest file accepted: a sanity bound, far above any real run's log. */
    public static final long MAX_FILE = 64L << 30;

    private final Path file;
    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos, limit;
    private long lineNumber;
    private boolean eof;

    /**
     * One line of the file, without its '\n'.
     *
     * @param number     1-based line number
     * @param bytes      the line's bytes; empty when {@code tooLong}
     * @param terminated false for a last line that does not end in '\n' (a write cut short)
     * @param tooLong    the line is longer than {@link #MAX_LINE}; its bytes were skipped
     */
    public record Line(long number, byte[] bytes, boolean terminated, boolean tooLong) {}

    private AuditReader(Path file, InputStream in) {
        this.file = file;
        this.in = in;
    }

    /** @throws AuditException when the file is missing, unreadable, not a regular file or too large */
    public static AuditReader open(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new AuditException(Files.exists(file) ? "audit log " + file + ": not a regular file" : "no such file: " + file);
            }
            long size = Files.size(file);
            if (size > MAX_FILE) throw new AuditException("audit log " + file + ": larger than " + (MAX_FILE >> 30) + " GiB");
            return new AuditReader(file, Files.newInputStream(file));
        } catch (java.nio.file.AccessDeniedException e) {
            throw new AuditException("permission denied: " + file, e);
        } catch (IOException e) {
            throw new AuditException("audit log " + file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The next line, or null at the end of the file. */
    public Line next() {
        try {
            byte[] line = new byte[256];
            int len = 0;
            boolean tooLong = false;
            while (true) {
                if (pos == limit) {
                    if (eof || !fill()) {
                        if (len == 0 && !tooLong) return null;
                        return new Line(++lineNumber, tooLong ? new byte[0] : Arrays.copyOf(line, len), false, tooLong);
                    }
                }
                int start = pos;
                while (pos < limit && buf[pos] != '\n') pos++;
                int n = pos - start;
                if (!tooLong) {
                    if ((long) len + n > MAX_LINE) {
                        tooLong = true;
                        line = null;
                    } else {
                        if (len + n > line.length) line = Arrays.copyOf(line, Math.max(len + n, Math.min(MAX_LINE, line.length * 2)));
                        System.arraycopy(buf, start, line, len, n);
                        len += n;
                    }
                }
                if (pos < limit) { // at '\n'
                    pos++;
                    return new Line(++lineNumber, tooLong ? new byte[0] : Arrays.copyOf(line, len), true, tooLong);
                }
            }
        } catch (IOException e) {
            throw new AuditException("audit log " + file + ": read failed: " + e.getMessage(), e);
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(buf);
        if (n <= 0) {
            eof = true;
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // Read-only: nothing is lost.
        }
    }
}
