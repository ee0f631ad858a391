package dev.nojit.bundle.tar;

import dev.nojit.bundle.BundleException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a ustar archive as a stream, trusting nothing in it: each header's checksum, magic,
 * type, name and size are checked before any content is read; only regular files are
 * accepted (no links, devices, directories or pax/GNU extension headers); a declared size
 * must fit both the caller's limit and, when known, what is left of the file; and after the
 * end-of-archive marker the file must end. Beyond that it accepts only the canonical form
 * {@link TarWriter} writes: each header byte-for-byte as the writer would make it for that
 * name, size and the archive's one modification time, and zero padding. So no byte of an
 * accepted archive is free: two archives with the same entries are the same bytes. Entry
 * names are returned as data, never used as file-system paths here.
 */
public final class TarReader {
    private final InputStream in;
    private final long maxEntrySize;
    private final long fileLength;
    private final byte[] header = new byte[Ustar.BLOCK];
    private long position;
    private TarEntry current;
    private long remaining;
    private boolean ended;
    private long archiveMtime = -1;

    /**
     * @param fileLength the archive's total length when known (a file), or -1 (a stream);
     *                   with it, a declared size beyond the end is refused before reading
     */
    public TarReader(InputStream in, long maxEntrySize, long fileLength) {
        this.in = in;
        this.maxEntrySize = maxEntrySize;
        this.fileLength = fileLength;
    }

    /** The next entry, or null after the end-of-archive marker (and end of file). */
    public TarEntry next() throws IOException, BundleException {
        if (ended) return null;
        if (current != null) skipRest();
        int n = readFully(header, 0, Ustar.BLOCK);
        if (n == 0) throw new BundleException("truncated: the archive ends without its end-of-archive marker");
        if (n < Ustar.BLOCK) {
            throw new BundleException(position == 0
                    ? "malformed archive: the file is shorter than one tar header, so not a bundle"
                    : "truncated: the archive ends inside an entry header");
        }
        long headerOffset = position;
        position += Ustar.BLOCK;
        if (isZero(header)) {
            readEndMarker();
            return null;
        }
        current = parseHeader(headerOffset);
        remaining = current.size();
        return current;
    }

    /** Reads content of the current entry; -1 at its end. */
    public int read(byte[] buf, int off, int len) throws IOException, BundleException {
        if (current == null) throw new IllegalStateException("no current entry");
        if (remaining == 0) return -1;
        int want = (int) Math.min(len, remaining);
        int n = in.read(buf, off, want);
        if (n < 0) {
            throw new BundleException("truncated: entry '" + current.name() + "' ends after the end of the file");
        }
        remaining -= n;
        position += n;
        return n;
    }

    /** Reads the whole content of the current entry (the caller has bounded its size). */
    public byte[] readAll() throws IOException, BundleException {
        if (current == null) throw new IllegalStateException("no current entry");
        if (remaining > Integer.MAX_VALUE - 16) throw new BundleException("entry '" + current.name() + "' is too large to hold in memory");
        byte[] out = new byte[(int) remaining];
        int off = 0;
        while (off < out.length) {
            off += read(out, off, out.length - off);
        }
        return out;
    }

    private void skipRest() throws IOException, BundleException {
        byte[] scratch = new byte[8192];
        while (read(scratch, 0, scratch.length) >= 0) {
            // discard
        }
        int pad = (int) Ustar.padding(current.size());
        int n = readFully(scratch, 0, pad);
        if (n < pad) throw new BundleException("truncated: entry '" + current.name() + "' lacks its padding");
        for (int i = 0; i < pad; i++) {
            if (scratch[i] != 0) throw new BundleException("entry '" + current.name() + "': padding after the content is not zero");
        }
        position += pad;
        current = null;
    }

    private void readEndMarker() throws IOException, BundleException {
        int n = readFully(header, 0, Ustar.BLOCK);
        if (n < Ustar.BLOCK || !isZero(header)) {
            throw new BundleException("malformed archive: a zero block that is not an end-of-archive marker");
        }
        position += Ustar.BLOCK;
        if (in.read() >= 0) throw new BundleException("malformed archive: data after the end-of-archive marker");
        ended = true;
        current = null;
    }

    private TarEntry parseHeader(long headerOffset) throws BundleException {
        long stored = parseOctal(Ustar.CHKSUM_OFF, Ustar.CHKSUM_LEN, "checksum");
        if (stored != Ustar.checksum(header)) {
            throw new BundleException("malformed archive: header checksum mismatch at offset " + headerOffset);
        }
        for (int i = 0; i < Ustar.MAGIC.length; i++) {
            if (header[Ustar.MAGIC_OFF + i] != Ustar.MAGIC[i]) {
                throw new BundleException("malformed archive: not a POSIX ustar header at offset " + headerOffset);
            }
        }
        String name = parseName(headerOffset);
        byte type = header[Ustar.TYPEFLAG_OFF];
        if (type != Ustar.TYPE_REGULAR) {
            throw new BundleException("entry '" + name + "' has tar type '" + describeType(type) + "': a bundle holds only regular files");
        }
        if (!isZero(Ustar.LINKNAME_OFF, Ustar.LINKNAME_LEN) || !isZero(Ustar.PREFIX_OFF, Ustar.PREFIX_LEN)) {
            throw new BundleException("entry '" + name + "' uses a link name or name prefix, which a bundle never does");
        }
        long size = parseOctal(Ustar.SIZE_OFF, Ustar.SIZE_LEN, "size of '" + name + "'");
        long mtime = parseOctal(Ustar.MTIME_OFF, Ustar.MTIME_LEN, "modification time of '" + name + "'");
        if (size > maxEntrySize) {
            throw new BundleException("entry '" + name + "' declares " + size + " bytes, over the limit of " + maxEntrySize);
        }
        long contentOffset = headerOffset + Ustar.BLOCK;
        if (fileLength >= 0 && size + Ustar.padding(size) > fileLength - contentOffset) {
            throw new BundleException("truncated: entry '" + name + "' declares " + size + " bytes but the file ends "
                    + Math.max(0, fileLength - contentOffset) + " bytes later");
        }
        if (archiveMtime < 0) archiveMtime = mtime;
        if (size > Ustar.MAX_OCTAL_11 || !java.util.Arrays.equals(header, Ustar.header(name, size, archiveMtime))) {
            throw new BundleException("entry '" + name + "': header is not in the canonical form nojit writes");
        }
        return new TarEntry(name, size, contentOffset, mtime);
    }

    private String parseName(long headerOffset) throws BundleException {
        int end = 0;
        while (end < Ustar.NAME_LEN && header[end] != 0) end++;
        if (end == 0) throw new BundleException("malformed archive: empty entry name at offset " + headerOffset);
        if (end == Ustar.NAME_LEN || !isZero(end, Ustar.NAME_LEN - end)) {
            throw new BundleException("malformed archive: entry name not NUL-terminated at offset " + headerOffset);
        }
        for (int i = 0; i < end; i++) {
            int c = header[i] & 0xff;
            if (c <= 0x20 || c >= 0x7f) {
                throw new BundleException("malformed archive: entry name with a non-printable byte at offset " + headerOffset);
            }
        }
        return new String(header, 0, end, StandardCharsets.US_ASCII);
    }

    /** Octal digits, optionally led by spaces or zeros and ended by NUL or space; nothing else. */
    private long parseOctal(int off, int len, String what) throws BundleException {
        int i = off, end = off + len;
        if ((header[off] & 0x80) != 0) throw new BundleException("malformed archive: binary-encoded " + what);
        while (i < end && header[i] == ' ') i++;
        long value = 0;
        int digits = 0;
        while (i < end && header[i] >= '0' && header[i] <= '7') {
            value = (value << 3) | (header[i] - '0');
            digits++;
            i++;
        }
        if (digits == 0 || digits > 11) throw new BundleException("malformed archive: unreadable " + what);
        while (i < end && (header[i] == 0 || header[i] == ' ')) i++;
        if (i != end) throw new BundleException("malformed archive: unreadable " + what);
        return value;
    }

    private static String describeType(byte type) {
        return switch (type) {
            case '1' -> "hard link";
            case '2' -> "symbolic link";
            case '5' -> "directory";
            case 'x', 'g' -> "pax extended header";
            case 'L', 'K' -> "GNU long name";
            case 0 -> "old-style regular file";
            default -> (type >= 0x21 && type < 0x7f) ? String.valueOf((char) type) : String.format("0x%02x", type & 0xff);
        };
    }

    private boolean isZero(int off, int len) {
        for (int i = off; i < off + len; i++) if (header[i] != 0) return false;
        return true;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) if (b != 0) return false;
        return true;
    }

    private int readFully(byte[] buf, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int n = in.read(buf, off + total, len - total);
            if (n < 0) break;
            total += n;
        }
        return total;
    }
}
