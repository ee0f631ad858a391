package dev.nojit.vkernel.syscall;

import dev.nojit.vkernel.fs.DirNotify;
import dev.nojit.vkernel.fs.FileType;
import dev.nojit.vkernel.fs.Node;
import dev.nojit.vkernel.fs.OpenFile;
import dev.nojit.vkernel.fs.OpenFlags;
import dev.nojit.vkernel.fs.Stat;
import dev.nojit.vkernel.fs.Vfs;
import dev.nojit.vkernel.fs.WallClock;
import dev.nojit.vkernel.memory.GuestMemory;
import dev.nojit.vkernel.process.Process;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Paths and directories: stat, lstat, fstat, newfstatat, statx, access, faccessat,
 * faccessat2, mkdir, mkdirat, rmdir, unlink, unlinkat, rename, renameat, renameat2, link,
 * linkat, symlink, symlinkat, readlink, readlinkat, chmod, fchmod, fchmodat, chown, fchown,
 * lchown, fchownat, utimensat, utimes, futimesat, chdir, fchdir, getcwd, umask, getdents64,
 * statfs, fstatfs, chroot. The container runs as root: permission bits are kept and reported
 * but only read-only storage and the exec bit refuse anything.
 */
public final class PathSyscalls {
    private PathSyscalls() {}

    static void register(SyscallTable t) {
        t.add("stat", (p, a) -> stat(p, OpenFlags.AT_FDCWD, a[0], a[1], 0));
        t.add("lstat", (p, a) -> stat(p, OpenFlags.AT_FDCWD, a[0], a[1], OpenFlags.AT_SYMLINK_NOFOLLOW));
        t.add("fstat", (p, a) -> {
            OpenFile f = p.fdTable().get((int) a[0]);
            statOf(f).writeStat(p.memory(), GuestMemory.ptr(a[1]));
            return 0;
        });
        t.add("newfstatat", (p, a) -> stat(p, (int) a[0], a[1], a[2], (int) a[3]));
        t.add("fstatat", (p, a) -> stat(p, (int) a[0], a[1], a[2], (int) a[3])); // WALI's name for newfstatat
        t.add("statx", (p, a) -> {
            Stat s = statAt(p, (int) a[0], a[1], (int) a[2]);
            s.writeStatx(p.memory(), GuestMemory.ptr(a[4]));
            return 0;
        });
        t.add("access", (p, a) -> access(p, OpenFlags.AT_FDCWD, a[0], (int) a[1], 0));
        t.add("faccessat", (p, a) -> access(p, (int) a[0], a[1], (int) a[2], 0));
        t.add("faccessat2", (p, a) -> access(p, (int) a[0], a[1], (int) a[2], (int) a[3]));
        t.add("mkdir", (p, a) -> mkdir(p, OpenFlags.AT_FDCWD, a[0], (int) a[1]));
        t.add("mkdirat", (p, a) -> mkdir(p, (int) a[0], a[1], (int) a[2]));
        t.add("rmdir", (p, a) -> unlink(p, OpenFlags.AT_FDCWD, a[0], OpenFlags.AT_REMOVEDIR));
        t.add("unlink", (p, a) -> unlink(p, OpenFlags.AT_FDCWD, a[0], 0));
        t.add("unlinkat", (p, a) -> unlink(p, (int) a[0], a[1], (int) a[2]));
        t.add("rename", (p, a) -> rename(p, OpenFlags.AT_FDCWD, a[0], OpenFlags.AT_FDCWD, a[1], 0));
        t.add("renameat", (p, a) -> rename(p, (int) a[0], a[1], (int) a[2], a[3], 0));
        t.add("renameat2", (p, a) -> rename(p, (int) a[0], a[1], (int) a[2], a[3], (int) a[4]));
        t.add("link", (p, a) -> link(p, OpenFlags.AT_FDCWD, a[0], OpenFlags.AT_FDCWD, a[1], 0));
        t.add("linkat", (p, a) -> link(p, (int) a[0], a[1], (int) a[2], a[3], (int) a[4]));
        t.add("symlink", (p, a) -> symlink(p, a[0], OpenFlags.AT_FDCWD, a[1]));
        t.add("symlinkat", (p, a) -> symlink(p, a[0], (int) a[1], a[2]));
        t.add("readlink", (p, a) -> readlink(p, OpenFlags.AT_FDCWD, a[0], a[1], a[2]));
        t.add("readlinkat", (p, a) -> readlink(p, (int) a[0], a[1], a[2], a[3]));
        t.add("chmod", (p, a) -> chmod(p, OpenFlags.AT_FDCWD, a[0], (int) a[1], 0));
        t.add("fchmodat", (p, a) -> chmod(p, (int) a[0], a[1], (int) a[2], 0));
        t.add("fchmod", (p, a) -> {
            OpenFile f = p.fdTable().get((int) a[0]);
            Node n = nodeOf(f);
            if (n.readOnly()) throw new SyscallError(Errno.EROFS);
            n.chmod((int) a[1] & 07777);
            p.kernel().vfs().dirNotify().changed(f.openedIn(), n, DirNotify.DN_ATTRIB);
            return 0;
        });
        t.add("chown", (p, a) -> chown(p, OpenFlags.AT_FDCWD, a[0], (int) a[1], (int) a[2], 0));
        t.add("lchown", (p, a) -> chown(p, OpenFlags.AT_FDCWD, a[0], (int) a[1], (int) a[2], OpenFlags.AT_SYMLINK_NOFOLLOW));
        t.add("fchownat", (p, a) -> chown(p, (int) a[0], a[1], (int) a[2], (int) a[3], (int) a[4]));
        t.add("fchown", (p, a) -> {
            OpenFile f = p.fdTable().get((int) a[0]);
            Node n = nodeOf(f);
            if (n.readOnly()) throw new SyscallError(Errno.EROFS);
            n.chown((int) a[1], (int) a[2]);
            ownerChanged(p, f.openedIn(), n, (int) a[1], (int) a[2]);
            return 0;
        });
        t.add("utimensat", (p, a) -> utimensat(p, (int) a[0], a[1], GuestMemory.ptr(a[2]), (int) a[3]));
        t.add("utimes", (p, a) -> utimes(p, OpenFlags.AT_FDCWD, a[0], GuestMemory.ptr(a[1])));
        t.add("futimesat", (p, a) -> utimes(p, (int) a[0], a[1], GuestMemory.ptr(a[2])));
        t.add("chdir", (p, a) -> {
            String path = Paths.read(p, a[0]);
            Vfs vfs = p.kernel().vfs();
            synchronized (vfs.lock()) {
                Vfs.Resolved r = vfs.resolve(p.cwd(), path, true);
                if (r.existing().type() != FileType.DIRECTORY) throw new SyscallError(Errno.ENOTDIR);
                p.setCwd(r.path());
            }
            return 0;
        });
        t.add("fchdir", (p, a) -> {
            OpenFile f = p.fdTable().get((int) a[0]);
            if (f.node() == null || f.node().type() != FileType.DIRECTORY) throw new SyscallError(Errno.ENOTDIR);
            p.setCwd(f.path());
            return 0;
        });
        t.add("getcwd", (p, a) -> {
            byte[] cwd = p.cwd().getBytes(StandardCharsets.UTF_8);
            p.memory().writeCString(GuestMemory.ptr(a[0]), GuestMemory.ptr(a[1]), cwd);
            return cwd.length + 1;
        });
        t.add("umask", (p, a) -> {
            int old = p.umask();
            p.setUmask((int) a[0]);
            return old;
        });
        t.add("getdents64", (p, a) -> getdents64(p, (int) a[0], GuestMemory.ptr(a[1]), GuestMemory.ptr(a[2])));
        t.add("statfs", (p, a) -> {
            String path = Paths.read(p, a[0]);
            Vfs vfs = p.kernel().vfs();
            synchronized (vfs.lock()) {
                vfs.resolve(p.cwd(), path, true).existing();
            }
            writeStatfs(p, GuestMemory.ptr(a[1]));
            return 0;
        });
        t.add("fstatfs", (p, a) -> {
            p.fdTable().get((int) a[0]);
            writeStatfs(p, GuestMemory.ptr(a[1]));
            return 0;
        });
        t.add("chroot", (p, a) -> {
            throw new SyscallError(Errno.EPERM);
        });
    }

    static Node nodeOf(OpenFile f) {
        if (f.node() == null) throw new SyscallError(Errno.EINVAL);
        return f.node();
    }

    /** fstat of a pipe or host stream reports a FIFO. */
    public static Stat statOf(OpenFile f) {
        if (f.node() != null) return f.node().stat();
        return new Stat(2, System.identityHashCode(f), 1, FileType.FIFO.modeBits | 0600, 0, 0, 0, 0, 0, 0, 0);
    }

    private static Stat statAt(Process p, int dirfd, long pathPtr, int flags) {
        return statAt(p, dirfd, Paths.read(p, pathPtr), flags);
    }

    /** fstatat(2) with the path already read. */
    public static Stat statAt(Process p, int dirfd, String path, int flags) {
        boolean follow = (flags & OpenFlags.AT_SYMLINK_NOFOLLOW) == 0;
        Vfs vfs = p.kernel().vfs();
        synchronized (vfs.lock()) {
            if (path.isEmpty() && (flags & OpenFlags.AT_EMPTY_PATH) != 0 && dirfd != OpenFlags.AT_FDCWD) {
                return statOf(p.fdTable().get(dirfd));
            }
            return Paths.resolveAtOrFd(p, dirfd, path, follow, flags).existing().stat();
        }
    }

    private static long stat(Process p, int dirfd, long pathPtr, long buf, int flags) {
        Stat s = statAt(p, dirfd, pathPtr, flags);
        s.writeStat(p.memory(), GuestMemory.ptr(buf));
        return 0;
    }

    static final int X_OK = 1, W_OK = 2;

    private static long access(Process p, int dirfd, long pathPtr, int mode, int flags) {
        if ((mode & ~7) != 0) throw new SyscallError(Errno.EINVAL);
        String path = Paths.read(p, pathPtr);
        Vfs vfs = p.kernel().vfs();
        synchronized (vfs.lock()) {
            Node n = Paths.resolveAt(p, dirfd, path, (flags & OpenFlags.AT_SYMLINK_NOFOLLOW) == 0).existing();
            if ((mode & W_OK) != 0 && n.readOnly()) throw new SyscallError(Errno.EROFS);
            if ((mode & X_OK) != 0 && n.type() != FileType.DIRECTORY && (n.stat().mode() & 0111) == 0) throw new SyscallError(Errno.EACCES);
        }
        return 0;
    }

    private static long mkdir(Process p, int dirfd, long pathPtr, int mode) {
        return mkdirAt(p, dirfd, Paths.read(p, pathPtr), mode);
    }

    public static long mkdirAt(Process p, int dirfd, String path, int mode) {
        Vfs vfs = p.kernel().vfs();
        synchronized (vfs.lock()) {
            Vfs.Resolved r = Paths.resolveAt(p, dirfd, path, false);
            if (r.node() != null) throw new SyscallError(Errno.EEXIST);
            if (r.parent().readOnly()) throw new SyscallError(Errno.EROFS);
            r.parent().mkdir(r.name(), mode & ~p.umask() & 07777);
            vfs.dirNotify().event(r.parent(), DirNotify.DN_CREATE);
        }
        return 0;
    }

    private static long unlink(Process p, int dirfd, long pathPtr, int flags) {
        if ((flags & ~OpenFlags.AT_REMOVEDIR) != 0) throw new SyscallError(Errno.EINVAL);
        return unlinkAt(p, dirfd, Paths.read(p, pathPtr), flags);
    }

    public static long unlinkAt(Process p, int dirfd, String path, int flags) {
        Vfs vfs = p.kernel().vfs();
        synchronized (vfs.lock()) {
            Vfs.Resolved r = Paths.resolveAt(p, dirfd, path, false);
            r.existing();
            if (r.parent() == null || r.path().equals("/")) throw new SyscallError(Errno.EBUSY);
            if (r.name().equals(".")) throw new SyscallError(Errno.EINVAL);
            if (r.parent().readOnly()) throw new SyscallError(Errno.EROFS);
            if ((flags & OpenFlags.AT_REMOVEDIR) != 0) r.parent().rmdir(r.name());
            else r.parent().unlink(r.name());
            vfs.dirNotify().event(r.parent(), DirNotify.DN_DELETE);
        }
        return 0;
    }

    static final int RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2;

    private static long rename(Process p, int oldDir, long oldPtr, int newDir, long newPtr, int flags) {
        if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE)) != 0 || flags == (RENAME_NOREPLACE | RENAME_EXCHANGE)) {
            throw new SyscallError(Errno.EINVAL);
        }
        return renameAt(p, oldDir, Paths.read(p, oldPtr), newDir, Paths.read(p, newPtr), flags);
    }

    public static long renameAt(Process p, int oldDir, String from, int newDir, String to, int flags) {
        Vfs vfs = p.kernel().vfs();
        synchronized (vfs.lock()) {
            Vfs.Resolved src = Paths.resolveAt(p, oldDir, from, false);
            src.existing();
            Vfs.Resolved dst = Paths.resolveAt(p, newDir, to, false);
            if (src.parent() == null || dst.parent() == null) throw new SyscallError(Errno.EBUSY);
            if (dst.node() != null && (flags & RENAME_NOREPLACE) != 0) throw new SyscallError(Errno.EEXIST);
            if (src.parent().readOnly() || dst.parent().readOnly()) throw new SyscallError(Errno.EROFS);
            if ((dst.path() + "/").startsWith(src.path() + "/") && !dst.path().equals(src.path())) throw new SyscallError(Errno.EINVAL);
            if ((flags & RENAME_EXCHANGE) != 0) {
                exchange(src, dst);
                if (src.path().equals(dst.path())) return 0;
                moved(vfs, src.parent(), dst.parent(), null);
                moved(vfs, dst.parent(), src.parent(), null);
                return 0;
            }
            src.parent().rename(src.name(), dst.parent(), dst.name());
            if (src.node() != dst.node()) moved(vfs, src.parent(), dst.parent(), dst.node());
        }
        return 0;
    }

    /**
     * dnotify's view of an entry moved from directory {@code from} to {@code to}, replacing
     * {@code replaced} (or nothing): a move within one directory is DN_RENAME there; the source
     * directory loses an entry (DN_DELETE) and the target gains one (DN_CREATE), as Linux reports
     * MOVED_FROM and MOVED_TO; a replaced directory's own watches hear DN_ATTRIB (its link count).
     */
    private static void moved(Vfs vfs, Node from, Node to, Node replaced) {
        DirNotify n = vfs.dirNotify();
        if (from == to) n.event(from, DirNotify.DN_RENAME);
        n.event(from, DirNotify.DN_DELETE);
        n.event(to, DirNotify.DN_CREATE);
        if (replaced != null && replaced.type() == FileType.DIRECTORY) n.event(replaced, DirNotify.DN_ATTRIB);
    }

    /**
     * RENAME_EXCHANGE: both must exist; swapped through a temporary name in the source
     * directory, under the VFS lock (no other guest sees the middle state).
     */
    private static void exchange(Vfs.Resolved src, Vfs.Resolved dst) {
        dst.existing();
        if ((src.path() + "/").startsWith(dst.path() + "/") && !src.path().equals(dst.path())) throw new SyscallError(Errno.EINVAL);
        if (src.path().equals(dst.path())) return;
        String tmp = ".nojit-exchange-" + Long.toHexString(System.nanoTime());
        src.parent().rename(src.name(), src.parent(), tmp);
        try {
            dst.parent().rename(dst.name(), src.parent(), src.name());
        } catch (SyscallError e) {
            src.parent().rename(tmp, src.parent(), src.name());
            throw e;
        }
        src.parent().rename(tmp, dst.parent(), dst.name());
    }

    private static long link(Process p, int oldDir, long oldPtr, int newDir, long newPtr, int flags) {
        return linkAt(p, oldDir, Paths.read(p, oldPtr), newDir, Paths.read(p, newPtr), flags);
    }

    public static long linkAt(Process p, int oldDir, String from, int newDir, String to, int flags) {
        Vfs vfs = p.kernel().vfs();
        synchronized (vfs.lock()) {
            // A pipe has no name to link (Linux: ENOENT for a file that was never linked).
            Node src = Paths.existingAtOrFd(p, oldDir, from, (flags & OpenFlags.AT_SYMLINK_FOLLOW) != 0, flags, Errno.ENOENT);
            if (src.type() == FileType.DIRECTORY) throw new SyscallError(Errno.EPERM);
            Vfs.Resolved dst = Paths.resolveAt(p, newDir, to, false);
            if (dst.node() != null) throw new SyscallError(Errno.EEXIST);
            if (dst.parent().readOnly()) throw new SyscallError(Errno.EROFS);
            dst.parent().link(dst.name(), src);
            vfs.dirNotify().event(dst.parent(), DirNotify.DN_CREATE);
        }
        return 0;
    }

    private static long symlink(Process p, long targetPtr, int newDir, long linkPtr) {
        return symlinkAt(p, Paths.read(p, targetPtr), newDir, Paths.read(p, linkPtr));
    }

    public static long symlinkAt(Process p, String target, int newDir, String path) {
        if (target.isEmpty()) throw new SyscallError(Errno.ENOENT);
        Vfs vfs = p.kernel().vfs();
        synchronized (vfs.lock()) {
            Vfs.Resolved r = Paths.resolveAt(p, newDir, path, false);
            if (r.node() != null) throw new SyscallError(Errno.EEXIST);
            if (r.parent().readOnly()) throw new SyscallError(Errno.EROFS);
            r.parent().symlink(r.name(), target);
            vfs.dirNotify().event(r.parent(), DirNotify.DN_CREATE);
        }
        return 0;
    }

    private static long readlink(Process p, int dirfd, long pathPtr, long buf, long size) {
        String path = Paths.read(p, pathPtr);
        if ((int) size <= 0) throw new SyscallError(Errno.EINVAL);
        byte[] b = readlinkAt(p, dirfd, path).getBytes(StandardCharsets.UTF_8);
        int n = (int) Math.min(b.length, GuestMemory.ptr(size));
        p.memory().write(GuestMemory.ptr(buf), b, 0, n);
        return n;
    }

    public static String readlinkAt(Process p, int dirfd, String path) {
        Vfs vfs = p.kernel().vfs();
        synchronized (vfs.lock()) {
            Node n = Paths.resolveAt(p, dirfd, path, false).existing();
            if (n.type() != FileType.SYMLINK) throw new SyscallError(Errno.EINVAL);
            return n.readlink();
        }
    }

    private static long chmod(Process p, int dirfd, long pathPtr, int mode, int flags) {
        String path = Paths.read(p, pathPtr);
        Vfs vfs = p.kernel().vfs();
        synchronized (vfs.lock()) {
            Vfs.Resolved r = Paths.resolveAt(p, dirfd, path, true);
            Node n = r.existing();
            if (n.readOnly()) throw new SyscallError(Errno.EROFS);
            n.chmod(mode & 07777);
            vfs.dirNotify().changed(r.parent(), n, DirNotify.DN_ATTRIB);
        }
        return 0;
    }

    private static long chown(Process p, int dirfd, long pathPtr, int uid, int gid, int flags) {
        String path = Paths.read(p, pathPtr);
        Vfs vfs = p.kernel().vfs();
        synchronized (vfs.lock()) {
            // A pipe: as fchown answers for one (nodeOf).
            Vfs.Resolved r = Paths.resolvedAtOrFd(p, dirfd, path, (flags & OpenFlags.AT_SYMLINK_NOFOLLOW) == 0, flags, Errno.EINVAL);
            Node n = r.node();
            if (n.readOnly()) throw new SyscallError(Errno.EROFS);
            n.chown(uid, gid);
            ownerChanged(p, r.parent(), n, uid, gid);
        }
        return 0;
    }

    /** chown(2) with -1 for both ids changes nothing Linux reports; otherwise an attribute changed. */
    private static void ownerChanged(Process p, Node parent, Node n, int uid, int gid) {
        if (uid != -1 || gid != -1) p.kernel().vfs().dirNotify().changed(parent, n, DirNotify.DN_ATTRIB);
    }

    static final long UTIME_NOW = (1L << 30) - 1, UTIME_OMIT = (1L << 30) - 2;

    private static long utimensat(Process p, int dirfd, long pathPtr, long times, int flags) {
        long now = WallClock.nanos();
        long at = now, mt = now;
        GuestMemory m = p.memory();
        if (times != 0) {
            at = timespec(m, times, now);
            mt = timespec(m, times + 16, now);
        }
        String path = GuestMemory.ptr(pathPtr) == 0 ? null : Paths.read(p, pathPtr);
        setTimesAt(p, dirfd, path, flags, at, mt);
        return 0;
    }

    /**
     * Sets times (nanoseconds; -1 leaves one unchanged) on a path relative to dirfd, or on dirfd
     * itself when path is null; {@code flags} are the *at flags (AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH).
     */
    public static void setTimesAt(Process p, int dirfd, String path, int flags, long at, long mt) {
        Vfs vfs = p.kernel().vfs();
        synchronized (vfs.lock()) {
            Node n, parent;
            if (path == null) {
                OpenFile f = p.fdTable().get(dirfd);
                n = nodeOf(f);
                parent = f.openedIn();
            } else {
                Vfs.Resolved r = Paths.resolvedAtOrFd(p, dirfd, path, (flags & OpenFlags.AT_SYMLINK_NOFOLLOW) == 0, flags, Errno.EINVAL);
                n = r.node();
                parent = r.parent();
            }
            if (n.readOnly()) throw new SyscallError(Errno.EROFS);
            n.setTimes(at, mt);
            // Linux: both times is an attribute change; the access time alone an access, the modification time alone a modification.
            int event = at >= 0 && mt >= 0 ? DirNotify.DN_ATTRIB : at >= 0 ? DirNotify.DN_ACCESS : mt >= 0 ? DirNotify.DN_MODIFY : 0;
            if (event != 0) vfs.dirNotify().changed(parent, n, event);
        }
    }

    private static long timespec(GuestMemory m, long addr, long now) {
        long sec = m.readLong(addr), nsec = TimeSyscalls.timespecNanos(m, addr);
        if (nsec == UTIME_NOW) return now;
        if (nsec == UTIME_OMIT) return -1;
        if (nsec < 0 || nsec >= 1_000_000_000L) throw new SyscallError(Errno.EINVAL);
        return sec * 1_000_000_000L + nsec;
    }

    private static long utimes(Process p, int dirfd, long pathPtr, long times) {
        long now = WallClock.nanos();
        long at = now, mt = now;
        GuestMemory m = p.memory();
        if (times != 0) {
            at = m.readLong(times) * 1_000_000_000L + m.readLong(times + 8) * 1000;
            mt = m.readLong(times + 16) * 1_000_000_000L + m.readLong(times + 24) * 1000;
        }
        setTimesAt(p, dirfd, Paths.read(p, pathPtr), 0, at, mt);
        return 0;
    }

    /** struct linux_dirent64: ino u64, off i64, reclen u16, type u8, name NUL, padded to 8. */
    private static long getdents64(Process p, int fd, long buf, long size) {
        OpenFile f = p.fdTable().get(fd);
        if (f.node() == null || f.node().type() != FileType.DIRECTORY) throw new SyscallError(Errno.ENOTDIR);
        GuestMemory m = p.memory();
        m.check(buf, Math.min(size, 1 << 20));
        List<String> names;
        Vfs vfs = p.kernel().vfs();
        synchronized (vfs.lock()) {
            names = f.dirEntries();
        }
        vfs.dirNotify().changed(f.openedIn(), f.node(), DirNotify.DN_ACCESS); // Linux: every getdents, even at the end
        long pos = 0;
        int index = (int) f.offset();
        while (index < names.size()) {
            String name = names.get(index);
            byte[] nb = name.getBytes(StandardCharsets.UTF_8);
            int reclen = (19 + nb.length + 1 + 7) & ~7;
            if (pos + reclen > size) {
                if (pos == 0) throw new SyscallError(Errno.EINVAL);
                break;
            }
            long ino;
            int type;
            synchronized (vfs.lock()) {
                Node n = name.equals(".") || name.equals("..") ? f.node() : lookupQuietly(f.node(), name);
                ino = n == null ? 1 : n.stat().ino();
                type = n == null ? 0 : n.type().direntType;
            }
            long e = buf + pos;
            m.fill(e, reclen, (byte) 0);
            m.writeLong(e, ino);
            m.writeLong(e + 8, index + 1);
            m.writeShort(e + 16, reclen);
            m.writeByte(e + 18, type);
            m.write(e + 19, nb);
            pos += reclen;
            index++;
        }
        f.setOffset(index);
        return pos;
    }

    private static Node lookupQuietly(Node dir, String name) {
        try {
            return dir.lookup(name);
        } catch (SyscallError e) {
            return null;
        }
    }

    /** struct statfs (x86-64, 120 bytes): a memory file system with room to spare. */
    private static void writeStatfs(Process p, long buf) {
        GuestMemory m = p.memory();
        m.check(buf, 120);
        m.fill(buf, 120, (byte) 0);
        long quota = p.kernel().vfs().quota().limit(), used = p.kernel().vfs().quota().used();
        m.writeLong(buf, 0x01021994L); // TMPFS_MAGIC
        m.writeLong(buf + 8, 4096);
        m.writeLong(buf + 16, quota / 4096);
        m.writeLong(buf + 24, (quota - used) / 4096);
        m.writeLong(buf + 32, (quota - used) / 4096);
        m.writeLong(buf + 40, 1 << 20);
        m.writeLong(buf + 48, 1 << 20);
        m.writeLong(buf + 64, 255);
        m.writeLong(buf + 72, 4096);
    }
}
