package dev.nojit.bundle.tar;

import java.nio.charset.StandardCharsets;

/**
 * The POSIX ustar header layout (IEEE Std 1003.1, "pax" format without extended headers).
 * A header is one 512-byte block; numeric fields are NUL-terminated octal; the checksum is
 * the unsigned byte sum of the header with the checksum field read as eight spaces.
 */
final class Ustar {
    static final int BLOCK = 512;
    static final int NAME_OFF = 0, NAME_LEN = 100;
    static final int MODE_OFF = 100, MODE_LEN = 8;
    static final int UID_OFF = 108, UID_LEN = 8;
    static final int GID_OFF = 116, GID_LEN = 8;
    static final int SIZE_OFF = 124, SIZE_LEN = 12;
    static final int MTIME_OFF = 136, MTIME_LEN = 12;
    static final int CHKSUM_OFF = 148, CHKSUM_LEN = 8;
    static final int TYPEFLAG_OFF = 156;
    static final int LINKNAME_OFF = 157, LINKNAME_LEN = 100;
    static final int MAGIC_OFF = 257;
    static final byte[] MAGIC = "ustar\u000000".getBytes(StandardCharsets.US_ASCII); // magic + version
    static final int PREFIX_OFF = 345, PREFIX_LEN = 155;
    static final byte TYPE_REGULAR = '0';
    /** Largest size an 11-digit octal field holds (8 GiB - 1). */
    static final long MAX_OCTAL_11 = 077777777777L;

    private Ustar() {}

    static long checksum(byte[] header) {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            boolean inField = i >= CHKSUM_OFF && i < CHKSUM_OFF + CHKSUM_LEN;
            sum += inField ? ' ' : (header[i] & 0xff);
        }
        return sum;
    }

    static long padding(long size) {
        long rem = size % BLOCK;
        return rem == 0 ? 0 : BLOCK - rem;
    }

    /**
     * The one header nojit writes for a regular file: mode 0644, owner 0:0, empty user and
     * group names, the given modification time. Readers compare against it, so every byte of
     * a bundle is determined by its entries.
     */
    static byte[] header(String name, long size, long mtime) {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length == 0 || nameBytes.length >= NAME_LEN || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("not a storable entry name: " + name);
        }
        if (size > MAX_OCTAL_11) throw new IllegalArgumentException("entry too large: " + name);
        byte[] h = new byte[BLOCK];
        System.arraycopy(nameBytes, 0, h, NAME_OFF, nameBytes.length);
        octal(h, MODE_OFF, MODE_LEN, 0644);
        octal(h, UID_OFF, UID_LEN, 0);
        octal(h, GID_OFF, GID_LEN, 0);
        octal(h, SIZE_OFF, SIZE_LEN, size);
        octal(h, MTIME_OFF, MTIME_LEN, mtime);
        h[TYPEFLAG_OFF] = TYPE_REGULAR;
        System.arraycopy(MAGIC, 0, h, MAGIC_OFF, MAGIC.length);
        // Checksum: six octal digits, NUL, space (the historical layout every tar reads).
        String sum = String.format("%06o", checksum(h));
        byte[] sumBytes = sum.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(sumBytes, 0, h, CHKSUM_OFF, 6);
        h[CHKSUM_OFF + 6] = 0;
        h[CHKSUM_OFF + 7] = ' ';
        return h;
    }

    /** Zero-padded octal of {@code len - 1} digits followed by NUL. */
    static void octal(byte[] h, int off, int len, long value) {
        String digits = Long.toOctalString(value);
        int width = len - 1;
        if (digits.length() > width) throw new IllegalArgumentException("value too large for field: " + value);
        String padded = "0".repeat(width - digits.length()) + digits;
        System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, h, off, width);
        h[off + width] = 0;
    }
}
