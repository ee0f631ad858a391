package dev.nojit.vkernel.syscall;

import dev.nojit.vkernel.fs.FileType;
import dev.nojit.vkernel.fs.Node;
import dev.nojit.vkernel.fs.OpenFile;
import dev.nojit.vkernel.fs.OpenFlags;
import dev.nojit.vkernel.fs.Vfs;
import dev.nojit.vkernel.memory.GuestMemory;
import dev.nojit.vkernel.process.Process;

/** Reading path arguments and resolving them against the cwd or a directory descriptor (the *at calls). */
public final class Paths {
    private Paths() {}

    static String read(Process p, long ptrArg) {
        long ptr = GuestMemory.ptr(ptrArg);
        if (ptr == 0) throw new SyscallError(Errno.EFAULT);
        return p.memory().readCString(ptr, Vfs.PATH_MAX - 1);
    }

    /** Resolves {@code path} relative to {@code dirfd} (AT_FDCWD: the cwd). Caller holds the VFS lock. */
    static Vfs.Resolved resolveAt(Process p, int dirfd, String path, boolean follow) {
        Vfs vfs = p.kernel().vfs();
        // Linux refuses an empty name when it copies it in, before it looks at dirfd (path_resolution(7): "ENOENT").
        if (path.isEmpty()) throw new SyscallError(Errno.ENOENT);
        if (path.startsWith("/") || dirfd == OpenFlags.AT_FDCWD) return vfs.resolve(p.cwd(), path, follow);
        OpenFile dir = p.fdTable().get(dirfd);
        if (dir.node() == null || dir.node().type() != FileType.DIRECTORY) throw new SyscallError(Errno.ENOTDIR);
        return vfs.resolve(p.cwd(), new Vfs.Resolved(dir.node(), null, "", dir.path()), path, follow);
    }

    /** AT_EMPTY_PATH with an empty path: the descriptor itself. */
    static Vfs.Resolved resolveAtOrFd(Process p, int dirfd, String path, boolean follow, int flags) {
        if (path.isEmpty() && (flags & OpenFlags.AT_EMPTY_PATH) != 0) {
            if (dirfd == OpenFlags.AT_FDCWD) return p.kernel().vfs().resolve(p.cwd(), ".", true);
            OpenFile f = p.fdTable().get(dirfd);
            if (f.node() == null) return null; // a pipe or a host stream
            return new Vfs.Resolved(f.node(), f.openedIn(), "", f.path());
        }
        return resolveAt(p, dirfd, path, follow);
    }

    /**
     * The existing file {@link #resolveAtOrFd} names (ENOENT when there is none); when
     * AT_EMPTY_PATH names a descriptor without a file (a pipe, a host stream), {@code nodeless}.
     */
    static Node existingAtOrFd(Process p, int dirfd, String path, boolean follow, int flags, int nodeless) {
        return resolvedAtOrFd(p, dirfd, path, follow, flags, nodeless).node();
    }

    /** {@link #existingAtOrFd}'s resolution: the file and the directory it is an entry of (for a descriptor, the one it was opened in). */
    static Vfs.Resolved resolvedAtOrFd(Process p, int dirfd, String path, boolean follow, int flags, int nodeless) {
        Vfs.Resolved r = resolveAtOrFd(p, dirfd, path, follow, flags);
        if (r == null) throw new SyscallError(nodeless);
        r.existing();
        return r;
    }
}
