package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * A regular file of the memory layer. A file from the image starts as a reference to its
 * bundle blob (read on first use, hash-checked by the bundle) and its content counts against no
 * quota; its first change copies it up into the writable layer. Changed content is charged to
 * the {@link Quota} by its allocated capacity ({@link HeapCost#bytes}), not its length: growth
 * is amortized (doubling up to 1 MiB, then an eighth more) and the slack is charged too.
 */
final class MemFile extends MemNode {
    static final int MAX_FILE = Integer.MAX_VALUE - 16;
    private static final byte[] EMPTY = new byte[0];
    private static final int DOUBLING_UP_TO = 1 << 20;
    private final Quota quota;
    private Supplier<byte[]> image;     // unread image content, or null
    private String imageSha256;         // the content is exactly this image blob, or null once changed
    private long imageSize;
    private byte[] data = EMPTY;
    private int length;
    private boolean charged;            // the content's capacity is charged (false: image content, unchanged)
    private long version;

    MemFile(int mode, Quota quota) {
        super(mode);
        this.quota = quota;
        this.charged = true;
    }

    /** A file of the image: content {@code sha256} of {@code size} bytes, read by {@code content} when first needed. */
    static MemFile fromImage(int mode, Quota quota, String sha256, long size, Supplier<byte[]> content) {
        MemFile f = new MemFile(mode, quota);
        f.image = content;
        f.imageSha256 = sha256;
        f.imageSize = size;
        f.charged = false;
        return f;
    }

    @Override
    public FileType type() {
        return FileType.REGULAR;
    }

    @Override
    synchronized long size() {
        return image != null ? imageSize : length;
    }

    @Override
    public boolean storesContent() {
        return true;
    }

    private void load() {
        if (image != null) {
            byte[] b = image.get();
            image = null;
            data = b;
            length = b.length;
        }
    }

    private void changing() {
        load();
        if (!charged) {
            quota.charge(HeapCost.bytes(data.length)); // copy-up: the image bytes are now the layer's
            charged = true;
        }
        imageSha256 = null;
        version++;
        mtime = ctime = now();
    }

    synchronized int read(long pos, byte[] buf, int off, int len) {
        load();
        if (pos >= length) return 0;
        int n = (int) Math.min(len, length - pos);
        System.arraycopy(data, (int) pos, buf, off, n);
        return n;
    }

    synchronized int write(long pos, byte[] buf, int off, int len, boolean append) {
        changing();
        if (append) pos = length;
        long end = pos + len;
        if (end > MAX_FILE) throw new SyscallError(Errno.EFBIG);
        if (end > length) grow((int) end);
        System.arraycopy(buf, off, data, (int) pos, len);
        return len;
    }

    synchronized void truncate(long size) {
        if (size < 0) throw new SyscallError(Errno.EINVAL);
        if (size > MAX_FILE) throw new SyscallError(Errno.EFBIG);
        changing();
        if (size > length) {
            grow((int) size);
        } else {
            // A shorter file gives its memory back: the array shrinks to the new length.
            resize((int) size);
            length = (int) size;
        }
    }

    private void grow(int newLength) {
        if (newLength > data.length) {
            long amortized = data.length < DOUBLING_UP_TO ? (long) data.length * 2 : data.length + (data.length >> 3);
            int capacity = (int) Math.min(MAX_FILE, Math.max(newLength, amortized));
            try {
                resize(capacity);
            } catch (SyscallError full) {
                if (capacity == newLength) throw full;
                resize(newLength); // no room for slack: exactly what is needed, or ENOSPC
            }
        }
        length = newLength; // bytes past the old length are zeros: a shorter file's array was cut
    }

    /** The content array becomes {@code capacity} bytes long, its change in size charged first. */
    private void resize(int capacity) {
        if (capacity == data.length) return;
        long delta = HeapCost.bytes(capacity) - HeapCost.bytes(data.length);
        if (delta > 0) quota.charge(delta);
        data = capacity == 0 ? EMPTY : Arrays.copyOf(data, capacity);
        if (delta < 0) quota.charge(delta);
    }

    private int opens;

    /**
     * The last link is gone. The content stays while a descriptor has it open (as on Linux:
     * SQLite unlinks its temporary files and keeps using them); after the last close, the bytes
     * and their quota are returned.
     */
    synchronized void discard() {
        if (nlink > 0 || opens > 0) return;
        if (charged) quota.charge(-HeapCost.bytes(data.length));
        charged = false;
        image = null;
        data = EMPTY;
        length = 0;
        releaseNode(quota);
    }

    private String hashedSha256;        // SHA-256 of the content at version hashedVersion
    private long hashedVersion = -1;    // versions start at 0: nothing hashed yet

    /**
     * What exec needs, taken under this file's lock so no write falls between them: the SHA-256 of
     * the whole content now (the signed one for an unchanged image file; otherwise computed once per
     * version, so exec of an unchanged file costs a lookup) and its first {@code headBytes} bytes.
     */
    synchronized ExecContent execContent(int headBytes) {
        load();
        String sha = imageSha256;
        if (sha == null) {
            if (hashedVersion != version) {
                java.security.MessageDigest d = dev.nojit.bundle.Sha256.newDigest();
                d.update(data, 0, length);
                hashedSha256 = dev.nojit.bundle.Sha256.toHex(d.digest());
                hashedVersion = version;
            }
            sha = hashedSha256;
        }
        return new ExecContent(sha, Arrays.copyOf(data, Math.min(length, headBytes)));
    }

    /** A copy of the whole content (for exec and file mappings). */
    synchronized byte[] contents() {
        load();
        return Arrays.copyOf(data, length);
    }

    @Override
    public FileHandle open(int flags) {
        synchronized (this) {
            opens++;
        }
        return new FileHandle() {
            @Override
            public void close() {
                synchronized (MemFile.this) {
                    opens--;
                    discard();
                }
            }

            @Override
            public int read(long pos, byte[] buf, int off, int len) {
                return MemFile.this.read(pos, buf, off, len);
            }

            @Override
            public int write(long pos, byte[] buf, int off, int len) {
                return MemFile.this.write(pos, buf, off, len, false);
            }

            @Override
            public long size() {
                return MemFile.this.size();
            }

            @Override
            public void truncate(long length) {
                MemFile.this.truncate(length);
            }
        };
    }
}
