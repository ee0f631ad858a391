package dev.nojit.vkernel.fs;

import dev.nojit.host.HostCallException;
import dev.nojit.host.files.HostFd;
import dev.nojit.host.files.HostFiles;
import dev.nojit.host.files.HostStat;
import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.util.List;
import java.util.function.Supplier;

/**
 * A file, directory or symlink inside a mounted host directory, held as an open descriptor of
 * that inode ({@code O_PATH}, or the descriptor it was created with). Its own metadata calls
 * (stat, chmod, utimes, readlink, link) go through that descriptor; a directory's entries are
 * single names beneath it ({@code openat2} with {@code RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
 * RESOLVE_NO_MAGICLINKS}, {@code *at} calls with no link following). So once found, a node
 * stays the object it was found as, wherever it is renamed and whatever is planted in its
 * old place; the host kernel never resolves a host path for it again.
 */
final class HostNode extends Node {
    private final HostMount mount;
    private final HostFd fd;
    /** The inode's identity and type, fixed for its life. */
    private final HostStat identity;
    private final FileType type;
    /** Where the node was last seen (directory and name): only for re-opening its content, checked by inode. */
    private volatile HostNode parent;
    private volatile String name;

    HostNode(HostMount mount, HostFd fd, HostStat identity, HostNode parent, String name) {
        this.mount = mount;
        this.fd = fd;
        this.identity = identity;
        this.type = typeOf(identity.mode());
        this.parent = parent;
        this.name = name;
    }

    static HostNode root(HostMount mount) {
        return mount.root();
    }

    HostFd fd() {
        return fd;
    }

    void seenAt(HostNode parent, String name) {
        if (parent == null) return;
        this.parent = parent;
        this.name = name;
    }

    private static FileType typeOf(int mode) {
        for (FileType t : FileType.values()) if ((mode & FileType.S_IFMT) == t.modeBits) return t;
        return FileType.REGULAR;
    }

    /** The host's errno is Linux's, which is the guest's. */
    static SyscallError errno(HostCallException e) {
        return new SyscallError(e.errno());
    }

    /** A host call whose failure is the guest's errno. */
    private static <T> T host(Supplier<T> call) {
        try {
            return call.get();
        } catch (HostCallException e) {
            throw errno(e);
        }
    }

    private static void hostDo(Runnable call) {
        try {
            call.run();
        } catch (HostCallException e) {
            throw errno(e);
        }
    }

    @Override
    public boolean readOnly() {
        return mount.readOnly();
    }

    private void writable() {
        if (mount.readOnly()) throw new SyscallError(Errno.EROFS);
    }

    @Override
    public FileType type() {
        return type;
    }

    @Override
    public Stat stat() {
        HostStat s = host(() -> HostFiles.stat(fd));
        return new Stat(mount.dev(), s.ino(), s.nlink(), s.mode(), 0, 0, 0, s.size(), s.atimeNanos(), s.mtimeNanos(), s.ctimeNanos());
    }

    @Override
    public void chmod(int mode) {
        writable();
        hostDo(() -> HostFiles.chmod(fd, mode & 07777)); // keeps setuid, setgid, sticky; a symlink is EOPNOTSUPP
    }

    @Override
    public void chown(int uid, int gid) {
        writable(); // the container's root owns everything it sees; ownership of host files is not changed
    }

    @Override
    public void setTimes(long a, long m) {
        writable();
        hostDo(() -> HostFiles.setTimes(fd, a, m));
    }

    @Override
    public Node lookup(String name) {
        // Vfs.resolve has just checked this is a directory. An inode already held is found by a
        // stat of the name; only a new one costs a descriptor.
        try {
            HostNode held = mount.cached(HostFiles.statAt(fd, name));
            if (held != null) {
                held.seenAt(this, name);
                return held;
            }
            return adoptOpened(HostFiles.openNode(fd, name), name, null);
        } catch (HostCallException e) {
            if (e.errno() == Errno.ENOENT) return null;
            throw errno(e);
        }
    }

    /**
     * Takes {@code opened}, a descriptor just opened on the entry {@code name}, as that entry's node,
     * after {@code first} (if any) has acted on it; the descriptor is closed if either call fails.
     */
    private HostNode adoptOpened(HostFd opened, String name, java.util.function.Consumer<HostFd> first) {
        HostStat st;
        try {
            if (first != null) first.accept(opened);
            st = HostFiles.stat(opened);
        } catch (HostCallException e) {
            opened.close();
            throw e;
        }
        return mount.adopt(opened, st, this, name);
    }

    @Override
    public List<String> list() {
        try {
            List<String> names = HostFiles.list(fd);
            names.sort(null);
            return names;
        } catch (HostCallException e) {
            throw errno(e);
        }
    }

    /**
     * O_CREAT|O_EXCL beneath this directory: an existing name — a dangling symlink included — is
     * EEXIST, and nothing is ever created through a link. The new file's descriptor is its node's.
     */
    @Override
    public Node createFile(String name, int mode) {
        writable();
        try {
            // the exact mode, not the vkernel's umask
            return adoptOpened(HostFiles.createFile(fd, name, 0600), name, created -> HostFiles.chmod(created, mode & 07777));
        } catch (HostCallException e) {
            throw errno(e);
        }
    }

    @Override
    public Node mkdir(String name, int mode) {
        writable();
        hostDo(() -> HostFiles.mkdir(fd, name, 0700));
        Node made = lookup(name);
        // Another guest thread may have swapped the name in between: then it is not ours to chmod.
        if (made == null || made.type() != FileType.DIRECTORY) throw new SyscallError(Errno.EEXIST);
        made.chmod(mode);
        return made;
    }

    /**
     * Absolute targets are refused (EPERM) on host mounts: on the host they would name host
     * paths outside the mount. A relative target is stored as given; the vkernel resolves every
     * link in the container's namespace and never asks the host to follow one.
     */
    @Override
    public void symlink(String name, String target) {
        writable();
        if (target.startsWith("/")) throw new SyscallError(Errno.EPERM);
        hostDo(() -> HostFiles.symlink(fd, name, target));
    }

    /**
     * A hard link to the exact inode {@code existing} holds (linkat AT_EMPTY_PATH). Without
     * CAP_DAC_READ_SEARCH that is ENOENT; then the name it was last seen under is linked with
     * flags 0 (no link followed) and kept only if it is that inode.
     */
    @Override
    public void link(String name, Node existing) {
        writable();
        if (!(existing instanceof HostNode h) || h.mount != mount) throw new SyscallError(Errno.EXDEV);
        if (h.type == FileType.DIRECTORY) throw new SyscallError(Errno.EPERM);
        try {
            HostFiles.link(h.fd, fd, name);
        } catch (HostCallException e) {
            if (e.errno() != Errno.ENOENT || h.parent == null) throw errno(e);
            linkByLastName(name, h);
        }
    }

    private void linkByLastName(String name, HostNode h) {
        HostNode from = h.parent;
        try {
            HostFiles.linkEntry(from.fd, h.name, fd, name);
            if (!HostFiles.statAt(fd, name).sameInode(h.identity)) {
                HostFiles.unlink(fd, name);
                throw new SyscallError(Errno.ENOENT);
            }
        } catch (HostCallException e) {
            throw errno(e);
        }
    }

    @Override
    public void unlink(String name) {
        writable();
        hostDo(() -> HostFiles.unlink(fd, name)); // a directory is EISDIR from Linux itself
    }

    @Override
    public void rmdir(String name) {
        writable();
        hostDo(() -> HostFiles.rmdir(fd, name));
    }

    @Override
    public void rename(String name, Node dst, String dstName) {
        writable();
        if (!(dst instanceof HostNode d) || d.mount != mount) throw new SyscallError(Errno.EXDEV);
        try {
            HostFiles.rename(fd, name, d.fd, dstName);
            HostNode moved = mount.cached(HostFiles.statAt(d.fd, dstName));
            if (moved != null) moved.seenAt(d, dstName);
        } catch (HostCallException e) {
            throw errno(e);
        }
    }

    @Override
    public String readlink() {
        if (type != FileType.SYMLINK) throw new SyscallError(Errno.EINVAL);
        return host(() -> HostFiles.readlink(fd));
    }

    @Override
    public boolean storesContent() {
        return true;
    }

    /**
     * Opens the content beneath the directory the node was last seen in, by name, and keeps it
     * only if it is this inode (ENOENT otherwise: the name now holds something else).
     */
    @Override
    public FileHandle open(int flags) {
        if (type == FileType.DIRECTORY) throw new SyscallError(Errno.EISDIR);
        if (type != FileType.REGULAR) throw new SyscallError(Errno.ENXIO);
        int acc = flags & OpenFlags.O_ACCMODE;
        boolean write = acc != OpenFlags.O_RDONLY || (flags & OpenFlags.O_TRUNC) != 0;
        if (write) writable();
        HostNode dir = parent;
        if (dir == null) throw new SyscallError(Errno.ENOENT);
        HostFd content = host(() -> mount.openContent(dir, name, write, identity));
        return new HostContent(content);
    }

    /** An open host file: positional I/O on its own descriptor. */
    private final class HostContent implements FileHandle {
        private final HostFd content;

        HostContent(HostFd content) {
            this.content = content;
        }

        @Override
        public int read(long pos, byte[] buf, int off, int len) {
            return host(() -> HostFiles.pread(content, pos, buf, off, len));
        }

        @Override
        public int write(long pos, byte[] buf, int off, int len) {
            writable();
            hostDo(() -> HostFiles.pwriteAll(content, pos, buf, off, len));
            return len;
        }

        @Override
        public long size() {
            return host(() -> HostFiles.stat(content).size());
        }

        @Override
        public void truncate(long length) {
            writable();
            hostDo(() -> HostFiles.truncate(content, length));
        }

        @Override
        public void sync() {
            hostDo(() -> HostFiles.sync(content));
        }

        @Override
        public void close() {
            mount.closeContent(content);
        }
    }
}
