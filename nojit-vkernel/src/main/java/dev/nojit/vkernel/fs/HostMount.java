package dev.nojit.vkernel.fs;

import dev.nojit.host.HostCallException;
import dev.nojit.host.files.HostFd;
import dev.nojit.host.files.HostFiles;
import dev.nojit.host.files.HostStat;
import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A host directory mounted into the container ({@code --mount PATH=HOSTDIR[:ro]}). Its root is
 * opened once, as a descriptor, when the container is created; every host object the vkernel
 * touches afterwards is an open descriptor found beneath it one name at a time with no symlink
 * followed ({@link HostNode}), and every later operation goes through a descriptor. The
 * {@link Vfs} resolves paths itself (links are read and resolved in the container's namespace,
 * {@code ..} above the mount root stays in the container), and renames and links across
 * storages are EXDEV.
 *
 * <p>Descriptors: one per inode in use (nodes are shared by (dev, ino) while any part of the
 * vkernel holds one; a node nobody holds any more has its descriptor closed on the next lookup)
 * plus one per open file description of a regular file. At most {@value #MAX_DESCRIPTORS} at a
 * time per mount (ENFILE beyond, after one collection of unheld nodes); {@link #close()} closes
 * them all when the container ends.
 */
public final class HostMount implements AutoCloseable {
    /** The most host descriptors one mount holds at a time. */
    public static final int MAX_DESCRIPTORS = 4096;

    private final String containerPath;
    private final boolean readOnly;
    private final long dev;
    private final HostNode root;
    private final Map<Key, NodeRef> nodes = new ConcurrentHashMap<>();
    private final ReferenceQueue<HostNode> unheld = new ReferenceQueue<>();
    private final Set<HostFd> contents = ConcurrentHashMap.newKeySet();

    private record Key(long dev, long ino) {
        Key(HostStat st) {
            this(st.dev(), st.ino());
        }
    }

    /** Holds the descriptor of a node weakly held elsewhere, to close it when the node is gone. */
    private static final class NodeRef extends WeakReference<HostNode> {
        final Key key;
        final HostFd fd;

        NodeRef(HostNode node, Key key, HostFd fd, ReferenceQueue<HostNode> q) {
            super(node, q);
            this.key = key;
            this.fd = fd;
        }
    }

    private HostMount(String containerPath, HostFd rootFd, boolean readOnly, long dev) {
        this.containerPath = containerPath;
        this.readOnly = readOnly;
        this.dev = dev;
        HostStat st = HostFiles.stat(rootFd);
        if (st.format() != HostStat.S_IFDIR) {
            rootFd.close();
            throw new IllegalArgumentException(containerPath + ": the mounted host path is not a directory");
        }
        this.root = new HostNode(this, rootFd, st, null, null);
    }

    /** Opens {@code hostDir} (the operator's path, taken as given) as the root of a mount at {@code containerPath}. */
    public static HostMount open(String containerPath, Path hostDir, boolean readOnly, long dev) {
        HostFd fd;
        try {
            fd = HostFiles.openRoot(hostDir);
        } catch (HostCallException e) {
            throw new IllegalArgumentException(hostDir + ": cannot open the directory to mount (errno " + e.errno() + ")");
        }
        return new HostMount(containerPath, fd, readOnly, dev);
    }

    public String containerPath() {
        return containerPath;
    }

    public boolean readOnly() {
        return readOnly;
    }

    public long dev() {
        return dev;
    }

    HostNode root() {
        return root;
    }

    /** A node held somewhere for the inode {@code st}, or null. */
    HostNode cached(HostStat st) {
        NodeRef ref = nodes.get(new Key(st));
        return ref == null ? null : ref.get();
    }

    /**
     * The node of the inode {@code fd} was opened on: a node already held for it (then {@code fd}
     * is closed), else a new one owning {@code fd}. ENFILE when the mount holds too many.
     */
    HostNode adopt(HostFd fd, HostStat st, HostNode parent, String name) {
        Key key = new Key(st);
        synchronized (nodes) {
            expunge();
            NodeRef old = nodes.get(key);
            HostNode held = old == null ? null : old.get();
            if (held != null) {
                fd.close();
                held.seenAt(parent, name);
                return held;
            }
            if (old != null) {
                nodes.remove(key);
                old.fd.close();
            }
            if (descriptors() >= MAX_DESCRIPTORS && !reclaim()) {
                fd.close();
                throw new SyscallError(Errno.ENFILE);
            }
            HostNode node = new HostNode(this, fd, st, parent, name);
            nodes.put(key, new NodeRef(node, key, fd, unheld));
            return node;
        }
    }

    /** Opens the content of a regular file node (see {@link HostFiles#openContent}), counted against the bound. */
    HostFd openContent(HostNode parent, String name, boolean write, HostStat identity) {
        synchronized (nodes) {
            expunge();
            if (descriptors() >= MAX_DESCRIPTORS && !reclaim()) throw new SyscallError(Errno.ENFILE);
        }
        HostFd fd = HostFiles.openContent(parent.fd(), name, write, identity);
        contents.add(fd);
        return fd;
    }

    void closeContent(HostFd fd) {
        contents.remove(fd);
        fd.close();
    }

    /** Host descriptors this mount holds now: the root, nodes, open files. */
    public int descriptors() {
        return 1 + nodes.size() + contents.size();
    }

    /** Closes the descriptors of nodes no part of the vkernel holds any more. */
    private void expunge() {
        for (var r = unheld.poll(); r != null; r = unheld.poll()) {
            NodeRef ref = (NodeRef) r;
            nodes.remove(ref.key, ref);
            ref.fd.close();
        }
    }

    /** At the bound: one collection to find unheld nodes (short-lived lookups), then whether there is room. */
    private boolean reclaim() {
        System.gc();
        long until = System.nanoTime() + 200_000_000L;
        while (descriptors() >= MAX_DESCRIPTORS && System.nanoTime() < until) {
            try {
                var r = unheld.remove(10);
                if (r != null) {
                    NodeRef ref = (NodeRef) r;
                    nodes.remove(ref.key, ref);
                    ref.fd.close();
                    expunge();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return descriptors() < MAX_DESCRIPTORS;
    }

    /** Closes every host descriptor of this mount (the container has ended); later calls answer EBADF. */
    @Override
    public void close() {
        synchronized (nodes) {
            for (NodeRef ref : nodes.values()) ref.fd.close();
            nodes.clear();
            expunge();
        }
        for (HostFd fd : contents) fd.close();
        contents.clear();
        root.fd().close();
    }
}
