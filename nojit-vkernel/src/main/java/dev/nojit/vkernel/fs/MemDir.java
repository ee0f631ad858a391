package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A directory of the memory layer (image directories are these too). Every node a guest creates
 * costs {@link #NODE_COST} bytes of the writable layer's quota (plus a symlink's target), so that
 * millions of empty files cannot exhaust the host's heap; the cost is returned when the node's
 * last link goes.
 */
final class MemDir extends MemNode {
    static final int NODE_COST = 256;
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

    private void released(Node n) {
        if (n instanceof MemNode m && m.nlink <= (m instanceof MemDir ? 1 : 0) && !(m instanceof DeviceNode)) {
            quota.charge(-(NODE_COST + (m instanceof MemSymlink s ? s.size() : 0)));
        }
    }

    @Override
    public Node createFile(String name, int mode) {
        requireAbsent(name);
        quota.charge(NODE_COST);
        MemFile f = new MemFile(mode, quota);
        entries.put(name, f);
        touch();
        return f;
    }

    @Override
    public Node mkdir(String name, int mode) {
        requireAbsent(name);
        quota.charge(NODE_COST);
        MemDir d = new MemDir(mode, quota);
        entries.put(name, d);
        nlink++;
        touch();
        return d;
    }

    @Override
    public void symlink(String name, String target) {
        requireAbsent(name);
        quota.charge(NODE_COST + target.length());
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
        released(n);
        if (n instanceof MemFile f) f.discard();
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
        released(d);
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
            released(old);
            if (old instanceof MemFile f) f.discard();
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
