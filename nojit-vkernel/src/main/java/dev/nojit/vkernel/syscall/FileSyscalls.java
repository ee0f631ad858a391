package dev.nojit.vkernel.syscall;

import dev.nojit.vkernel.fs.DirNotify;
import dev.nojit.vkernel.fs.FileHandle;
import dev.nojit.vkernel.fs.FileType;
import dev.nojit.vkernel.fs.Node;
import dev.nojit.vkernel.fs.OpenFile;
import dev.nojit.vkernel.fs.OpenFlags;
import dev.nojit.vkernel.fs.Pipe;
import dev.nojit.vkernel.fs.Vfs;
import dev.nojit.vkernel.memory.GuestMemory;
import dev.nojit.vkernel.policy.Violation;
import dev.nojit.vkernel.process.Process;
import dev.nojit.vkernel.process.Signals;

/**
 * Descriptors and their content: open, openat, creat, close, read, write, readv, writev,
 * pread64, pwrite64, preadv, pwritev, lseek, dup, dup2, dup3, fcntl (its lock commands in
 * {@link LockSyscalls}), ioctl, pipe, pipe2, ftruncate, truncate, fsync, fdatasync, fadvise64,
 * sendfile, socketpair (AF_UNIX stream pairs, for local IPC; other sockets are not implemented).
 */
public final class FileSyscalls {
    private FileSyscalls() {}

    /** Largest single read or write: bounds the host buffer a guest can make us allocate. */
    static final int MAX_IO = 1 << 20;
    static final int MAX_IOV = 1024;

    static void register(SyscallTable t) {
        t.add("open", (p, a) -> open(p, OpenFlags.AT_FDCWD, a[0], (int) a[1], (int) a[2]));
        t.add("openat", (p, a) -> open(p, (int) a[0], a[1], (int) a[2], (int) a[3]));
        t.add("creat", (p, a) -> open(p, OpenFlags.AT_FDCWD, a[0], OpenFlags.O_CREAT | OpenFlags.O_WRONLY | OpenFlags.O_TRUNC, (int) a[1]));
        t.add("close", (p, a) -> {
            p.fdTable().close((int) a[0]);
            return 0;
        });
        t.add("read", (p, a) -> read(p, (int) a[0], GuestMemory.ptr(a[1]), GuestMemory.ptr(a[2])));
        t.add("write", (p, a) -> write(p, (int) a[0], GuestMemory.ptr(a[1]), GuestMemory.ptr(a[2])));
        t.add("readv", (p, a) -> readv(p, (int) a[0], GuestMemory.ptr(a[1]), (int) a[2], -1));
        t.add("writev", (p, a) -> writev(p, (int) a[0], GuestMemory.ptr(a[1]), (int) a[2], -1));
        t.add("preadv", (p, a) -> readv(p, (int) a[0], GuestMemory.ptr(a[1]), (int) a[2], nonNegative(a[3])));
        t.add("pwritev", (p, a) -> writev(p, (int) a[0], GuestMemory.ptr(a[1]), (int) a[2], nonNegative(a[3])));
        t.add("pread64", (p, a) -> pread(p, (int) a[0], GuestMemory.ptr(a[1]), GuestMemory.ptr(a[2]), a[3]));
        t.add("pwrite64", (p, a) -> pwrite(p, (int) a[0], GuestMemory.ptr(a[1]), GuestMemory.ptr(a[2]), a[3]));
        t.add("lseek", (p, a) -> p.fdTable().get((int) a[0]).seek(a[1], (int) a[2]));
        t.add("dup", (p, a) -> p.fdTable().dup((int) a[0], 0, false));
        t.add("memfd_create", (p, a) -> memfdCreate(p, a[0], (int) a[1]));
        t.add("dup2", (p, a) -> {
            int oldFd = (int) a[0], newFd = (int) a[1];
            if (oldFd == newFd) {
                p.fdTable().get(oldFd);
                return newFd;
            }
            return p.fdTable().dupTo(oldFd, newFd, false);
        });
        t.add("dup3", (p, a) -> {
            int oldFd = (int) a[0], newFd = (int) a[1], flags = (int) a[2];
            if (oldFd == newFd || (flags & ~OpenFlags.O_CLOEXEC) != 0) throw new SyscallError(Errno.EINVAL);
            return p.fdTable().dupTo(oldFd, newFd, (flags & OpenFlags.O_CLOEXEC) != 0);
        });
        t.add("fcntl", (p, a) -> fcntl(p, (int) a[0], (int) a[1], a[2]));
        t.add("ioctl", (p, a) -> ioctl(p, (int) a[0], (int) a[1], GuestMemory.ptr(a[2])));
        t.add("pipe", (p, a) -> pipe(p, GuestMemory.ptr(a[0]), 0));
        t.add("pipe2", (p, a) -> pipe(p, GuestMemory.ptr(a[0]), (int) a[1]));
        t.add("ftruncate", (p, a) -> {
            OpenFile f = p.fdTable().get((int) a[0]);
            if (!f.writable()) throw new SyscallError(Errno.EINVAL);
            if (a[1] < 0) throw new SyscallError(Errno.EINVAL);
            f.handle().truncate(a[1]);
            DirNotifySyscalls.truncated(p, f);
            return 0;
        });
        t.add("truncate", (p, a) -> {
            String path = Paths.read(p, a[0]);
            if (a[1] < 0) throw new SyscallError(Errno.EINVAL);
            Vfs vfs = p.kernel().vfs();
            Node n, dir;
            synchronized (vfs.lock()) {
                Vfs.Resolved r = vfs.resolve(p.cwd(), path, true);
                n = r.existing();
                dir = r.parent();
            }
            if (n.type() == FileType.DIRECTORY) throw new SyscallError(Errno.EISDIR);
            FileHandle h = n.open(OpenFlags.O_WRONLY);
            try {
                h.truncate(a[1]);
            } finally {
                h.close();
            }
            vfs.dirNotify().changed(dir, n, DirNotify.DN_MODIFY);
            return 0;
        });
        t.add("fsync", (p, a) -> sync(p, (int) a[0]));
        t.add("fdatasync", (p, a) -> sync(p, (int) a[0]));
        t.add("syncfs", (p, a) -> sync(p, (int) a[0]));
        t.add("sync", (p, a) -> 0);
        t.add("fadvise64", (p, a) -> fadvise(p, (int) a[0], a[2], (int) a[3]));
        t.add("fadvise", (p, a) -> fadvise(p, (int) a[0], a[2], (int) a[3]));
        t.add("fallocate", (p, a) -> {
            OpenFile f = p.fdTable().get((int) a[0]);
            if (!f.writable()) throw new SyscallError(Errno.EBADF);
            long end = a[2] + a[3];
            if (a[2] < 0 || a[3] <= 0) throw new SyscallError(Errno.EINVAL);
            if (end > f.handle().size()) f.handle().truncate(end);
            DirNotifySyscalls.truncated(p, f);
            return 0;
        });
        t.add("socketpair", (p, a) -> socketpair(p, (int) a[0], (int) a[1], (int) a[2], GuestMemory.ptr(a[3])));
        t.add("sendfile", (p, a) -> sendfile(p, (int) a[0], (int) a[1], GuestMemory.ptr(a[2]), GuestMemory.ptr(a[3])));
    }

    /** posix_fadvise: advice 0..5 on a file; nothing to do with it. */
    private static long fadvise(Process p, int fd, long len, int advice) {
        OpenFile f = p.fdTable().get(fd);
        if (f.handle() != null && !f.handle().seekable()) throw new SyscallError(Errno.ESPIPE);
        if (advice < 0 || advice > 5 || len < 0) throw new SyscallError(Errno.EINVAL);
        return 0;
    }

    private static long nonNegative(long v) {
        if (v < 0) throw new SyscallError(Errno.EINVAL);
        return v;
    }

    static long open(Process p, int dirfd, long pathPtr, int flags, int mode) {
        return openAt(p, dirfd, Paths.read(p, pathPtr), flags, mode);
    }

    /**
     * A script the exec gate checked for the caller's program (its {@code #!} script, or a script
     * operand under {@code scripts: manifest-only}) reads as exactly the listed content the gate
     * saw, so replacing the file after the check cannot change what the interpreter reads.
     */
    private static FileHandle pinnedScript(Process p, String path) {
        var program = p.program();
        if (program == null) return null;
        for (var pin : program.pins()) {
            if (pin.path().equals(path)) return Vfs.readOnlyBytes(p.kernel().image().blob(pin.sha256()));
        }
        return null;
    }

    static final int MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2, MFD_HUGETLB = 4, MFD_NOEXEC_SEAL = 8, MFD_EXEC = 0x10;

    /**
     * memfd_create: an anonymous memory file (writable-layer quota). It is never a way around the
     * gate: MFD_EXEC is a violation, and executing one (execveat AT_EMPTY_PATH, /proc/self/fd/N)
     * goes through the hash gate like any file.
     */
    static long memfdCreate(Process p, long namePtr, int flags) {
        if ((flags & MFD_EXEC) != 0) {
            if (p.kernel().checks().on(dev.nojit.vkernel.policy.PolicyCheck.MEMFD_EXEC)) {
                throw Violation.memoryExec("memfd_create asked for MFD_EXEC (an executable memfd)");
            }
            flags &= ~MFD_EXEC; // a mutation test without this check: granted, as Linux would
        }
        if ((flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_NOEXEC_SEAL)) != 0) throw new SyscallError(Errno.EINVAL);
        String name = p.memory().readCString(GuestMemory.ptr(namePtr), 249);
        Node node;
        try {
            node = p.kernel().vfs().anonymousFile((flags & MFD_NOEXEC_SEAL) != 0 ? 0666 : 0777);
        } catch (SyscallError full) {
            // memfd_create(2): "ENOMEM There was insufficient memory to create a new anonymous file."
            throw new SyscallError(Errno.ENOMEM);
        }
        OpenFile file = new OpenFile(node, node.open(OpenFlags.O_RDWR), "/memfd:" + name + " (deleted)", OpenFlags.O_RDWR);
        return p.fdTable().add(file, (flags & MFD_CLOEXEC) != 0);
    }

    /** openat(2) with the path already read: returns the new descriptor. */
    public static int openAt(Process p, int dirfd, String path, int flags, int mode) {
        Vfs vfs = p.kernel().vfs();
        OpenFile file;
        synchronized (vfs.lock()) {
            boolean create = (flags & OpenFlags.O_CREAT) != 0;
            boolean exclusive = create && (flags & OpenFlags.O_EXCL) != 0;
            // open(2): "When these two flags are specified, symbolic links are not followed: if pathname
            // is a symbolic link, then open() fails regardless of where the symbolic link points."
            boolean follow = (flags & OpenFlags.O_NOFOLLOW) == 0 && !exclusive;
            Vfs.Resolved r = Paths.resolveAt(p, dirfd, path, follow);
            Node node = r.node();
            boolean created = node == null;
            if ((flags & OpenFlags.O_TMPFILE) == OpenFlags.O_TMPFILE) throw new SyscallError(Errno.EOPNOTSUPP);
            if (node == null) {
                if (!create) throw new SyscallError(Errno.ENOENT);
                if (r.parent() == null) throw new SyscallError(Errno.ENOENT);
                if (r.parent().readOnly()) throw new SyscallError(Errno.EROFS);
                if (path.endsWith("/")) throw new SyscallError(Errno.EISDIR);
                node = r.parent().createFile(r.name(), mode & ~p.umask() & 07777);
                vfs.dirNotify().event(r.parent(), DirNotify.DN_CREATE);
            } else {
                if (exclusive) throw new SyscallError(Errno.EEXIST);
                if (node.type() == FileType.SYMLINK) throw new SyscallError(Errno.ELOOP);
            }
            int acc = flags & OpenFlags.O_ACCMODE;
            boolean writing = acc == OpenFlags.O_WRONLY || acc == OpenFlags.O_RDWR;
            if ((flags & OpenFlags.O_PATH) != 0) {
                file = new OpenFile(node, null, r.path(), flags);
            } else if (node.type() == FileType.DIRECTORY) {
                if (writing || create) throw new SyscallError(Errno.EISDIR);
                file = new OpenFile(node, null, r.path(), flags);
            } else if (node instanceof Pipe.Inode pipe) {
                if ((flags & OpenFlags.O_DIRECTORY) != 0) throw new SyscallError(Errno.ENOTDIR);
                file = reopenPipe(pipe, flags, r.path());
            } else {
                if ((flags & OpenFlags.O_DIRECTORY) != 0) throw new SyscallError(Errno.ENOTDIR);
                if ((writing || (flags & OpenFlags.O_TRUNC) != 0) && node.readOnly()) throw new SyscallError(Errno.EROFS);
                FileHandle h = writing || (flags & OpenFlags.O_TRUNC) != 0 ? null : pinnedScript(p, r.path());
                if (h == null) h = node.open(flags);
                if ((flags & OpenFlags.O_TRUNC) != 0 && writing && node.type() == FileType.REGULAR) {
                    h.truncate(0);
                    if (!created) vfs.dirNotify().changed(r.parent(), node, DirNotify.DN_MODIFY);
                }
                file = new OpenFile(node, h, r.path(), flags & ~(OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_TRUNC | OpenFlags.O_CLOEXEC));
            }
            file.setOpenedIn(r.parent());
        }
        return p.fdTable().add(file, (flags & OpenFlags.O_CLOEXEC) != 0);
    }

    /**
     * open(2) of /proc/PID/fd/N (or /dev/fd/N) where N is a pipe end: a new open file description
     * on the same pipe, read end for O_RDONLY, write end for O_WRONLY, both for O_RDWR
     * ({@link Pipe#reopen}). Like pipe(2)'s own descriptions it has no node, so fchmod, linkat
     * and the exec gate answer for it exactly as for the descriptor it was opened through.
     */
    private static OpenFile reopenPipe(Pipe.Inode pipe, int flags, String path) {
        FileHandle end = pipe.open(flags);
        int kept = flags & ~(OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_TRUNC | OpenFlags.O_CLOEXEC);
        return new OpenFile(null, end, path, kept);
    }

    private static boolean blocks(OpenFile f) {
        return f.node() == null || !f.handle().seekable();
    }

    static long read(Process p, int fd, long buf, long len) {
        OpenFile f = p.fdTable().get(fd);
        int n = (int) Math.min(len, MAX_IO);
        p.memory().check(buf, n);
        byte[] tmp = new byte[n];
        int got = blocks(f) ? p.blocking(() -> f.read(tmp, 0, n)) : f.read(tmp, 0, n);
        p.memory().write(buf, tmp, 0, got);
        DirNotifySyscalls.accessed(p, f, got);
        return got;
    }

    static long write(Process p, int fd, long buf, long len) {
        OpenFile f = p.fdTable().get(fd);
        int n = (int) Math.min(len, MAX_IO);
        byte[] data = p.memory().read(buf, n);
        return writeBytes(p, f, data);
    }

    private static int writeBytes(Process p, OpenFile f, byte[] data) {
        try {
            int n = blocks(f) ? p.blocking(() -> f.write(data, 0, data.length)) : f.write(data, 0, data.length);
            DirNotifySyscalls.modified(p, f, n);
            return n;
        } catch (SyscallError e) {
            if (e.errno() == Errno.EPIPE) p.signal(Signals.SIGPIPE);
            throw e;
        }
    }

    private static long readv(Process p, int fd, long iov, int count, long pos) {
        if (count < 0 || count > MAX_IOV) throw new SyscallError(Errno.EINVAL);
        OpenFile f = p.fdTable().get(fd);
        GuestMemory m = p.memory();
        m.check(iov, 8L * count);
        long total = 0;
        for (int i = 0; i < count; i++) {
            long base = m.readPtr(iov + 8L * i), len = m.readPtr(iov + 8L * i + 4);
            if (len == 0) continue;
            int n = (int) Math.min(len, MAX_IO);
            m.check(base, n);
            byte[] tmp = new byte[n];
            int got;
            if (pos >= 0) got = f.pread(pos + total, tmp, 0, n);
            else if (total == 0 && blocks(f)) got = p.blocking(() -> f.read(tmp, 0, n));
            else if (blocks(f) && f.handle() instanceof Pipe.PipeEnd pe && pe.available() == 0) break;
            else got = f.read(tmp, 0, n);
            m.write(base, tmp, 0, got);
            total += got;
            if (got < n) break;
        }
        DirNotifySyscalls.accessed(p, f, total);
        return total;
    }

    private static long writev(Process p, int fd, long iov, int count, long pos) {
        if (count < 0 || count > MAX_IOV) throw new SyscallError(Errno.EINVAL);
        OpenFile f = p.fdTable().get(fd);
        GuestMemory m = p.memory();
        m.check(iov, 8L * count);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            long base = m.readPtr(iov + 8L * i), len = m.readPtr(iov + 8L * i + 4);
            if (all.size() + len > MAX_IO) len = MAX_IO - all.size();
            if (len > 0) all.writeBytes(m.read(base, len));
        }
        byte[] data = all.toByteArray();
        if (pos >= 0) {
            int n = f.pwrite(pos, data, 0, data.length);
            DirNotifySyscalls.modified(p, f, n);
            return n;
        }
        return writeBytes(p, f, data);
    }

    private static long pread(Process p, int fd, long buf, long len, long pos) {
        OpenFile f = p.fdTable().get(fd);
        int n = (int) Math.min(len, MAX_IO);
        p.memory().check(buf, n);
        byte[] tmp = new byte[n];
        int got = f.pread(pos, tmp, 0, n);
        p.memory().write(buf, tmp, 0, got);
        DirNotifySyscalls.accessed(p, f, got);
        return got;
    }

    private static long pwrite(Process p, int fd, long buf, long len, long pos) {
        OpenFile f = p.fdTable().get(fd);
        int n = (int) Math.min(len, MAX_IO);
        byte[] data = p.memory().read(buf, n);
        int wrote = f.pwrite(pos, data, 0, n);
        DirNotifySyscalls.modified(p, f, wrote);
        return wrote;
    }

    static final int F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_GETLK = 5, F_SETLK = 6,
            F_SETLKW = 7, F_SETOWN = 8, F_GETOWN = 9, F_GETLK64 = 12, F_SETLK64 = 13, F_SETLKW64 = 14,
            F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38, F_DUPFD_CLOEXEC = 1030, F_SETPIPE_SZ = 1031,
            F_GETPIPE_SZ = 1032, FD_CLOEXEC = 1;

    private static long fcntl(Process p, int fd, int cmd, long arg) {
        OpenFile f = p.fdTable().get(fd);
        return switch (cmd) {
            case F_DUPFD -> dupfd(p, fd, (int) arg, false);
            case F_DUPFD_CLOEXEC -> dupfd(p, fd, (int) arg, true);
            case F_GETFD -> p.fdTable().cloexec(fd) ? FD_CLOEXEC : 0;
            case F_SETFD -> {
                p.fdTable().setCloexec(fd, (arg & FD_CLOEXEC) != 0);
                yield 0;
            }
            case F_GETFL -> f.flags() & ~OpenFlags.O_CLOEXEC;
            case F_SETFL -> {
                f.setStatusFlags((int) arg);
                yield 0;
            }
            case F_GETLK, F_GETLK64 -> LockSyscalls.getlk(p, f, GuestMemory.ptr(arg), false);
            case F_SETLK, F_SETLK64 -> LockSyscalls.setlk(p, f, GuestMemory.ptr(arg), false, false);
            case F_SETLKW, F_SETLKW64 -> LockSyscalls.setlk(p, f, GuestMemory.ptr(arg), false, true);
            case F_OFD_GETLK -> LockSyscalls.getlk(p, f, GuestMemory.ptr(arg), true);
            case F_OFD_SETLK -> LockSyscalls.setlk(p, f, GuestMemory.ptr(arg), true, false);
            case F_OFD_SETLKW -> LockSyscalls.setlk(p, f, GuestMemory.ptr(arg), true, true);
            case F_GETOWN, F_SETOWN -> 0;
            case F_GETPIPE_SZ -> pipeOf(f).capacity();
            case F_SETPIPE_SZ -> setPipeSize(f, arg);
            case DirNotifySyscalls.F_NOTIFY -> DirNotifySyscalls.notify(p, fd, arg);
            case DirNotifySyscalls.F_SETSIG -> DirNotifySyscalls.setSig(p, fd, arg);
            case DirNotifySyscalls.F_GETSIG -> DirNotifySyscalls.getSig(p, fd);
            default -> throw new SyscallError(Errno.EINVAL);
        };
    }

    /** The pipe behind {@code f}; F_GETPIPE_SZ and F_SETPIPE_SZ on anything else are EBADF, as Linux's pipe_fcntl gives. */
    private static Pipe pipeOf(OpenFile f) {
        Pipe pipe = f.node() == null ? Pipe.of(f.handle()) : null;
        if (pipe == null) throw new SyscallError(Errno.EBADF);
        return pipe;
    }

    private static long setPipeSize(OpenFile f, long arg) {
        Pipe pipe = pipeOf(f);
        long requested = arg & 0xFFFF_FFFFL; // the kernel takes the size as an unsigned int
        // Linux's round_pipe_size gives 0 past 2^31 bytes, and pipe_set_size turns that into EINVAL.
        if (requested > 1L << 31) throw new SyscallError(Errno.EINVAL);
        return pipe.setCapacity(requested);
    }

    private static long dupfd(Process p, int fd, int min, boolean cloexec) {
        if (min < 0 || min >= p.fdTable().limit()) throw new SyscallError(Errno.EINVAL);
        return p.fdTable().dup(fd, min, cloexec);
    }

    static final int TCGETS = 0x5401, TIOCGWINSZ = 0x5413, FIONREAD = 0x541B, FIONBIO = 0x5421, FIOCLEX = 0x5451,
            FIONCLEX = 0x5450, TIOCGPGRP = 0x540F, TIOCSPGRP = 0x5410;

    /** No descriptor is a terminal in a container; FIONREAD, FIONBIO and FIO(N)CLEX work. */
    private static long ioctl(Process p, int fd, int request, long arg) {
        OpenFile f = p.fdTable().get(fd);
        return switch (request) {
            case FIONREAD -> {
                int avail = f.handle() instanceof Pipe.PipeEnd pe ? pe.available()
                        : f.handle().seekable() ? (int) Math.max(0, Math.min(Integer.MAX_VALUE, f.handle().size() - f.offset())) : 0;
                p.memory().writeInt(arg, avail);
                yield 0;
            }
            case FIONBIO -> {
                int on = p.memory().readInt(arg);
                f.setStatusFlags(on != 0 ? f.flags() | OpenFlags.O_NONBLOCK : f.flags() & ~OpenFlags.O_NONBLOCK);
                yield 0;
            }
            case FIOCLEX -> {
                p.fdTable().setCloexec(fd, true);
                yield 0;
            }
            case FIONCLEX -> {
                p.fdTable().setCloexec(fd, false);
                yield 0;
            }
            default -> throw new SyscallError(Errno.ENOTTY);
        };
    }

    private static long pipe(Process p, long fdsPtr, int flags) {
        if ((flags & ~(OpenFlags.O_CLOEXEC | OpenFlags.O_NONBLOCK | OpenFlags.O_DIRECT)) != 0) throw new SyscallError(Errno.EINVAL);
        p.memory().check(fdsPtr, 8);
        Pipe pipe = p.kernel().newPipe();
        boolean cloexec = (flags & OpenFlags.O_CLOEXEC) != 0;
        int status = flags & OpenFlags.O_NONBLOCK;
        OpenFile r = new OpenFile(null, pipe.readEnd(), "pipe:[" + System.identityHashCode(pipe) + "]", OpenFlags.O_RDONLY | status);
        OpenFile w = new OpenFile(null, pipe.writeEnd(), "pipe:[" + System.identityHashCode(pipe) + "]", OpenFlags.O_WRONLY | status);
        return installPair(p, r, w, cloexec, fdsPtr);
    }

    /** Installs two new descriptions (pipe, socketpair) and writes their descriptors to {@code fdsPtr}; all or nothing. */
    private static long installPair(Process p, OpenFile a, OpenFile b, boolean cloexec, long fdsPtr) {
        int fa;
        try {
            fa = p.fdTable().add(a, cloexec);
        } catch (SyscallError e) {
            b.release();
            throw e;
        }
        int fb;
        try {
            fb = p.fdTable().add(b, cloexec);
        } catch (SyscallError e) {
            p.fdTable().close(fa);
            throw e;
        }
        p.memory().writeInt(fdsPtr, fa);
        p.memory().writeInt(fdsPtr + 4, fb);
        return 0;
    }

    static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_NONBLOCK = 04000, SOCK_CLOEXEC = 02000000;

    private static long socketpair(Process p, int domain, int type, int protocol, long sv) {
        if (domain != AF_UNIX) throw new SyscallError(Errno.EAFNOSUPPORT);
        if ((type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != SOCK_STREAM) throw new SyscallError(Errno.EOPNOTSUPP);
        if (protocol != 0) throw new SyscallError(Errno.EPROTONOSUPPORT);
        p.memory().check(sv, 8);
        FileHandle[] ends = dev.nojit.vkernel.fs.SocketPair.create(p.kernel()::newPipe);
        boolean cloexec = (type & SOCK_CLOEXEC) != 0;
        int status = OpenFlags.O_RDWR | ((type & SOCK_NONBLOCK) != 0 ? OpenFlags.O_NONBLOCK : 0);
        String name = "socket:[" + System.identityHashCode(ends[0]) + "]";
        return installPair(p, new OpenFile(null, ends[0], name, status), new OpenFile(null, ends[1], name, status), cloexec, sv);
    }

    private static long sync(Process p, int fd) {
        OpenFile f = p.fdTable().get(fd);
        if (f.node() != null && f.node().type() == FileType.REGULAR && f.readable() | f.writable()) f.handle().sync();
        return 0;
    }

    private static long sendfile(Process p, int outFd, int inFd, long offsetPtr, long count) {
        OpenFile in = p.fdTable().get(inFd), out = p.fdTable().get(outFd);
        int n = (int) Math.min(count, MAX_IO);
        byte[] buf = new byte[n];
        int got;
        if (offsetPtr != 0) {
            long off = p.memory().readLong(offsetPtr);
            got = in.pread(off, buf, 0, n);
            p.memory().writeLong(offsetPtr, off + got);
        } else {
            got = blocks(in) ? p.blocking(() -> in.read(buf, 0, n)) : in.read(buf, 0, n); // a pipe: a wait a signal ends
        }
        if (got <= 0) return 0;
        DirNotifySyscalls.accessed(p, in, got);
        return writeBytes(p, out, java.util.Arrays.copyOf(buf, got));
    }
}
