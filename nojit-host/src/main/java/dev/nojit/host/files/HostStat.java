package dev.nojit.host.files;

/**
 * What {@code fstatat} says about one host inode (x86-64 {@code struct stat}); times in
 * nanoseconds since the epoch.
 */
public record HostStat(long dev, long ino, long nlink, int mode, int uid, int gid, long rdev, long size,
                       long atimeNanos, long mtimeNanos, long ctimeNanos) {
    public static final int S_IFMT = 0170000, S_IFREG = 0100000, S_IFDIR = 0040000, S_IFLNK = 0120000;

    /** Whether this and {@code other} are the same inode. */
    public boolean sameInode(HostStat other) {
        return dev == other.dev && ino == other.ino;
    }

    public int format() {
        return mode & S_IFMT;
    }
}
