package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.util.List;

/**
 * A file system object: a directory, regular file, symlink or device, kept in memory, found in
 * the bundle's image, or living in a mounted host directory. Operations a kind does not have
 * fail with the errno Linux gives (ENOTDIR, EISDIR, EINVAL). Namespace operations run under the
 * {@link Vfs}'s lock, so they see one consistent tree.
 */
public abstract class Node {
    public abstract FileType type();

    public abstract Stat stat();

    public void chmod(int mode) {
        throw new SyscallError(Errno.EPERM);
    }

    public void chown(int uid, int gid) {
        throw new SyscallError(Errno.EPERM);
    }

    /** Sets access and modification times (nanoseconds since the epoch; -1 leaves one unchanged). */
    public void setTimes(long atimeNanos, long mtimeNanos) {}

    /** Whether the storage under this node refuses changes (a read-only mount). */
    public boolean readOnly() {
        return false;
    }

    // --- directories ---

    /** The entry called {@code name} (never "." or ".."), or null. */
    public Node lookup(String name) {
        throw new SyscallError(Errno.ENOTDIR);
    }

    public List<String> list() {
        throw new SyscallError(Errno.ENOTDIR);
    }

    public Node createFile(String name, int mode) {
        throw new SyscallError(Errno.ENOTDIR);
    }

    public Node mkdir(String name, int mode) {
        throw new SyscallError(Errno.ENOTDIR);
    }

    public void symlink(String name, String target) {
        throw new SyscallError(Errno.ENOTDIR);
    }

    public void link(String name, Node existing) {
        throw new SyscallError(Errno.ENOTDIR);
    }

    public void unlink(String name) {
        throw new SyscallError(Errno.ENOTDIR);
    }

    public void rmdir(String name) {
        throw new SyscallError(Errno.ENOTDIR);
    }

    /** Moves entry {@code name} of this directory to {@code dstName} in {@code dst} (same storage only). */
    public void rename(String name, Node dst, String dstName) {
        throw new SyscallError(Errno.ENOTDIR);
    }

    // --- symlinks ---

    public String readlink() {
        throw new SyscallError(Errno.EINVAL);
    }

    // --- content ---

    /** Opens the content for reading and/or writing; {@code flags} are the open(2) flags. */
    public FileHandle open(int flags) {
        throw new SyscallError(type() == FileType.DIRECTORY ? Errno.EISDIR : Errno.ENXIO);
    }

    /**
     * Whether this is a file of storage — the image, the writable layer, a memfd, a host mount —
     * rather than a device or a /proc file whose content is made up when read.
     */
    public boolean storesContent() {
        return false;
    }
}
