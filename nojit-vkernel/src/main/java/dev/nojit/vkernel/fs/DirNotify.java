package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Directory change notification, fcntl(F_NOTIFY) ("dnotify"), for one container. A watch belongs
 * to an open file description of a directory and to the descriptor table that registered it
 * (Linux: the {@code struct file} and {@code current->files}); its mask only grows with further
 * F_NOTIFY calls ("a series of F_NOTIFY requests is cumulative"), an argument without event bits
 * removes it, and so does any close of that description through that table (close, dup2 over it,
 * close-on-exec, exit). When an event of its mask happens in the directory — to the directory
 * itself, or to one of its entries — the description's owner (the process that last called
 * F_NOTIFY on it) is sent the description's F_SETSIG signal, SIGIO by default; a watch without
 * DN_MULTISHOT is removed by its first notification.
 *
 * <p>The syscall layer reports events: {@link #event} for something that happened to an entry of
 * {@code dir} (created, deleted, moved, or its attributes or content changed) and {@link #changed}
 * for a change to a node both as an entry of its directory and, if it is a directory, to itself.
 * An event costs one volatile read while no watch exists anywhere in the container.
 */
public final class DirNotify {
    public static final int DN_ACCESS = 0x1, DN_MODIFY = 0x2, DN_CREATE = 0x4, DN_DELETE = 0x8, DN_RENAME = 0x10,
            DN_ATTRIB = 0x20, DN_MULTISHOT = 0x80000000;
    /** What a signal number 0 stands for (F_SETSIG 0 restores it). */
    public static final int SIGIO = 29;

    /** One registration: a description of {@code dir}, registered through {@code table}. */
    private static final class Watch {
        final OpenFile file;
        final Object table;
        int mask;

        Watch(OpenFile file, Object table, int mask) {
            this.file = file;
            this.table = table;
            this.mask = mask;
        }
    }

    /** Watched directory → its watches (by node identity: a node is the inode). */
    private final Map<Node, List<Watch>> byDir = new IdentityHashMap<>();
    private volatile boolean any;

    /**
     * fcntl(fd, F_NOTIFY, arg) on {@code file} from descriptor table {@code table}; {@code owner}
     * delivers a signal number to the caller. {@code arg} is the kernel's {@code unsigned int}
     * (DN_MULTISHOT is bit 31); bits that name no event are accepted and never fire, as on Linux.
     */
    public void register(OpenFile file, Object table, int arg, IntConsumer owner) {
        // fcntl(2): "To disable notification of all events, make an F_NOTIFY call specifying arg as 0."
        // Linux checks this before the file's type, so it succeeds on any descriptor.
        if ((arg & ~DN_MULTISHOT) == 0) {
            closed(file, table);
            return;
        }
        // fcntl(2): "ENOTDIR F_NOTIFY was specified in cmd, but fd does not refer to a directory."
        Node dir = file.node();
        if (dir == null || dir.type() != FileType.DIRECTORY) throw new SyscallError(Errno.ENOTDIR);
        synchronized (this) {
            file.setOwner(owner); // Linux makes the caller the description's owner (F_SETOWN)
            List<Watch> watches = byDir.computeIfAbsent(dir, d -> new ArrayList<>(1));
            for (Watch w : watches) {
                if (w.file == file && w.table == table) {
                    w.mask |= arg;
                    return;
                }
            }
            watches.add(new Watch(file, table, arg));
            any = true;
        }
    }

    /** {@code table} has closed a descriptor of {@code file}: its watch through that table ends. */
    public void closed(OpenFile file, Object table) {
        if (!any) return;
        Node dir = file.node();
        if (dir == null) return;
        synchronized (this) {
            List<Watch> watches = byDir.get(dir);
            if (watches == null) return;
            watches.removeIf(w -> w.file == file && w.table == table);
            if (watches.isEmpty()) forget(dir);
        }
    }

    /**
     * Something happened to an entry of {@code dir} (or to {@code dir} itself): every watch on it
     * whose mask has one of {@code events} is notified.
     */
    public void event(Node dir, int events) {
        if (!any || dir == null) return;
        List<OpenFile> notified;
        synchronized (this) {
            List<Watch> watches = byDir.get(dir);
            if (watches == null) return;
            notified = new ArrayList<>(watches.size());
            for (var it = watches.iterator(); it.hasNext(); ) {
                Watch w = it.next();
                if ((w.mask & events) == 0) continue;
                notified.add(w.file);
                // fcntl(2): "Notification [...] is a one-shot [...] unless DN_MULTISHOT is included in arg"
                if ((w.mask & DN_MULTISHOT) == 0) it.remove();
            }
            if (watches.isEmpty()) forget(dir);
        }
        for (OpenFile f : notified) f.signalOwner(SIGIO);
    }

    /**
     * {@code node}, an entry of {@code parent}, changed ({@code events}: DN_ATTRIB, DN_ACCESS,
     * DN_MODIFY): the parent's watches hear of it, and if {@code node} is a watched directory its
     * own watches too (Linux reports an inode's change to the inode and to its parent).
     */
    public void changed(Node parent, Node node, int events) {
        if (!any) return;
        if (parent != node) event(parent, events);
        if (node != null && node.type() == FileType.DIRECTORY) event(node, events);
    }

    /** The content of {@code file} was read (DN_ACCESS) or written (DN_MODIFY) through its description. */
    public void contentEvent(OpenFile file, int events) {
        if (any) event(file.openedIn(), events);
    }

    private void forget(Node dir) {
        byDir.remove(dir);
        any = !byDir.isEmpty();
    }

    /** How many watches there are on {@code dir} (tests). */
    synchronized int watches(Node dir) {
        List<Watch> watches = byDir.get(dir);
        return watches == null ? 0 : watches.size();
    }
}
