package dev.nojit.host.files;

import dev.nojit.host.HostCallException;
import dev.nojit.host.kernel.LinuxCalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import static dev.nojit.host.kernel.LinuxCalls.*;

/**
 * The descriptor-relative host file calls. Every name is one path component (checked here:
 * not empty, no '/', no NUL, not "." or "..", at most {@value #NAME_MAX} bytes), looked up
 * beneath a directory descriptor with {@code RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
 * RESOLVE_NO_MAGICLINKS} or with {@code AT_SYMLINK_NOFOLLOW}; operations on an object itself
 * go through its own descriptor ({@code AT_EMPTY_PATH}). No call here follows a symlink.
 */
public final class HostFiles {
    private HostFiles() {}

    public static final int NAME_MAX = 255;
    /** A symlink's target is at most PATH_MAX - 1 bytes. */
    public static final int TARGET_MAX = 4095;

    static final int EPERM = 1, ENOENT = 2, EIO = 5, EINVAL = 22, ENAMETOOLONG = 36, ENOSYS = 38, EOPNOTSUPP = 95;
    static final long O_RDONLY = 0, O_RDWR = 02, O_CREAT = 0100, O_EXCL = 0200, O_NOCTTY = 0400, O_NONBLOCK = 04000,
            O_DIRECTORY = 0200000, O_NOFOLLOW = 0400000, O_CLOEXEC = 02000000, O_PATH = 010000000;
    static final long RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_NO_SYMLINKS = 0x04, RESOLVE_BENEATH = 0x08;
    static final long BENEATH = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    static final int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_EMPTY_PATH = 0x1000;
    static final long UTIME_OMIT = (1L << 30) - 2;
    private static final int STAT_SIZE = 144, DIRENT_BUFFER = 32 * 1024, DIRENT_HEADER = 19;

    // --- opening ---

    /** Opens a mount's root directory (the operator's path, followed as given) as an O_PATH descriptor. */
    public static HostFd openRoot(Path dir) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment path = a.allocateFrom(dir.toAbsolutePath().toString());
            MemorySegment how = openHow(a, O_PATH | O_DIRECTORY | O_CLOEXEC, 0, 0);
            return new HostFd((int) syscall("openat2", SYS_OPENAT2, AT_FDCWD, path.address(), how.address(), how.byteSize(), 0));
        }
    }

    /** The entry {@code name} of {@code dir} as an O_PATH descriptor of that inode itself (a symlink is not followed). */
    public static HostFd openNode(HostFd dir, String name) {
        return openBeneath(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
    }

    /**
     * Creates the regular file {@code name} in {@code dir} ({@code O_CREAT | O_EXCL}: an existing
     * entry, a dangling symlink included, is EEXIST) and returns a read-only descriptor of it.
     */
    public static HostFd createFile(HostFd dir, String name, int mode) {
        return openBeneath(dir, name, O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode & 07777);
    }

    /**
     * Opens the content of the regular file {@code name} in {@code dir} for reading (and writing)
     * and checks that it is the inode {@code expected}: another inode under that name (a swap) is
     * ENOENT, and so is anything but a regular file. O_NONBLOCK and O_NOCTTY keep a FIFO or a
     * terminal swapped in from blocking or attaching before the check.
     */
    public static HostFd openContent(HostFd dir, String name, boolean write, HostStat expected) {
        long flags = (write ? O_RDWR : O_RDONLY) | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
        HostFd fd = openBeneath(dir, name, flags, 0);
        try {
            HostStat now = stat(fd);
            if (!now.sameInode(expected) || now.format() != HostStat.S_IFREG) {
                throw new HostCallException("openat2 " + name + ": another inode under the name", ENOENT);
            }
            return fd;
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    private static HostFd openBeneath(HostFd dir, String name, long flags, int mode) {
        return openBeneath(dir, a -> name(a, name), flags, mode);
    }

    /** openat2 beneath {@code dir}; {@code path} is one checked name, or "." for list(). */
    private static HostFd openBeneath(HostFd dir, Function<Arena, MemorySegment> path, long flags, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = path.apply(a);
            MemorySegment how = openHow(a, flags, mode, BENEATH);
            int d = dir.acquire();
            try {
                return new HostFd((int) syscall("openat2", SYS_OPENAT2, d, n.address(), how.address(), how.byteSize(), 0));
            } finally {
                dir.release();
            }
        }
    }

    private static MemorySegment openHow(Arena a, long flags, long mode, long resolve) {
        MemorySegment how = a.allocate(24, 8);
        how.set(ValueLayout.JAVA_LONG, 0, flags);
        how.set(ValueLayout.JAVA_LONG, 8, mode);
        how.set(ValueLayout.JAVA_LONG, 16, resolve);
        return how;
    }

    // --- metadata of the object itself ---

    public static HostStat stat(HostFd fd) {
        return statAt(fd, null);
    }

    /** fstatat of the entry {@code name} of {@code dir} without following it; {@code name} null: {@code dir} itself. */
    public static HostStat statAt(HostFd dir, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = name == null ? a.allocateFrom("") : name(a, name);
            MemorySegment st = a.allocate(STAT_SIZE, 8);
            int flags = AT_SYMLINK_NOFOLLOW | (name == null ? AT_EMPTY_PATH : 0);
            int d = dir.acquire();
            try {
                syscall("newfstatat", SYS_NEWFSTATAT, d, n.address(), st.address(), flags, 0);
            } finally {
                dir.release();
            }
            return decodeStat(st);
        }
    }

    private static HostStat decodeStat(MemorySegment st) {
        long dev = st.get(ValueLayout.JAVA_LONG, 0), ino = st.get(ValueLayout.JAVA_LONG, 8),
                nlink = st.get(ValueLayout.JAVA_LONG, 16);
        int mode = st.get(ValueLayout.JAVA_INT, 24), uid = st.get(ValueLayout.JAVA_INT, 28), gid = st.get(ValueLayout.JAVA_INT, 32);
        long rdev = st.get(ValueLayout.JAVA_LONG, 40), size = st.get(ValueLayout.JAVA_LONG, 48);
        return new HostStat(dev, ino, nlink, mode, uid, gid, rdev, size, nanos(st, 72), nanos(st, 88), nanos(st, 104));
    }

    private static long nanos(MemorySegment st, long at) {
        return st.get(ValueLayout.JAVA_LONG, at) * 1_000_000_000L + st.get(ValueLayout.JAVA_LONG, at + 8);
    }

    /**
     * fchmodat2 on the object itself ({@code AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW}; Linux 6.6 and
     * later): a symlink answers EOPNOTSUPP, as chmod of a link does on Linux. Before 6.6 (ENOSYS)
     * see {@link #chmodThroughOwnDescriptor}.
     */
    public static void chmod(HostFd fd, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment empty = a.allocateFrom("");
            int d = fd.acquire();
            try {
                syscall("fchmodat2", SYS_FCHMODAT2, d, empty.address(), mode & 07777, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, 0);
                return;
            } catch (HostCallException e) {
                if (e.errno() != ENOSYS) throw e;
            } finally {
                fd.release();
            }
        }
        chmodThroughOwnDescriptor(fd, mode);
    }

    /**
     * chmod without fchmodat2: a symlink is EOPNOTSUPP (known from its own descriptor); anything
     * else is changed through {@code /proc/self/fd/N} of its own descriptor, a magic link that
     * lands on exactly that inode (not a symlink, so nothing further is followed).
     */
    static void chmodThroughOwnDescriptor(HostFd fd, int mode) {
        if (stat(fd).format() == HostStat.S_IFLNK) throw new HostCallException("chmod of a symlink", EOPNOTSUPP);
        try (Arena a = Arena.ofConfined()) {
            int d = fd.acquire();
            try {
                MemorySegment own = a.allocateFrom("/proc/self/fd/" + d);
                syscall("fchmodat", SYS_FCHMODAT, AT_FDCWD, own.address(), mode & 07777, 0, 0);
            } finally {
                fd.release();
            }
        }
    }

    /** utimensat on the object itself; a negative time leaves that time unchanged (UTIME_OMIT). */
    public static void setTimes(HostFd fd, long atimeNanos, long mtimeNanos) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment empty = a.allocateFrom("");
            MemorySegment times = a.allocate(32, 8);
            timespec(times, 0, atimeNanos);
            timespec(times, 16, mtimeNanos);
            int d = fd.acquire();
            try {
                syscall("utimensat", SYS_UTIMENSAT, d, empty.address(), times.address(), AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, 0);
            } finally {
                fd.release();
            }
        }
    }

    private static void timespec(MemorySegment times, long at, long nanos) {
        times.set(ValueLayout.JAVA_LONG, at, nanos < 0 ? 0 : nanos / 1_000_000_000L);
        times.set(ValueLayout.JAVA_LONG, at + 8, nanos < 0 ? UTIME_OMIT : nanos % 1_000_000_000L);
    }

    /** readlinkat(fd, "") of a symlink's own descriptor; EINVAL for anything else. */
    public static String readlink(HostFd fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment empty = a.allocateFrom("");
            MemorySegment buf = a.allocate(TARGET_MAX + 1);
            int d = fd.acquire();
            long n;
            try {
                n = syscall("readlinkat", SYS_READLINKAT, d, empty.address(), buf.address(), buf.byteSize(), 0);
            } finally {
                fd.release();
            }
            // A full buffer may be a cut-off target; Linux never stores one longer than TARGET_MAX.
            if (n < 0 || n > TARGET_MAX) throw new HostCallException("readlinkat: target of " + n + " bytes", ENAMETOOLONG);
            return new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        }
    }

    // --- the namespace, relative to a directory descriptor ---

    public static void mkdir(HostFd dir, String name, int mode) {
        nameCall("mkdirat", SYS_MKDIRAT, dir, name, mode & 07777);
    }

    public static void unlink(HostFd dir, String name) {
        nameCall("unlinkat", SYS_UNLINKAT, dir, name, 0);
    }

    public static void rmdir(HostFd dir, String name) {
        nameCall("unlinkat", SYS_UNLINKAT, dir, name, AT_REMOVEDIR);
    }

    private static void nameCall(String what, long nr, HostFd dir, String name, long arg) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = name(a, name);
            int d = dir.acquire();
            try {
                syscall(what, nr, d, n.address(), arg, 0, 0);
            } finally {
                dir.release();
            }
        }
    }

    /** symlinkat: the target is stored as given (checked for length and NUL only; the caller decides what it allows). */
    public static void symlink(HostFd dir, String name, String target) {
        try (Arena a = Arena.ofConfined()) {
            byte[] t = target.getBytes(StandardCharsets.UTF_8);
            if (t.length == 0 || hasNul(t)) throw new HostCallException("symlinkat: empty target or NUL", t.length == 0 ? ENOENT : EINVAL);
            if (t.length > TARGET_MAX) throw new HostCallException("symlinkat: target too long", ENAMETOOLONG);
            MemorySegment ts = cString(a, t);
            MemorySegment n = name(a, name);
            int d = dir.acquire();
            try {
                syscall("symlinkat", SYS_SYMLINKAT, ts.address(), d, n.address(), 0, 0);
            } finally {
                dir.release();
            }
        }
    }

    /**
     * linkat of the exact inode {@code existing} ({@code AT_EMPTY_PATH}) as {@code name} in
     * {@code dir}. Linux allows that only with CAP_DAC_READ_SEARCH; without it the answer is ENOENT.
     */
    public static void link(HostFd existing, HostFd dir, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment empty = a.allocateFrom("");
            MemorySegment n = name(a, name);
            int e = existing.acquire();
            try {
                int d = dir.acquire();
                try {
                    syscall("linkat", SYS_LINKAT, e, empty.address(), d, n.address(), AT_EMPTY_PATH);
                } finally {
                    dir.release();
                }
            } finally {
                existing.release();
            }
        }
    }

    /** linkat of the entry {@code fromName} of {@code fromDir} with flags 0 (a symlink is linked, never followed). */
    public static void linkEntry(HostFd fromDir, String fromName, HostFd dir, String name) {
        twoNames("linkat", SYS_LINKAT, fromDir, fromName, dir, name, 0);
    }

    /** renameat: moves {@code name} of {@code dir} to {@code dstName} of {@code dstDir}, replacing what is there. */
    public static void rename(HostFd dir, String name, HostFd dstDir, String dstName) {
        twoNames("renameat", SYS_RENAMEAT, dir, name, dstDir, dstName, 0);
    }

    private static void twoNames(String what, long nr, HostFd dir1, String name1, HostFd dir2, String name2, long flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n1 = name(a, name1), n2 = name(a, name2);
            int d1 = dir1.acquire();
            try {
                int d2 = dir2.acquire();
                try {
                    syscall6(what, nr, d1, n1.address(), d2, n2.address(), flags, 0);
                } finally {
                    dir2.release();
                }
            } finally {
                dir1.release();
            }
        }
    }

    /**
     * The names in the directory {@code dir} (without "." and ".."), read with getdents64 through
     * a descriptor opened on the directory itself ("." beneath it).
     */
    public static List<String> list(HostFd dir) {
        List<String> names = new ArrayList<>();
        try (HostFd open = openBeneath(dir, a0 -> a0.allocateFrom("."), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0); Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(DIRENT_BUFFER, 8);
            int d = open.acquire();
            try {
                for (long n; (n = syscall("getdents64", SYS_GETDENTS64, d, buf.address(), buf.byteSize(), 0, 0)) > 0; ) {
                    if (n > buf.byteSize()) throw new HostCallException("getdents64: " + n + " bytes", EIO);
                    decodeDirents(buf, n, names);
                }
            } finally {
                open.release();
            }
        }
        return names;
    }

    /** struct linux_dirent64 records: u64 ino, s64 off, u16 reclen, u8 type, the NUL-terminated name. */
    private static void decodeDirents(MemorySegment buf, long n, List<String> names) {
        for (long at = 0; at < n; ) {
            if (n - at < DIRENT_HEADER) throw new HostCallException("getdents64: cut record", EIO);
            int reclen = Short.toUnsignedInt(buf.get(ValueLayout.JAVA_SHORT_UNALIGNED, at + 16));
            if (reclen < DIRENT_HEADER + 1 || reclen > n - at) throw new HostCallException("getdents64: record of " + reclen, EIO);
            long nameAt = at + DIRENT_HEADER, end = nameAt;
            while (end < at + reclen && buf.get(ValueLayout.JAVA_BYTE, end) != 0) end++;
            if (end == at + reclen) throw new HostCallException("getdents64: unterminated name", EIO);
            String name = new String(buf.asSlice(nameAt, end - nameAt).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            if (!name.equals(".") && !name.equals("..")) names.add(name);
            at += reclen;
        }
    }

    // --- content of an open regular file ---

    public static int pread(HostFd fd, long pos, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (pos < 0) throw new HostCallException("pread64: negative offset", EINVAL);
        if (len == 0) return 0;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(len);
            int d = fd.acquire();
            long n;
            try {
                n = syscall("pread64", SYS_PREAD64, d, m.address(), len, pos, 0);
            } finally {
                fd.release();
            }
            if (n < 0 || n > len) throw new HostCallException("pread64: " + n + " bytes", EIO);
            MemorySegment.copy(m, ValueLayout.JAVA_BYTE, 0, buf, off, (int) n);
            return (int) n;
        }
    }

    /** Writes all {@code len} bytes at {@code pos} (pwrite64 until done). */
    public static void pwriteAll(HostFd fd, long pos, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (pos < 0) throw new HostCallException("pwrite64: negative offset", EINVAL);
        if (len == 0) return;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(len);
            MemorySegment.copy(buf, off, m, ValueLayout.JAVA_BYTE, 0, len);
            int d = fd.acquire();
            try {
                for (long done = 0; done < len; ) {
                    long n = syscall("pwrite64", SYS_PWRITE64, d, m.address() + done, len - done, pos + done, 0);
                    if (n <= 0 || n > len - done) throw new HostCallException("pwrite64: " + n + " bytes", EIO);
                    done += n;
                }
            } finally {
                fd.release();
            }
        }
    }

    public static void truncate(HostFd fd, long length) {
        if (length < 0) throw new HostCallException("ftruncate: negative length", EINVAL);
        int d = fd.acquire();
        try {
            syscall("ftruncate", SYS_FTRUNCATE, d, length, 0, 0, 0);
        } finally {
            fd.release();
        }
    }

    public static void sync(HostFd fd) {
        int d = fd.acquire();
        try {
            syscall("fsync", SYS_FSYNC, d, 0, 0, 0, 0);
        } finally {
            fd.release();
        }
    }

    // --- names ---

    /** One path component as a C string; anything else is EINVAL, more than NAME_MAX bytes ENAMETOOLONG. */
    private static MemorySegment name(Arena a, String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length == 0 || name.equals(".") || name.equals("..") || hasNul(b) || name.indexOf('/') >= 0) {
            throw new HostCallException("not a single name: " + name, EINVAL);
        }
        if (b.length > NAME_MAX) throw new HostCallException("name of " + b.length + " bytes", ENAMETOOLONG);
        return cString(a, b);
    }

    private static boolean hasNul(byte[] b) {
        for (byte x : b) if (x == 0) return true;
        return false;
    }

    private static MemorySegment cString(Arena a, byte[] b) {
        MemorySegment s = a.allocate(b.length + 1L);
        MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, 0, b.length);
        s.set(ValueLayout.JAVA_BYTE, b.length, (byte) 0);
        return s;
    }
}
