package dev.nojit.host.landlock;

import java.util.EnumSet;
import java.util.Set;

/**
 * Landlock filesystem access rights ({@code LANDLOCK_ACCESS_FS_*} in linux/landlock.h): the bit and the
 * first ABI version that knows it. A right the running kernel does not know is neither handled nor
 * granted (best effort below the ABI; {@link LandlockProbe#require} decides whether that is acceptable).
 */
public enum Access {
    EXECUTE(0, 1), WRITE_FILE(1, 1), READ_FILE(2, 1), READ_DIR(3, 1), REMOVE_DIR(4, 1), REMOVE_FILE(5, 1),
    MAKE_CHAR(6, 1), MAKE_DIR(7, 1), MAKE_REG(8, 1), MAKE_SOCK(9, 1), MAKE_FIFO(10, 1), MAKE_BLOCK(11, 1),
    MAKE_SYM(12, 1), REFER(13, 2), TRUNCATE(14, 3), IOCTL_DEV(15, 5);

    private final long bit;
    private final int sinceAbi;

    Access(int shift, int sinceAbi) {
        this.bit = 1L << shift;
        this.sinceAbi = sinceAbi;
    }

    public long bit() {
        return bit;
    }

    public int sinceAbi() {
        return sinceAbi;
    }

    /** The only rights the kernel accepts on a rule whose path is not a directory. */
    public static final Set<Access> FILE_RIGHTS = Set.copyOf(EnumSet.of(EXECUTE, WRITE_FILE, READ_FILE, TRUNCATE, IOCTL_DEV));

    /** Read a file or list a directory. */
    public static final Set<Access> READ = Set.copyOf(EnumSet.of(READ_FILE, READ_DIR));

    /** READ plus execve of the files beneath (needed only where an exec happens: java, jspawnhelper, ld.so). */
    public static final Set<Access> READ_EXECUTE = Set.copyOf(EnumSet.of(READ_FILE, READ_DIR, EXECUTE));

    /**
     * Ordinary file work in a directory: read, write, create and remove files and directories, symlinks,
     * rename within the granted trees, truncate. Not: execute, device nodes, sockets, FIFOs, device ioctls.
     */
    public static final Set<Access> READ_WRITE = Set.copyOf(EnumSet.of(READ_FILE, READ_DIR, WRITE_FILE, REMOVE_DIR,
            REMOVE_FILE, MAKE_DIR, MAKE_REG, MAKE_SYM, REFER, TRUNCATE));

    /** The bit mask of those rights in {@code rights} that ABI {@code abi} knows. */
    public static long mask(Set<Access> rights, int abi) {
        long m = 0;
        for (Access a : rights) if (a.sinceAbi <= abi) m |= a.bit;
        return m;
    }

    /** Every right ABI {@code abi} knows: the handled_access_fs of a ruleset that denies all by default. */
    public static long allKnown(int abi) {
        return mask(EnumSet.allOf(Access.class), abi);
    }
}
