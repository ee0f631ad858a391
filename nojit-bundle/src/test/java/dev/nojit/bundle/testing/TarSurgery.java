package dev.nojit.bundle.testing;

import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.BundleLimits;
import dev.nojit.bundle.tar.TarEntry;
import dev.nojit.bundle.tar.TarReader;
import dev.nojit.bundle.tar.TarWriter;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Takes a well-formed bundle apart into named entries and puts a changed list back together
 * as a well-formed archive, so tests can tamper with content (not with tar framing) and see
 * what the bundle checks, not the tar checks, say. Also crafts raw headers.
 */
public final class TarSurgery {
    private TarSurgery() {}

    /** An entry; {@code offset} is where its content lay in the archive it was read from (ignored on write). */
    public record Entry(String name, byte[] content, long offset) {
        public Entry(String name, byte[] content) {
            this(name, content, -1);
        }

        public Entry withContent(byte[] c) {
            return new Entry(name, c);
        }
    }

    public static List<Entry> read(byte[] archive) throws IOException, BundleException {
        TarReader r = new TarReader(new ByteArrayInputStream(archive), BundleLimits.MAX_BLOB_BYTES, archive.length);
        List<Entry> entries = new ArrayList<>();
        for (TarEntry e; (e = r.next()) != null; ) entries.add(new Entry(e.name(), r.readAll(), e.contentOffset()));
        return entries;
    }

    /** Writes entries with the archive time of {@link SampleBundle#CREATED}, as the sample's builder does. */
    public static byte[] write(List<Entry> entries) throws IOException {
        return write(entries, SampleBundle.CREATED.getEpochSecond());
    }

    public static byte[] write(List<Entry> entries, long mtime) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(out, mtime);
        for (Entry e : entries) w.add(e.name(), e.content());
        w.finish();
        return out.toByteArray();
    }

    /**
     * A raw ustar header with any name, type and size field (valid checksum), for
     * entries the writer would refuse to produce.
     */
    public static byte[] rawHeader(String name, char type, String octalSize) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, Math.min(n.length, 100));
        put(h, 100, "0000644\0");
        put(h, 108, "0000000\0");
        put(h, 116, "0000000\0");
        put(h, 124, octalSize);
        put(h, 136, String.format("%011o\0", SampleBundle.CREATED.getEpochSecond()));
        h[156] = (byte) type;
        put(h, 257, "ustar\u000000");
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        put(h, 148, String.format("%06o\0 ", sum));
        return h;
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }
}
