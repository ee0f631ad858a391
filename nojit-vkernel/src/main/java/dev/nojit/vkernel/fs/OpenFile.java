package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.util.List;
import java.util.function.IntConsumer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open file description: what open(2) creates and dup(2) and fork share — the content
 * handle, the offset and the status flags. The handle is closed when the last descriptor
 * referring to this description is closed.
 */
public final class OpenFile {
    private final Node node;           // null for pipes and host streams
    private final FileHandle handle;   // null for directories and O_PATH
    private final String path;         // what /proc/PID/fd/N shows
    private final AtomicInteger refs = new AtomicInteger(1);
    private volatile int flags;
    private long offset;
    private List<String> dirEntries;   // directory listing taken at the first getdents
    private volatile Runnable onLastRelease; // drops the locks this description owns (flock, OFD locks)
    private volatile Node openedIn;    // the directory its path was resolved in (dnotify's ACCESS, MODIFY, ATTRIB); null if none
    private volatile int ownerSignal;  // F_SETSIG: what dnotify sends the owner (0: SIGIO)
    private volatile IntConsumer owner; // who dnotify signals: the last caller of F_NOTIFY on this description

    public OpenFile(Node node, FileHandle handle, String path, int flags) {
        this.node = node;
        this.handle = handle;
        this.path = path;
        this.flags = flags;
    }

    public Node node() {
        return node;
    }

    public String path() {
        return path;
    }

    /** open(2) by name: the directory the name was found in, where dnotify reports this file's events. */
    public void setOpenedIn(Node dir) {
        openedIn = dir == node ? null : dir;
    }

    public Node openedIn() {
        return openedIn;
    }

    /** fcntl(F_GETSIG). */
    public int ownerSignal() {
        return ownerSignal;
    }

    /** fcntl(F_SETSIG): {@code sig} is 0..NSIG, checked by the caller. */
    public void setOwnerSignal(int sig) {
        ownerSignal = sig;
    }

    void setOwner(IntConsumer owner) {
        this.owner = owner;
    }

    /** Sends the owner the F_SETSIG signal, or {@code otherwise} when none is set. */
    void signalOwner(int otherwise) {
        IntConsumer o = owner;
        int sig = ownerSignal;
        if (o != null) o.accept(sig != 0 ? sig : otherwise);
    }


    public int flags() {
        return flags;
    }

    /** fcntl(F_SETFL): only O_APPEND and O_NONBLOCK may change. */
    public void setStatusFlags(int newFlags) {
        int mutable = OpenFlags.O_APPEND | OpenFlags.O_NONBLOCK;
        flags = (flags & ~mutable) | (newFlags & mutable);
    }

    public boolean readable() {
        int acc = flags & OpenFlags.O_ACCMODE;
        return handle != null && (flags & OpenFlags.O_PATH) == 0 && (acc == OpenFlags.O_RDONLY || acc == OpenFlags.O_RDWR);
    }

    public boolean writable() {
        int acc = flags & OpenFlags.O_ACCMODE;
        return handle != null && (flags & OpenFlags.O_PATH) == 0 && (acc == OpenFlags.O_WRONLY || acc == OpenFlags.O_RDWR);
    }

    public FileHandle handle() {
        if (handle == null) throw new SyscallError(node != null && node.type() == FileType.DIRECTORY ? Errno.EISDIR : Errno.EBADF);
        return handle;
    }

    /** Whether the content has positions (files) rather than being a stream (pipes, devices, directories count as seekable). */
    public boolean handleSeekable() {
        return handle == null || handle.seekable();
    }

    public boolean isDirectory() {
        return node != null && handle == null && (flags & OpenFlags.O_PATH) == 0 && node.type() == FileType.DIRECTORY;
    }

    /** Whether some descriptor (or mapping) still refers to this description: a descriptor table never holds a released one. */
    public boolean isOpen() {
        return refs.get() > 0;
    }

    public void retain() {
        refs.incrementAndGet();
    }

    public void release() {
        if (refs.decrementAndGet() != 0) return;
        Runnable r = onLastRelease;
        if (r != null) r.run();
        if (handle != null) handle.close();
    }

    /** Runs {@code r} when the last reference goes (set when the description takes a lock of its own). */
    public void onLastRelease(Runnable r) {
        onLastRelease = r;
    }

    /** read(2): at the offset, which advances. */
    public int read(byte[] buf, int off, int len) {
        if (!readable()) throw new SyscallError(isDirectory() ? Errno.EISDIR : Errno.EBADF);
        if (!handle.seekable()) return streamRead(buf, off, len);
        synchronized (this) {
            int n = handle.read(offset, buf, off, len);
            offset += n;
            return n;
        }
    }

    private int streamRead(byte[] buf, int off, int len) {
        if ((flags & OpenFlags.O_NONBLOCK) != 0 && handle instanceof Pipe.PipeEnd p) return p.readNonBlocking(buf, off, len);
        return handle.read(0, buf, off, len);
    }

    /** write(2): at the offset (or the end with O_APPEND), which advances. */
    public int write(byte[] buf, int off, int len) {
        if (!writable()) throw new SyscallError(Errno.EBADF);
        if (!handle.seekable()) {
            if ((flags & OpenFlags.O_NONBLOCK) != 0 && handle instanceof Pipe.PipeEnd p) return p.writeNonBlocking(buf, off, len);
            return handle.write(0, buf, off, len);
        }
        synchronized (this) {
            if ((flags & OpenFlags.O_APPEND) != 0) offset = handle.size();
            int n = handle.write(offset, buf, off, len);
            offset += n;
            return n;
        }
    }

    public int pread(long pos, byte[] buf, int off, int len) {
        if (!readable()) throw new SyscallError(isDirectory() ? Errno.EISDIR : Errno.EBADF);
        if (!handle.seekable()) throw new SyscallError(Errno.ESPIPE);
        if (pos < 0) throw new SyscallError(Errno.EINVAL);
        return handle.read(pos, buf, off, len);
    }

    public int pwrite(long pos, byte[] buf, int off, int len) {
        if (!writable()) throw new SyscallError(Errno.EBADF);
        if (!handle.seekable()) throw new SyscallError(Errno.ESPIPE);
        if (pos < 0) throw new SyscallError(Errno.EINVAL);
        return handle.write(pos, buf, off, len);
    }

    public static final int SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2;

    public synchronized long seek(long off, int whence) {
        if (handle != null && !handle.seekable()) throw new SyscallError(Errno.ESPIPE);
        long base = switch (whence) {
            case SEEK_SET -> 0;
            case SEEK_CUR -> offset;
            case SEEK_END -> handle == null ? 0 : handle.size();
            default -> throw new SyscallError(Errno.EINVAL);
        };
        long next = base + off;
        if (next < 0) throw new SyscallError(Errno.EINVAL);
        if (handle == null) dirEntries = null; // rewinddir
        offset = next;
        return next;
    }

    public synchronized long offset() {
        return offset;
    }

    /** The directory's entries as getdents sees them, taken once per description (".", ".." first). */
    public synchronized List<String> dirEntries() {
        if (node == null || node.type() != FileType.DIRECTORY) throw new SyscallError(Errno.ENOTDIR);
        if (dirEntries == null || offset == 0) {
            List<String> names = new java.util.ArrayList<>(List.of(".", ".."));
            names.addAll(node.list());
            dirEntries = names;
        }
        return dirEntries;
    }

    public synchronized void setOffset(long off) {
        offset = off;
    }
}
