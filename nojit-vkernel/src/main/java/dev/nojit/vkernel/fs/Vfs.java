package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * The container's file system: one tree of {@link Node}s (the image and the writable memory
 * layer, /tmp, /dev, /proc, host mounts), and path resolution done here, component by
 * component, for every storage — symlinks are read and resolved in the container's namespace,
 * {@code ..} never climbs above the container root, and a mounted host directory is entered
 * only through its mount point.
 */
public final class Vfs {
    public static final int PATH_MAX = 4096;
    public static final int NAME_MAX = 255;
    private static final int MAX_SYMLINKS = 40;

    private final MemDir root;
    private final Quota quota;
    private final Object lock = new Object();
    private final List<HostMount> mounts = new ArrayList<>();
    private final DirNotify notify = new DirNotify();

    public Vfs(Quota quota, ProcInfo.Directory procs) {
        this.quota = quota;
        this.root = new MemDir(0755, quota);
        quota.buildingImage(() -> {
            root.chargeNode(quota);
            populate(procs);
        });
    }

    /** /dev, /proc and /tmp. */
    private void populate(ProcInfo.Directory procs) {
        MemDir dev = (MemDir) root.mkdir("dev", 0755);
        dev.put("null", new DeviceNode(DeviceNode.Kind.NULL));
        dev.put("zero", new DeviceNode(DeviceNode.Kind.ZERO));
        dev.put("full", new DeviceNode(DeviceNode.Kind.FULL));
        dev.put("urandom", new DeviceNode(DeviceNode.Kind.URANDOM));
        dev.put("random", new DeviceNode(DeviceNode.Kind.RANDOM));
        dev.symlink("stdin", "/proc/self/fd/0");
        dev.symlink("stdout", "/proc/self/fd/1");
        dev.symlink("stderr", "/proc/self/fd/2");
        dev.symlink("fd", "/proc/self/fd");
        root.put("proc", new ProcFs.Root(procs));
        MemDir tmp = (MemDir) root.mkdir("tmp", 01777);
        tmp.chmod(01777);
    }

    public Quota quota() {
        return quota;
    }

    /** The lock every namespace operation holds while it resolves and acts (so no other guest can swap a path in between). */
    public Object lock() {
        return lock;
    }

    /** The container's directory change notification (fcntl F_NOTIFY): where the syscalls report changes. */
    public DirNotify dirNotify() {
        return notify;
    }

    // --- building the tree at container start ---

    /** Creates the directory {@code path} and its parents (image directories). */
    public void addDirectory(String path, int mode) {
        synchronized (lock) {
            quota.buildingImage(() -> addDirectoryBuilding(path, mode));
        }
    }

    private void addDirectoryBuilding(String path, int mode) {
        MemDir d = root;
        for (String name : components(path)) {
            Node n = d.lookup(name);
            if (n == null) n = d.mkdir(name, mode);
            if (!(n instanceof MemDir md)) throw new IllegalArgumentException(path + ": not a directory in the image");
            d = md;
        }
        d.chmod(mode);
    }

    /** Adds an image file: its content is read (and hash-checked) from the bundle when first used. */
    public void addImageFile(String path, int mode, String sha256, long size, Supplier<byte[]> content) {
        synchronized (lock) {
            quota.buildingImage(() -> parentForBuild(path).put(lastName(path), MemFile.fromImage(mode, quota, sha256, size, content)));
        }
    }

    /** Mounts a host directory at {@code mount.containerPath()} (created if needed, over a directory already there); the Vfs closes it in {@link #closeMounts}. */
    public void mount(HostMount mount) {
        synchronized (lock) {
            quota.buildingImage(() -> {
                MemDir parent = parentForBuild(mount.containerPath());
                parent.dropForMount(lastName(mount.containerPath()));
                parent.put(lastName(mount.containerPath()), HostNode.root(mount));
            });
            mounts.add(mount);
        }
    }

    /** Closes every host descriptor of every mount (the container has ended). */
    public void closeMounts() {
        synchronized (lock) {
            for (HostMount m : mounts) m.close();
            mounts.clear();
        }
    }

    private MemDir parentForBuild(String path) {
        List<String> names = components(path);
        if (names.isEmpty()) throw new IllegalArgumentException("cannot replace the root");
        MemDir d = root;
        for (String name : names.subList(0, names.size() - 1)) {
            Node n = d.lookup(name);
            if (n == null) n = d.mkdir(name, 0755);
            if (!(n instanceof MemDir md)) throw new IllegalArgumentException(path + ": a parent is not a directory");
            d = md;
        }
        return d;
    }

    private static String lastName(String path) {
        List<String> names = components(path);
        return names.getLast();
    }

    private static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) if (!s.isEmpty() && !s.equals(".")) out.add(s);
        return out;
    }

    // --- resolution ---

    /**
     * The result of resolving a path: the node (null when only the last component is
     * missing), its parent directory and name (for create, unlink, rename), and the canonical
     * container path.
     */
    public record Resolved(Node node, Node parent, String name, String path) {
        public Node existing() {
            if (node == null) throw new SyscallError(Errno.ENOENT);
            return node;
        }
    }

    /**
     * Resolves {@code path} relative to {@code cwd} (a canonical absolute path) or to {@code base}
     * (a directory's resolution, for the *at calls; null means cwd).
     */
    public Resolved resolve(String cwd, Resolved base, String path, boolean followLast) {
        if (path.isEmpty()) throw new SyscallError(Errno.ENOENT);
        if (path.length() >= PATH_MAX) throw new SyscallError(Errno.ENAMETOOLONG);
        Deque<Step> stack = new ArrayDeque<>();
        stack.push(new Step(root, ""));
        boolean trailingSlash = path.endsWith("/");
        List<String> rest = components(path);
        Deque<String> todo = new ArrayDeque<>(rest);
        if (!path.startsWith("/")) {
            if (base != null && (base.node() == null || base.node().type() != FileType.DIRECTORY)) {
                throw new SyscallError(Errno.ENOTDIR);
            }
            // Relative paths walk from the directory's canonical path (cwd, or the *at call's descriptor).
            prepend(todo, base != null ? base.path() : cwd);
        }
        if (rest.isEmpty() && trailingSlash) followLast = true;
        int links = 0;
        while (!todo.isEmpty()) {
            String name = todo.removeFirst();
            boolean last = todo.isEmpty();
            Step cur = stack.peek();
            if (cur.node.type() != FileType.DIRECTORY) throw new SyscallError(Errno.ENOTDIR);
            if (name.equals("..")) {
                if (stack.size() > 1) stack.pop();
                continue;
            }
            if (name.length() > NAME_MAX) throw new SyscallError(Errno.ENAMETOOLONG);
            Node child = cur.node.lookup(name);
            if (child == null) {
                if (last) return new Resolved(null, cur.node, name, join(stack, name));
                throw new SyscallError(Errno.ENOENT);
            }
            boolean follow = !last || followLast || trailingSlash;
            if (child.type() == FileType.SYMLINK && follow) {
                if (++links > MAX_SYMLINKS) throw new SyscallError(Errno.ELOOP);
                if (child instanceof ProcFs.MagicLink magic) {
                    Node target = magic.target();
                    String p = magic.file.path();
                    if (last) return new Resolved(target, null, name, p);
                    if (target instanceof Pipe.Inode) throw new SyscallError(Errno.ENOTDIR); // "pipe:[N]" is no path to walk on
                    stack.clear();
                    stack.push(new Step(root, ""));
                    Deque<String> again = new ArrayDeque<>();
                    prepend(again, p);
                    while (!again.isEmpty()) todo.addFirst(again.removeLast());
                    continue;
                }
                String target = child.readlink();
                if (target.isEmpty()) throw new SyscallError(Errno.ENOENT);
                if (target.startsWith("/")) {
                    stack.clear();
                    stack.push(new Step(root, ""));
                }
                List<String> t = components(target);
                for (int i = t.size() - 1; i >= 0; i--) todo.addFirst(t.get(i));
                continue;
            }
            stack.push(new Step(child, name));
            if (last) {
                if (trailingSlash && child.type() != FileType.DIRECTORY) throw new SyscallError(Errno.ENOTDIR);
                Step self = stack.pop();
                Node parent = stack.peek().node;
                String canonical = join(stack, name);
                stack.push(self);
                return new Resolved(child, parent, name, canonical);
            }
        }
        // The path named a directory already on the stack (e.g. "/", ".", "a/..").
        Step top = stack.pop();
        Node parent = stack.isEmpty() ? top.node : stack.peek().node;
        String canonical = stack.isEmpty() ? "/" : join(stack, top.name);
        return new Resolved(top.node, parent, top.name.isEmpty() ? "/" : top.name, canonical);
    }

    private static void prepend(Deque<String> todo, String dir) {
        List<String> c = components(dir);
        for (int i = c.size() - 1; i >= 0; i--) todo.addFirst(c.get(i));
    }

    private record Step(Node node, String name) {}

    private static String join(Deque<Step> stack, String name) {
        StringBuilder sb = new StringBuilder();
        var it = stack.descendingIterator();
        while (it.hasNext()) {
            Step s = it.next();
            if (!s.name.isEmpty()) sb.append('/').append(s.name);
        }
        sb.append('/').append(name);
        return sb.toString();
    }

    public Resolved resolve(String cwd, String path, boolean followLast) {
        return resolve(cwd, null, path, followLast);
    }

    /** Reads a whole regular file (for exec, scripts and file mappings); at most {@code max} bytes or EFBIG. */
    public static byte[] readAll(Node node, long max) {
        if (node.type() != FileType.REGULAR) throw new SyscallError(node.type() == FileType.DIRECTORY ? Errno.EISDIR : Errno.EACCES);
        if (node instanceof MemFile mf) {
            if (mf.size() > max) throw new SyscallError(Errno.EFBIG);
            return mf.contents();
        }
        FileHandle h = node.open(OpenFlags.O_RDONLY);
        try {
            long size = h.size();
            if (size > max) throw new SyscallError(Errno.EFBIG);
            byte[] out = new byte[(int) size];
            int pos = 0;
            while (pos < out.length) {
                int n = h.read(pos, out, pos, out.length - pos);
                if (n <= 0) break;
                pos += n;
            }
            return pos == out.length ? out : java.util.Arrays.copyOf(out, pos);
        } finally {
            h.close();
        }
    }

    /**
     * The content hash and first bytes of a regular file, for exec: a memory file answers from its
     * per-version cache; any other file is read once (up to {@code max} bytes) and those bytes hashed.
     */
    public static ExecContent execContent(Node node, int headBytes, long max) {
        if (node instanceof MemFile mf) return mf.execContent(headBytes);
        byte[] all = readAll(node, max);
        return new ExecContent(dev.nojit.bundle.Sha256.hex(all), java.util.Arrays.copyOf(all, Math.min(all.length, headBytes)));
    }

    /**
     * A memory file linked nowhere (memfd_create): it and its bytes count against the writable-layer
     * quota (ENOSPC) and are freed when the last descriptor closes.
     */
    public Node anonymousFile(int mode) {
        MemFile f = new MemFile(mode, quota);
        f.nlink = 0;
        f.chargeNode(quota);
        return f;
    }

    /** A read-only open file over fixed bytes (a script pinned to the content the exec gate checked). */
    public static FileHandle readOnlyBytes(byte[] bytes) {
        return new FileHandle() {
            @Override
            public int read(long pos, byte[] buf, int off, int len) {
                if (pos >= bytes.length) return 0;
                int n = (int) Math.min(len, bytes.length - pos);
                System.arraycopy(bytes, (int) pos, buf, off, n);
                return n;
            }

            @Override
            public int write(long pos, byte[] buf, int off, int len) {
                throw new SyscallError(Errno.EBADF);
            }

            @Override
            public long size() {
                return bytes.length;
            }
        };
    }
}
