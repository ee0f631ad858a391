package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.memory.GuestMemory;

/**
 * What stat reports about a file, and its x86-64 layouts. {@code struct stat} is 144 bytes:
 * dev@0 ino@8 nlink@16 mode@24 uid@28 gid@32 rdev@40 size@48 blksize@56 blocks@64
 * atime@72/80 mtime@88/96 ctime@104/112 (seconds, nanoseconds). {@code struct statx} is 256
 * bytes (see {@link #writeStatx}).
 */
public record Stat(long dev, long ino, long nlink, int mode, int uid, int gid, long rdev, long size,
                   long atimeNanos, long mtimeNanos, long ctimeNanos) {
    public static final int STAT_SIZE = 144;
    public static final int STATX_SIZE = 256;
    private static final long BILLION = 1_000_000_000L;

    public FileType type() {
        for (FileType t : FileType.values()) if ((mode & FileType.S_IFMT) == t.modeBits) return t;
        return FileType.REGULAR;
    }

    public long blocks() {
        return (size + 511) / 512;
    }

    public void writeStat(GuestMemory m, long addr) {
        m.check(addr, STAT_SIZE);
        m.fill(addr, STAT_SIZE, (byte) 0);
        m.writeLong(addr, dev);
        m.writeLong(addr + 8, ino);
        m.writeLong(addr + 16, nlink);
        m.writeInt(addr + 24, mode);
        m.writeInt(addr + 28, uid);
        m.writeInt(addr + 32, gid);
        m.writeLong(addr + 40, rdev);
        m.writeLong(addr + 48, size);
        m.writeLong(addr + 56, 4096);
        m.writeLong(addr + 64, blocks());
        writeTimespec(m, addr + 72, atimeNanos);
        writeTimespec(m, addr + 88, mtimeNanos);
        writeTimespec(m, addr + 104, ctimeNanos);
    }

    /**
     * statx: mask@0 blksize@4 attributes@8 nlink@16 uid@20 gid@24 mode(u16)@28 ino@32 size@40
     * blocks@48 attributes_mask@56, timestamps {i64 sec, u32 nsec, pad} atime@64 btime@80
     * ctime@96 mtime@112, rdev major/minor@128/132, dev major/minor@136/140.
     */
    public void writeStatx(GuestMemory m, long addr) {
        m.check(addr, STATX_SIZE);
        m.fill(addr, STATX_SIZE, (byte) 0);
        m.writeInt(addr, 0x7ff); // STATX_BASIC_STATS | STATX_BTIME
        m.writeInt(addr + 4, 4096);
        m.writeInt(addr + 16, (int) nlink);
        m.writeInt(addr + 20, uid);
        m.writeInt(addr + 24, gid);
        m.writeShort(addr + 28, mode);
        m.writeLong(addr + 32, ino);
        m.writeLong(addr + 40, size);
        m.writeLong(addr + 48, blocks());
        writeStatxTime(m, addr + 64, atimeNanos);
        writeStatxTime(m, addr + 80, ctimeNanos);
        writeStatxTime(m, addr + 96, ctimeNanos);
        writeStatxTime(m, addr + 112, mtimeNanos);
        m.writeInt(addr + 128, (int) (rdev >>> 8));
        m.writeInt(addr + 132, (int) (rdev & 0xff));
        m.writeInt(addr + 136, 0);
        m.writeInt(addr + 140, (int) dev);
    }

    private static void writeTimespec(GuestMemory m, long addr, long nanos) {
        m.writeLong(addr, Math.floorDiv(nanos, BILLION));
        m.writeLong(addr + 8, Math.floorMod(nanos, BILLION));
    }

    private static void writeStatxTime(GuestMemory m, long addr, long nanos) {
        m.writeLong(addr, Math.floorDiv(nanos, BILLION));
        m.writeInt(addr + 8, (int) Math.floorMod(nanos, BILLION));
    }
}
