package dev.nojit.vkernel.wasi;

import dev.nojit.vkernel.fs.OpenFlags;
import dev.nojit.vkernel.fs.WallClock;
import dev.nojit.vkernel.memory.GuestMemory;
import dev.nojit.vkernel.process.Process;
import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.FileSyscalls;
import dev.nojit.vkernel.syscall.PathSyscalls;
import dev.nojit.vkernel.syscall.SyscallError;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The path_* functions: each is the Linux *at call on the directory descriptor, with WASI's (pointer, length) paths. */
final class WasiPaths {
    private WasiPaths() {}

    static final int LOOKUP_SYMLINK_FOLLOW = 1;
    static final int OFLAGS_CREAT = 1, OFLAGS_DIRECTORY = 2, OFLAGS_EXCL = 4, OFLAGS_TRUNC = 8;
    static final long RIGHT_FD_READ = 1L << 1, RIGHT_FD_WRITE = 1L << 6, RIGHT_FD_READDIR = 1L << 14;
    static final int FST_ATIM = 1, FST_ATIM_NOW = 2, FST_MTIM = 4, FST_MTIM_NOW = 8;

    static void register(Map<String, WasiPersonality.Function> f) {
        f.put("path_open", (p, a) -> open(p, (int) a[0], (int) a[1], WasiPersonality.path(p, a[2], a[3]), (int) a[4], a[5],
                (int) a[7], GuestMemory.ptr(a[8])));
        f.put("path_create_directory", (p, a) -> {
            PathSyscalls.mkdirAt(p, (int) a[0], WasiPersonality.path(p, a[1], a[2]), 0777);
            return 0;
        });
        f.put("path_remove_directory", (p, a) -> {
            PathSyscalls.unlinkAt(p, (int) a[0], WasiPersonality.path(p, a[1], a[2]), OpenFlags.AT_REMOVEDIR);
            return 0;
        });
        f.put("path_unlink_file", (p, a) -> {
            PathSyscalls.unlinkAt(p, (int) a[0], WasiPersonality.path(p, a[1], a[2]), 0);
            return 0;
        });
        f.put("path_rename", (p, a) -> {
            PathSyscalls.renameAt(p, (int) a[0], WasiPersonality.path(p, a[1], a[2]), (int) a[3], WasiPersonality.path(p, a[4], a[5]), 0);
            return 0;
        });
        f.put("path_link", (p, a) -> {
            int flags = ((int) a[1] & LOOKUP_SYMLINK_FOLLOW) != 0 ? OpenFlags.AT_SYMLINK_FOLLOW : 0;
            PathSyscalls.linkAt(p, (int) a[0], WasiPersonality.path(p, a[2], a[3]), (int) a[4], WasiPersonality.path(p, a[5], a[6]), flags);
            return 0;
        });
        f.put("path_symlink", (p, a) -> {
            PathSyscalls.symlinkAt(p, WasiPersonality.path(p, a[0], a[1]), (int) a[2], WasiPersonality.path(p, a[3], a[4]));
            return 0;
        });
        f.put("path_readlink", (p, a) -> {
            byte[] target = PathSyscalls.readlinkAt(p, (int) a[0], WasiPersonality.path(p, a[1], a[2])).getBytes(StandardCharsets.UTF_8);
            long buf = GuestMemory.ptr(a[3]), len = GuestMemory.ptr(a[4]);
            int n = (int) Math.min(target.length, len);
            p.memory().check(GuestMemory.ptr(a[5]), 4);
            p.memory().write(buf, target, 0, n);
            p.memory().writeInt(GuestMemory.ptr(a[5]), n);
            return 0;
        });
        f.put("path_filestat_get", (p, a) -> {
            int flags = ((int) a[1] & LOOKUP_SYMLINK_FOLLOW) != 0 ? 0 : OpenFlags.AT_SYMLINK_NOFOLLOW;
            var stat = PathSyscalls.statAt(p, (int) a[0], WasiPersonality.path(p, a[2], a[3]), flags);
            WasiPersonality.writeFilestat(p.memory(), GuestMemory.ptr(a[4]), stat);
            return 0;
        });
        f.put("path_filestat_set_times", (p, a) -> {
            long[] t = times(a[4], a[5], (int) a[6]);
            PathSyscalls.setTimesAt(p, (int) a[0], WasiPersonality.path(p, a[2], a[3]), ((int) a[1] & LOOKUP_SYMLINK_FOLLOW) != 0 ? 0 : OpenFlags.AT_SYMLINK_NOFOLLOW, t[0], t[1]);
            return 0;
        });
    }

    /** fstflags to {atime, mtime} in nanoseconds (-1: leave unchanged). */
    static long[] times(long atim, long mtim, int fst) {
        if (((fst & FST_ATIM) != 0 && (fst & FST_ATIM_NOW) != 0) || ((fst & FST_MTIM) != 0 && (fst & FST_MTIM_NOW) != 0)) {
            throw new SyscallError(Errno.EINVAL);
        }
        long now = WallClock.nanos();
        long at = (fst & FST_ATIM_NOW) != 0 ? now : (fst & FST_ATIM) != 0 ? atim : -1;
        long mt = (fst & FST_MTIM_NOW) != 0 ? now : (fst & FST_MTIM) != 0 ? mtim : -1;
        return new long[]{at, mt};
    }

    private static int open(Process p, int dirfd, int lookup, String path, int oflags, long rights, int fdflags, long fdPtr) {
        p.memory().check(fdPtr, 4);
        boolean read = (rights & RIGHT_FD_READ) != 0, write = (rights & RIGHT_FD_WRITE) != 0;
        int flags = write ? (read ? OpenFlags.O_RDWR : OpenFlags.O_WRONLY) : OpenFlags.O_RDONLY;
        if ((oflags & OFLAGS_CREAT) != 0) flags |= OpenFlags.O_CREAT;
        if ((oflags & OFLAGS_DIRECTORY) != 0) flags = (flags & ~OpenFlags.O_ACCMODE) | OpenFlags.O_DIRECTORY;
        if ((oflags & OFLAGS_EXCL) != 0) flags |= OpenFlags.O_EXCL;
        if ((oflags & OFLAGS_TRUNC) != 0) flags |= OpenFlags.O_TRUNC;
        if ((fdflags & WasiFiles.FDFLAGS_APPEND) != 0) flags |= OpenFlags.O_APPEND;
        if ((fdflags & WasiFiles.FDFLAGS_NONBLOCK) != 0) flags |= OpenFlags.O_NONBLOCK;
        if ((lookup & LOOKUP_SYMLINK_FOLLOW) == 0) flags |= OpenFlags.O_NOFOLLOW;
        int fd;
        try {
            fd = FileSyscalls.openAt(p, dirfd, path, flags, 0666);
        } catch (SyscallError e) {
            // Callers that ask for every right (readdir included) without O_DIRECTORY get a directory
            // read-only; asking only to write (wasi-libc's O_WRONLY) is EISDIR as on Linux.
            if (e.errno() != Errno.EISDIR || (rights & RIGHT_FD_READDIR) == 0
                    || (flags & (OpenFlags.O_CREAT | OpenFlags.O_TRUNC)) != 0) throw e;
            fd = FileSyscalls.openAt(p, dirfd, path, (flags & ~OpenFlags.O_ACCMODE) | OpenFlags.O_RDONLY, 0);
        }
        p.memory().writeInt(fdPtr, fd);
        return 0;
    }
}
