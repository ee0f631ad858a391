package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** A process's descriptor table: descriptor number → open file description and its close-on-exec flag. */
public final class FdTable {
    public record Entry(OpenFile file, boolean cloexec) {}

    private final TreeMap<Integer, Entry> fds = new TreeMap<>();
    private int limit;
    private boolean closed; // the process has exited: a syscall still finishing on its thread adds nothing
    private volatile Consumer<OpenFile> closeListener = f -> {};

    public FdTable(int limit) {
        this.limit = limit;
    }

    /**
     * Called with each description a descriptor of this table stops referring to (close, dup2 over it,
     * close-on-exec, exit), before the reference is dropped: the owner's record locks on it go, and
     * the description's dnotify watch registered through this table.
     */
    public void onClose(Consumer<OpenFile> listener) {
        closeListener = listener;
    }

    private void closing(OpenFile f) {
        try {
            closeListener.accept(f);
        } finally {
            f.release(); // whatever the listeners did, the reference goes
        }
    }

    public synchronized int limit() {
        return limit;
    }

    public synchronized void setLimit(int limit) {
        this.limit = limit;
    }

    public synchronized OpenFile get(int fd) {
        Entry e = fds.get(fd);
        if (e == null) throw new SyscallError(Errno.EBADF);
        return e.file;
    }

    public synchronized boolean cloexec(int fd) {
        get(fd);
        return fds.get(fd).cloexec;
    }

    public synchronized void setCloexec(int fd, boolean on) {
        OpenFile f = get(fd);
        fds.put(fd, new Entry(f, on));
    }

    /** Installs {@code file} (whose reference the table takes over) at the lowest free descriptor ≥ {@code min}. */
    public synchronized int add(OpenFile file, boolean cloexec, int min) {
        int fd = Math.max(0, min);
        while (fds.containsKey(fd)) fd++;
        if (closed) {
            file.release();
            throw new SyscallError(Errno.EBADF);
        }
        if (fd >= limit) {
            file.release();
            throw new SyscallError(Errno.EMFILE);
        }
        fds.put(fd, new Entry(file, cloexec));
        return fd;
    }

    public int add(OpenFile file, boolean cloexec) {
        return add(file, cloexec, 0);
    }

    /** dup2/dup3: {@code newFd} refers to {@code oldFd}'s description, closing what it referred to. */
    public int dupTo(int oldFd, int newFd, boolean cloexec) {
        OpenFile old;
        Entry replaced;
        synchronized (this) {
            old = get(oldFd);
            if (newFd < 0 || newFd >= limit) throw new SyscallError(Errno.EBADF);
            old.retain();
            replaced = fds.put(newFd, new Entry(old, cloexec));
        }
        if (replaced != null) closing(replaced.file);
        return newFd;
    }

    public int dup(int oldFd, int min, boolean cloexec) {
        OpenFile f;
        synchronized (this) {
            f = get(oldFd);
            f.retain();
        }
        return add(f, cloexec, min);
    }

    public void close(int fd) {
        Entry e;
        synchronized (this) {
            e = fds.remove(fd);
        }
        if (e == null) throw new SyscallError(Errno.EBADF);
        closing(e.file);
    }

    /** fork: the child's table refers to the same descriptions. */
    public synchronized FdTable copy() {
        FdTable t = new FdTable(limit);
        for (Map.Entry<Integer, Entry> e : fds.entrySet()) {
            e.getValue().file.retain();
            t.fds.put(e.getKey(), e.getValue());
        }
        return t;
    }

    /** execve: close-on-exec descriptors close. */
    public void closeOnExec() {
        List<OpenFile> closing = new ArrayList<>();
        synchronized (this) {
            var it = fds.entrySet().iterator();
            while (it.hasNext()) {
                Entry e = it.next().getValue();
                if (e.cloexec) {
                    closing.add(e.file);
                    it.remove();
                }
            }
        }
        closing.forEach(this::closing);
    }

    /** exit: everything closes. */
    public void closeAll() {
        List<OpenFile> closing;
        synchronized (this) {
            closing = new ArrayList<>();
            for (Entry e : fds.values()) closing.add(e.file);
            fds.clear();
            closed = true;
        }
        closing.forEach(this::closing);
    }

    public synchronized Map<Integer, Entry> snapshot() {
        return new TreeMap<>(fds);
    }

    public synchronized int count() {
        return fds.size();
    }
}
