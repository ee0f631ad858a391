package dev.nojit.bundle.tar;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a ustar archive of regular files with fixed metadata (mode 0644, owner 0:0, one
 * modification time), so that the same entries always give the same bytes.
 */
public final class TarWriter {
    private final OutputStream out;
    private final long mtime;
    private boolean finished;

    public TarWriter(OutputStream out, long mtimeEpochSeconds) {
        if (mtimeEpochSeconds < 0 || mtimeEpochSeconds > Ustar.MAX_OCTAL_11) {
            throw new IllegalArgumentException("mtime out of range for ustar: " + mtimeEpochSeconds);
        }
        this.out = out;
        this.mtime = mtimeEpochSeconds;
    }

    public void add(String name, byte[] content) throws IOException {
        if (finished) throw new IllegalStateException("archive already finished");
        out.write(Ustar.header(name, content.length, mtime));
        out.write(content);
        out.write(new byte[(int) Ustar.padding(content.length)]);
    }

    /** Writes the end-of-archive marker (two zero blocks). */
    public void finish() throws IOException {
        if (!finished) {
            out.write(new byte[2 * Ustar.BLOCK]);
            finished = true;
        }
        out.flush();
    }

}
