package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A directory of the memory layer (image directories are these too). What it holds is charged to
 * the {@link Quota} in heap terms ({@link HeapCost}): each entry (its name included) while it
 * exists, each node it created until the node dies, so that millions of empty files, hard links
 * or long names cannot exhaust the host's heap. Every charge comes before the change it pays for.
 */
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

    /** Adds an entry made elsewhere (image loading, mount points, devices): charged like any other. */
    void put(String name, Node node) {
        requireAbsent(name);
        quota.charge(HeapCost.entry(name));
        if (node instanceof MemNode m) {
            try {
                m.chargeNode(quota);
            } catch (SyscallError e) {
                quota.charge(-HeapCost.entry(name));
                throw e;
            }
        }
        entries.put(name, node);
    }

    /**
     * A mount point that is already a directory (the container's own /tmp, an image directory): its entry goes, as
     * mount(2) hides what lies beneath; anything else there is ENOTDIR.
     */
    void dropForMount(String name) {
        Node n = entries.get(name);
        if (n == null) return;
        if (!(n instanceof MemDir)) throw new SyscallError(Errno.ENOTDIR);
        entries.remove(name);
        removed(name, n);
    }

    private void requireAbsent(String name) {
        if (entries.containsKey(name)) throw new SyscallError(Errno.EEXIST);
    }

    /** Charges a new entry and a new node together: both or neither. */
    private void chargeNew(String name, MemNode node) {
        quota.charge(HeapCost.entry(name));
        try {
            node.chargeNode(quota);
        } catch (SyscallError e) {
            quota.charge(-HeapCost.entry(name));
            throw e;
        }
    }

    /** The entry {@code name} to {@code n} is gone: its cost, and the node's once no link is left. */
    private void removed(String name, Node n) {
        quota.charge(-HeapCost.entry(name));
        if (!(n instanceof MemNode m)) return;
        if (m instanceof MemDir) {
            m.nlink = 0;
            m.releaseNode(quota);
        } else if (m instanceof MemFile f) {
            m.nlink--;
            f.discard(); // the node and its content go at the last link and the last close
        } else if (--m.nlink <= 0) {
            m.releaseNode(quota);
        }
    }

    @Override
    public Node createFile(String name, int mode) {
        requireAbsent(name);
        MemFile f = new MemFile(mode, quota);
        chargeNew(name, f);
        entries.put(name, f);
        touch();
        return f;
    }

    @Override
    public Node mkdir(String name, int mode) {
        requireAbsent(name);
        MemDir d = new MemDir(mode, quota);
        chargeNew(name, d);
        entries.put(name, d);
        nlink++;
        touch();
        return d;
    }

    @Override
    public void symlink(String name, String target) {
        requireAbsent(name);
        MemSymlink s = new MemSymlink(target);
        chargeNew(name, s);
        entries.put(name, s);
        touch();
    }

    @Override
    public void link(String name, Node existing) {
        if (!(existing instanceof MemNode m) || existing instanceof MemDir) throw new SyscallError(existing instanceof MemDir ? Errno.EPERM : Errno.EXDEV);
        requireAbsent(name);
        quota.charge(HeapCost.entry(name));
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
        removed(name, n);
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
        removed(name, d);
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
        }
        quota.charge(HeapCost.entry(dstName)); // the new name first: ENOSPC leaves everything as it was
        if (old != null) {
            to.entries.remove(dstName);
            to.removed(dstName, old);
            if (old instanceof MemDir) to.nlink--;
        }
        entries.remove(name);
        quota.charge(-HeapCost.entry(name));
        to.entries.put(dstName, n);
        if (n instanceof MemDir) {
            nlink--;
            to.nlink++;
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
