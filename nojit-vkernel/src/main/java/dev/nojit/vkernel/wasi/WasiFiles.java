package dev.nojit.vkernel.wasi;

import dev.nojit.vkernel.fs.DirNotify;
import dev.nojit.vkernel.fs.FileType;
import dev.nojit.vkernel.fs.OpenFile;
import dev.nojit.vkernel.fs.OpenFlags;
import dev.nojit.vkernel.fs.Vfs;
import dev.nojit.vkernel.memory.GuestMemory;
import dev.nojit.vkernel.process.Process;
import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.PathSyscalls;
import dev.nojit.vkernel.syscall.Syscall;
import dev.nojit.vkernel.syscall.SyscallError;
import dev.nojit.vkernel.syscall.SyscallTable;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The fd_* functions. WASI's iovec (two u32) is Linux's on wasm32, so fd_read, fd_write,
 * fd_pread and fd_pwrite are readv, writev, preadv and pwritev; fd_seek is lseek (same whence
 * values); the rest maps one to one or reads the open file description directly.
 */
final class WasiFiles {
    private WasiFiles() {}

    static final long ALL_RIGHTS = 0x1FFFFFFFL;
    static final int FDFLAGS_APPEND = 1, FDFLAGS_NONBLOCK = 4;
    /** prestat tags: 0 is WASI's only kind; 1 marks a descriptor that is not a preopen (see {@link WasiPersonality}). */
    static final int PREOPENTYPE_DIR = 0, PREOPENTYPE_NOT_A_DIRECTORY = 1;

    static void register(Map<String, WasiPersonality.Function> f, SyscallTable linux) {
        f.put("fd_read", (p, a) -> count(p, linux.get("readv"), a[3], a[0], a[1], a[2]));
        f.put("fd_write", (p, a) -> count(p, linux.get("writev"), a[3], a[0], a[1], a[2]));
        f.put("fd_pread", (p, a) -> count(p, linux.get("preadv"), a[4], a[0], a[1], a[2], a[3]));
        f.put("fd_pwrite", (p, a) -> count(p, linux.get("pwritev"), a[4], a[0], a[1], a[2], a[3]));
        f.put("fd_seek", (p, a) -> {
            int whence = (int) a[2];
            if (whence < 0 || whence > 2) throw new SyscallError(Errno.EINVAL);
            OpenFile file = WasiPersonality.file(p, a[0]);
            if (file.isDirectory()) throw new SyscallError(Errno.EBADF);
            p.memory().writeLong(GuestMemory.ptr(a[3]), file.seek(a[1], whence));
            return 0;
        });
        f.put("fd_tell", (p, a) -> {
            OpenFile file = WasiPersonality.file(p, a[0]);
            p.memory().writeLong(GuestMemory.ptr(a[1]), file.seek(0, OpenFile.SEEK_CUR));
            return 0;
        });
        f.put("fd_close", (p, a) -> {
            p.fdTable().close((int) a[0]);
            if ((int) a[0] == p.wasiPreopen()) p.setWasiPreopen(-1);
            return 0;
        });
        f.put("fd_sync", (p, a) -> run(p, linux.get("fsync"), a[0]));
        f.put("fd_datasync", (p, a) -> run(p, linux.get("fdatasync"), a[0]));
        f.put("fd_advise", (p, a) -> run(p, linux.get("fadvise64"), a[0], a[1], a[2], a[3]));
        f.put("fd_allocate", (p, a) -> run(p, linux.get("fallocate"), a[0], 0, a[1], a[2]));
        f.put("fd_filestat_set_size", (p, a) -> run(p, linux.get("ftruncate"), a[0], a[1]));
        f.put("fd_renumber", (p, a) -> {
            int from = (int) a[0], to = (int) a[1];
            p.fdTable().get(to); // WASI: the target must be open
            if (from != to) {
                p.fdTable().dupTo(from, to, false);
                p.fdTable().close(from);
                if (from == p.wasiPreopen()) p.setWasiPreopen(to);
                else if (to == p.wasiPreopen()) p.setWasiPreopen(-1); // the root was replaced
            }
            return 0;
        });
        f.put("fd_fdstat_get", (p, a) -> fdstat(p, (int) a[0], GuestMemory.ptr(a[1])));
        f.put("fd_fdstat_set_flags", (p, a) -> {
            OpenFile file = WasiPersonality.file(p, a[0]);
            int flags = (int) a[1];
            file.setStatusFlags(((flags & FDFLAGS_APPEND) != 0 ? OpenFlags.O_APPEND : 0)
                    | ((flags & FDFLAGS_NONBLOCK) != 0 ? OpenFlags.O_NONBLOCK : 0));
            return 0;
        });
        f.put("fd_fdstat_set_rights", (p, a) -> {
            WasiPersonality.file(p, a[0]);
            return 0; // rights are not enforced beyond the open mode
        });
        f.put("fd_filestat_get", (p, a) -> {
            OpenFile file = WasiPersonality.file(p, a[0]);
            WasiPersonality.writeFilestat(p.memory(), GuestMemory.ptr(a[1]), PathSyscalls.statOf(file));
            return 0;
        });
        f.put("fd_filestat_set_times", (p, a) -> {
            long[] t = WasiPaths.times(a[1], a[2], (int) a[3]);
            PathSyscalls.setTimesAt(p, (int) a[0], null, 0, t[0], t[1]);
            return 0;
        });
        f.put("fd_prestat_get", (p, a) -> {
            int fd = (int) a[0];
            p.fdTable().get(fd);
            long buf = GuestMemory.ptr(a[1]);
            p.memory().check(buf, 8);
            int preopen = p.wasiPreopen();
            if (fd == preopen) {
                p.memory().writeInt(buf, PREOPENTYPE_DIR);
                p.memory().writeInt(buf + 4, 1); // "/"
            } else if (fd >= 3 && fd < preopen) {
                // inherited, below the preopen: a kind preopen walkers skip, so that they go on to it
                p.memory().writeInt(buf, PREOPENTYPE_NOT_A_DIRECTORY);
                p.memory().writeInt(buf + 4, 0);
            } else {
                throw new SyscallError(Errno.EBADF);
            }
            return 0;
        });
        f.put("fd_prestat_dir_name", (p, a) -> {
            int fd = (int) a[0];
            p.fdTable().get(fd);
            if (fd != p.wasiPreopen()) throw new SyscallError(Errno.EBADF);
            if (GuestMemory.ptr(a[2]) < 1) throw new SyscallError(Errno.ENAMETOOLONG);
            p.memory().writeByte(GuestMemory.ptr(a[1]), '/');
            return 0;
        });
        f.put("fd_readdir", (p, a) -> readdir(p, (int) a[0], GuestMemory.ptr(a[1]), GuestMemory.ptr(a[2]), a[3], GuestMemory.ptr(a[4])));
    }

    /** Runs a Linux handler whose result is a count, and stores the count at {@code resultPtr}. */
    private static int count(Process p, Syscall h, long resultPtr, long... args) {
        GuestMemory.ptr(resultPtr);
        p.memory().check(GuestMemory.ptr(resultPtr), 4);
        long n = h.call(p, java.util.Arrays.copyOf(args, 6));
        p.memory().writeInt(GuestMemory.ptr(resultPtr), (int) n);
        return 0;
    }

    private static int run(Process p, Syscall h, long... args) {
        h.call(p, java.util.Arrays.copyOf(args, 6));
        return 0;
    }

    /** fdstat: filetype u8 @0, flags u16 @2, rights_base u64 @8, rights_inheriting u64 @16. */
    private static int fdstat(Process p, int fd, long buf) {
        OpenFile file = p.fdTable().get(fd);
        GuestMemory m = p.memory();
        m.check(buf, 24);
        m.fill(buf, 24, (byte) 0);
        FileType t = file.node() != null ? file.node().type() : FileType.FIFO;
        m.writeByte(buf, WasiPersonality.filetype(t));
        int flags = ((file.flags() & OpenFlags.O_APPEND) != 0 ? FDFLAGS_APPEND : 0)
                | ((file.flags() & OpenFlags.O_NONBLOCK) != 0 ? FDFLAGS_NONBLOCK : 0);
        m.writeShort(buf + 2, flags);
        long rights = ALL_RIGHTS;
        if (!file.handleSeekable()) rights &= ~((1L << 2) | (1L << 5)); // no fd_seek, fd_tell on pipes
        m.writeLong(buf + 8, rights);
        m.writeLong(buf + 16, ALL_RIGHTS);
        return 0;
    }

    /** dirent: d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type u8 @20, then the name (not terminated). */
    private static int readdir(Process p, int fd, long buf, long len, long cookie, long usedPtr) {
        OpenFile file = p.fdTable().get(fd);
        if (file.node() == null || file.node().type() != FileType.DIRECTORY) throw new SyscallError(Errno.ENOTDIR);
        GuestMemory m = p.memory();
        m.check(buf, len);
        m.check(usedPtr, 4);
        if (cookie < 0) throw new SyscallError(Errno.EINVAL);
        List<String> names;
        Vfs vfs = p.kernel().vfs();
        synchronized (vfs.lock()) {
            if (cookie == 0) file.setOffset(0);
            names = file.dirEntries();
        }
        vfs.dirNotify().changed(file.openedIn(), file.node(), DirNotify.DN_ACCESS); // as getdents64 reports
        long used = 0, i = cookie;
        for (; i < names.size() && used < len; i++) {
            String name = names.get((int) i);
            byte[] nb = name.getBytes(StandardCharsets.UTF_8);
            long ino;
            int type;
            synchronized (vfs.lock()) {
                var n = name.equals(".") || name.equals("..") ? file.node() : lookupQuietly(file.node(), name);
                ino = n == null ? 0 : n.stat().ino();
                type = n == null ? 0 : WasiPersonality.filetype(n.type());
            }
            byte[] entry = new byte[24 + nb.length];
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(entry).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            bb.putLong(0, i + 1).putLong(8, ino).putInt(16, nb.length).put(20, (byte) type);
            System.arraycopy(nb, 0, entry, 24, nb.length);
            int n = (int) Math.min(entry.length, len - used);
            m.write(buf + used, entry, 0, n); // a last entry that does not fit is cut: the caller asks again
            used += n;
        }
        file.setOffset(i); // not 0: the listing taken at cookie 0 stays the one the next cookies index
        m.writeInt(usedPtr, (int) used);
        return 0;
    }

    private static dev.nojit.vkernel.fs.Node lookupQuietly(dev.nojit.vkernel.fs.Node dir, String name) {
        try {
            return dir.lookup(name);
        } catch (SyscallError e) {
            return null;
        }
    }
}
