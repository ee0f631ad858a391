package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The container's advisory file locks: byte-range record locks (fcntl F_SETLK, F_OFD_SETLK, and
 * lockf on top of them) and whole-file flock(2) locks, per file (its device and inode number, as
 * stat reports them, so every path and descriptor of one file meets the same locks).
 *
 * <p>Owners, as Linux has them: a record lock taken with F_SETLK belongs to the process (its pid),
 * one taken with F_OFD_SETLK and a flock lock to the open file description. Record locks of both
 * kinds conflict with each other; flock locks only with flock locks. Two locks conflict when they
 * overlap, have different owners, and at least one is a write (exclusive) lock.
 *
 * <p>Release: a process's record locks on a file go when it closes any descriptor of that file and
 * when it exits ({@link #closedBy}, {@link #exited}); description-owned locks when the description's
 * last reference goes ({@link #descriptionClosed}). Waiters (F_SETLKW, blocking flock) wake on every
 * release. The whole table holds at most {@link #MAX_LOCKS} locks (ENOLCK past it), so a guest that
 * splits ranges without end cannot grow the host heap.
 */
public final class FileLocks {
    /** Lock types as struct flock's l_type carries them. */
    public static final short F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;
    /** The last byte of a lock that runs to the end of the file, whatever its length becomes (Linux's OFFSET_MAX). */
    public static final long TO_EOF = Long.MAX_VALUE;
    public static final int MAX_LOCKS = 16384;
    /** How far the deadlock check follows the chain of waiting owners (Linux: MAX_DEADLK_ITERATIONS). */
    private static final int MAX_DEADLOCK_STEPS = 10;

    /** Who a lock belongs to: a process (F_SETLK) or an open file description (F_OFD_SETLK, flock). */
    public sealed interface Owner permits ProcessOwner, DescriptionOwner {}

    public record ProcessOwner(int pid) implements Owner {}

    /** Identity of one open file description (records compare by reference here, not by the description's state). */
    public record DescriptionOwner(OpenFile description) implements Owner {
        @Override
        public boolean equals(Object o) {
            return o instanceof DescriptionOwner d && d.description == description;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(description);
        }
    }

    /** One held lock over bytes {@code start..end} (inclusive; end {@link #TO_EOF}). */
    public record Lock(Owner owner, short type, long start, long end, int pid) {
        boolean overlaps(long s, long e) {
            return start <= e && s <= end;
        }

        boolean conflictsWith(Owner other, short otherType, long s, long e) {
            return !owner.equals(other) && overlaps(s, e) && (type == F_WRLCK || otherType == F_WRLCK);
        }
    }

    /** A file, as stat names it; pipes and other files without a node are named by their content handle. */
    private record FileKey(long dev, long ino, Object handle) {}

    private final Map<FileKey, List<Lock>> records = new HashMap<>();
    private final Map<FileKey, List<Lock>> flocks = new HashMap<>();
    /** Owners blocked in F_SETLKW, and the owner holding the lock each waits for: the deadlock check walks it. */
    private final Map<Owner, Owner> waitingFor = new HashMap<>();
    /** Pids holding at least one record lock: a close by any other process skips the stat. */
    private final Map<Integer, Integer> recordLocksByPid = new HashMap<>();
    private int count;

    private static FileKey keyOf(OpenFile f) {
        if (f.node() != null) {
            Stat st = f.node().stat();
            return new FileKey(st.dev(), st.ino(), null);
        }
        return new FileKey(0, 0, f.handle());
    }

    // --- record locks (fcntl) ---

    /** F_GETLK: the first lock that would stop {@code owner} taking {@code type} over the range, or null. */
    public Lock conflicting(OpenFile f, Owner owner, short type, long start, long end) {
        FileKey key = keyOf(f); // outside the monitor: a host file's stat is a host call
        synchronized (this) {
            return firstConflict(records.get(key), owner, type, start, end);
        }
    }

    /**
     * F_SETLK/F_SETLKW: sets {@code type} (F_UNLCK removes) over the range for {@code owner}, merging
     * with and splitting the owner's own locks as Linux does. Without {@code wait} a conflict is EAGAIN;
     * with it the caller waits (interruptibly: EINTR), or gets EDEADLK when the holder is itself waiting,
     * directly or through others, for a lock this owner holds.
     */
    public void setRecordLock(OpenFile f, Owner owner, int pid, short type, long start, long end, boolean wait) {
        setRecordLock(keyOf(f), owner, pid, type, start, end, wait);
    }

    private synchronized void setRecordLock(FileKey key, Owner owner, int pid, short type, long start, long end, boolean wait) {
        while (true) {
            List<Lock> held = records.get(key);
            Lock blocker = type == F_UNLCK ? null : firstConflict(held, owner, type, start, end);
            if (blocker == null) {
                replaceRange(records, key, owner, pid, type, start, end);
                return;
            }
            // "If a conflicting lock is held on the file, then return -1 and set errno to EACCES or EAGAIN" (fcntl(2)); Linux: EAGAIN.
            if (!wait) throw new SyscallError(Errno.EAGAIN);
            if (wouldDeadlock(owner, blocker.owner())) throw new SyscallError(Errno.EDEADLK);
            waitingFor.put(owner, blocker.owner());
            try {
                waitForRelease();
            } finally {
                waitingFor.remove(owner);
            }
        }
    }

    private boolean wouldDeadlock(Owner me, Owner holder) {
        if (!(me instanceof ProcessOwner)) return false; // Linux checks only between processes' locks
        Owner o = holder;
        for (int i = 0; i < MAX_DEADLOCK_STEPS && o != null; i++) {
            if (o.equals(me)) return true;
            o = waitingFor.get(o);
        }
        return false;
    }

    /** A process closed a descriptor of {@code f}: "all of the process's locks on that file are released" (fcntl(2)). */
    public void closedBy(int pid, OpenFile f) {
        synchronized (this) {
            if (!recordLocksByPid.containsKey(pid)) return;
        }
        FileKey key;
        try {
            key = keyOf(f);
        } catch (SyscallError gone) {
            return; // a host file that can no longer be stat'ed: its locks go when the process exits
        }
        synchronized (this) {
            replaceRange(records, key, new ProcessOwner(pid), pid, F_UNLCK, 0, TO_EOF);
        }
    }

    /** A process exited: every record lock it holds goes. */
    public synchronized void exited(int pid) {
        if (!recordLocksByPid.containsKey(pid)) return;
        Owner owner = new ProcessOwner(pid);
        for (FileKey key : List.copyOf(records.keySet())) replaceRange(records, key, owner, pid, F_UNLCK, 0, TO_EOF);
    }

    /** The last reference to a description went: its OFD record locks and its flock lock go. */
    public synchronized void descriptionClosed(OpenFile f) {
        Owner owner = new DescriptionOwner(f);
        for (FileKey key : List.copyOf(records.keySet())) replaceRange(records, key, owner, -1, F_UNLCK, 0, TO_EOF);
        for (FileKey key : List.copyOf(flocks.keySet())) replaceRange(flocks, key, owner, -1, F_UNLCK, 0, TO_EOF);
    }

    // --- flock(2) ---

    /**
     * flock: {@code type} F_RDLCK (LOCK_SH), F_WRLCK (LOCK_EX) or F_UNLCK (LOCK_UN) over the whole file
     * for the description. "Converting a lock (shared to exclusive, or vice versa) is not guaranteed to
     * be atomic: the existing lock is first removed" (flock(2)), as here.
     */
    public void flock(OpenFile f, short type, boolean wait) {
        flock(keyOf(f), new DescriptionOwner(f), type, wait);
    }

    private synchronized void flock(FileKey key, Owner owner, short type, boolean wait) {
        List<Lock> held = flocks.get(key);
        boolean same = held != null && held.stream().anyMatch(l -> l.owner().equals(owner) && l.type() == type);
        if (same) return;
        replaceRange(flocks, key, owner, -1, F_UNLCK, 0, TO_EOF);
        if (type == F_UNLCK) return;
        while (firstConflict(flocks.get(key), owner, type, 0, TO_EOF) != null) {
            // "A call to flock() may block if an incompatible lock is held by another process. To make a
            // nonblocking request, include LOCK_NB": EWOULDBLOCK (= EAGAIN).
            if (!wait) throw new SyscallError(Errno.EAGAIN);
            waitForRelease();
        }
        replaceRange(flocks, key, owner, -1, type, 0, TO_EOF);
    }

    // --- the range arithmetic ---

    private static Lock firstConflict(List<Lock> held, Owner owner, short type, long start, long end) {
        if (held == null) return null;
        for (Lock l : held) if (l.conflictsWith(owner, type, start, end)) return l;
        return null;
    }

    /**
     * Makes the owner's locks on {@code key} cover {@code start..end} with {@code type} (none for
     * F_UNLCK): its locks overlapping the range are cut back to what lies outside it, then the new
     * lock is added, merged with the owner's adjacent or overlapping locks of the same type.
     */
    private void replaceRange(Map<FileKey, List<Lock>> table, FileKey key, Owner owner, int pid, short type, long start, long end) {
        List<Lock> held = table.get(key);
        if (held == null && type == F_UNLCK) return;
        List<Lock> next = new ArrayList<>();
        long s = start, e = end;
        int ownBefore = 0, ownAfter = type == F_UNLCK ? 0 : 1;
        if (held != null) {
            for (Lock l : held) {
                if (!l.owner().equals(owner)) {
                    next.add(l);
                    continue;
                }
                ownBefore++;
                boolean touches = l.overlaps(s == 0 ? 0 : s - 1, e == TO_EOF ? TO_EOF : e + 1);
                if (type != F_UNLCK && l.type() == type && touches) {
                    s = Math.min(s, l.start()); // same type, overlapping or adjacent: one lock
                    e = Math.max(e, l.end());
                    continue;
                }
                if (!l.overlaps(start, end)) {
                    next.add(l);
                    ownAfter++;
                    continue;
                }
                if (l.start() < start) {
                    next.add(new Lock(owner, l.type(), l.start(), start - 1, l.pid()));
                    ownAfter++;
                }
                if (l.end() > end) {
                    next.add(new Lock(owner, l.type(), end + 1, l.end(), l.pid()));
                    ownAfter++;
                }
            }
        }
        if (type != F_UNLCK) next.add(new Lock(owner, type, s, e, pid));
        int before = held == null ? 0 : held.size();
        if (count - before + next.size() > MAX_LOCKS) throw new SyscallError(Errno.ENOLCK);
        count += next.size() - before;
        if (next.isEmpty()) table.remove(key);
        else table.put(key, next);
        if (owner instanceof ProcessOwner(int p) && table == records && ownAfter != ownBefore) {
            int n = recordLocksByPid.getOrDefault(p, 0) + ownAfter - ownBefore;
            if (n == 0) recordLocksByPid.remove(p);
            else recordLocksByPid.put(p, n);
        }
        if (before > 0) notifyAll(); // a lock may have gone or shrunk: waiters look again
    }

    /** Waits on this table's monitor for a release; a signal (Java interrupt from the process) is EINTR. */
    private void waitForRelease() {
        try {
            wait();
        } catch (InterruptedException e) {
            throw new SyscallError(Errno.EINTR);
        }
    }

    /** Locks held in the whole container (for tests and limits). */
    public synchronized int size() {
        return count;
    }

    /** A copy of the record locks on {@code f}'s file, in no particular order (for tests). */
    public synchronized List<Lock> recordLocks(OpenFile f) {
        List<Lock> held = records.get(keyOf(f));
        return held == null ? List.of() : List.copyOf(held);
    }
}
