package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** A directory of the memory layer (image directories are these too). */
final class MemDir extends MemNode {
    private final TreeMap<String, Node> entries = new TreeMap<>();
    private final Quota quota;

    MemDir(int mode, Quota quota) {
        super(mode);
        this.quota = quota;
        nlink = 2;
    }

    @Override
    public FileType type() {
        return FileType.DIRECTORY;
    }

    @Override
    long size() {
        return 4096;
    }

    @Override
    public Node lookup(String name) {
        return entries.get(name);
    }

    @Override
    public List<String> list() {
        return new ArrayList<>(entries.keySet());
    }

    /** Adds an entry made elsewhere (image loading, mount points, devices). */
    void put(String name, Node node) {
        entries.put(name, node);
    }

    private void requireAbsent(String name) {
        if (entries.containsKey(name)) throw new SyscallError(Errno.EEXIST);
    }

    @Override
    public Node createFile(String name, int mode) {
        requireAbsent(name);
        MemFile f = new MemFile(mode, quota);
        entries.put(name, f);
        touch();
        return f;
    }

    @Override
    public Node mkdir(String name, int mode) {
        requireAbsent(name);
        MemDir d = new MemDir(mode, quota);
        entries.put(name, d);
        nlink++;
        touch();
        return d;
    }

    @Override
    public void symlink(String name, String target) {
        requireAbsent(name);
        entries.put(name, new MemSymlink(target));
        touch();
    }

    @Override
    public void link(String name, Node existing) {
        if (!(existing instanceof MemNode m) || existing instanceof MemDir) throw new SyscallError(existing instanceof MemDir ? Errno.EPERM : Errno.EXDEV);
        requireAbsent(name);
        entries.put(name, existing);
        m.nlink++;
        touch();
    }

    @Override
    public void unlink(String name) {
        Node n = entries.get(name);
        if (n == null) throw new SyscallError(Errno.ENOENT);
        if (n.type() == FileType.DIRECTORY) throw new SyscallError(Errno.EISDIR);
        entries.remove(name);
        if (n instanceof MemNode m) m.nlink--;
        touch();
    }

    @Override
    public void rmdir(String name) {
        Node n = entries.get(name);
        if (n == null) throw new SyscallError(Errno.ENOENT);
        if (n.type() != FileType.DIRECTORY) throw new SyscallError(Errno.ENOTDIR);
        if (!(n instanceof MemDir d)) throw new SyscallError(Errno.EBUSY); // a mount point or a special directory
        if (!d.entries.isEmpty()) throw new SyscallError(Errno.ENOTEMPTY);
        entries.remove(name);
        nlink--;
        touch();
    }

    @Override
    public void rename(String name, Node dst, String dstName) {
        Node n = entries.get(name);
        if (n == null) throw new SyscallError(Errno.ENOENT);
        if (!(dst instanceof MemDir to)) throw new SyscallError(Errno.EXDEV);
        if (n instanceof MemDir moving && (moving == to || moving.contains(to))) throw new SyscallError(Errno.EINVAL);
        Node old = to.entries.get(dstName);
        if (old == n) return;
        if (old != null) {
            if (n.type() == FileType.DIRECTORY) {
                if (old.type() != FileType.DIRECTORY) throw new SyscallError(Errno.ENOTDIR);
                if (!(old instanceof MemDir od) || !od.entries.isEmpty()) throw new SyscallError(Errno.ENOTEMPTY);
            } else if (old.type() == FileType.DIRECTORY) {
                throw new SyscallError(Errno.EISDIR);
            }
            if (old instanceof MemNode m) m.nlink--;
        }
        entries.remove(name);
        to.entries.put(dstName, n);
        if (n instanceof MemDir) {
            nlink--;
            if (old == null) to.nlink++;
        }
        touch();
        to.touch();
    }

    private boolean contains(Node target) {
        for (Node child : entries.values()) {
            if (child == target) return true;
            if (child instanceof MemDir d && d.contains(target)) return true;
        }
        return false;
    }

    private void touch() {
        mtime = ctime = now();
    }
}
