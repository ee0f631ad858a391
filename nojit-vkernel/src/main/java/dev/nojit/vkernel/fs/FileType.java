package dev.nojit.vkernel.fs;

/** File types with their Linux mode bits (S_IFMT) and getdents64 d_type values. */
public enum FileType {
    REGULAR(0100000, 8), DIRECTORY(0040000, 4), SYMLINK(0120000, 10), CHAR_DEVICE(0020000, 2), FIFO(0010000, 1);

    public static final int S_IFMT = 0170000;
    public final int modeBits;
    public final int direntType;

    FileType(int modeBits, int direntType) {
        this.modeBits = modeBits;
        this.direntType = direntType;
    }
}
