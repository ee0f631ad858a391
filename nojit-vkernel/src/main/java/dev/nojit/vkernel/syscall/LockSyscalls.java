package dev.nojit.vkernel.syscall;

import dev.nojit.vkernel.fs.FileLocks;
import dev.nojit.vkernel.fs.FileLocks.DescriptionOwner;
import dev.nojit.vkernel.fs.FileLocks.Owner;
import dev.nojit.vkernel.fs.FileLocks.ProcessOwner;
import dev.nojit.vkernel.fs.OpenFile;
import dev.nojit.vkernel.fs.OpenFlags;
import dev.nojit.vkernel.memory.GuestMemory;
import dev.nojit.vkernel.process.Process;

/**
 * Advisory file locks: flock(2), and fcntl(2)'s record-lock commands (F_GETLK, F_SETLK, F_SETLKW
 * and the open-file-description F_OFD_* ones), over the container's {@link FileLocks}.
 *
 * <p>{@code struct flock} is x86-64's, 32 bytes: l_type (short) @0, l_whence (short) @2,
 * l_start (off_t) @8, l_len (off_t) @16, l_pid (pid_t) @24. nojit's C library is ILP32 with a
 * 64-bit off_t, so, like any such libc, it issues i386's F_GETLK64/F_SETLK64/F_SETLKW64 (12, 13,
 * 14) with that same layout; fcntl takes both numberings (x86-64 has no other command there).
 */
final class LockSyscalls {
    private LockSyscalls() {}

    static final int FLOCK_SIZE = 32;
    static final int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;

    static void register(SyscallTable t) {
        t.add("flock", (p, a) -> flock(p, (int) a[0], (int) a[1]));
    }

    /** flock(fd, operation): a whole-file lock owned by the open file description. */
    static long flock(Process p, int fd, int operation) {
        OpenFile f = p.fdTable().get(fd);
        boolean nonBlocking = (operation & LOCK_NB) != 0;
        short type = switch (operation & ~LOCK_NB) {
            case LOCK_SH -> FileLocks.F_RDLCK;
            case LOCK_EX -> FileLocks.F_WRLCK;
            case LOCK_UN -> FileLocks.F_UNLCK;
            default -> throw new SyscallError(Errno.EINVAL);
        };
        // An O_PATH descriptor only names a file: "the file itself is not opened" (open(2)), so it holds no lock.
        if ((f.flags() & OpenFlags.O_PATH) != 0) throw new SyscallError(Errno.EBADF);
        FileLocks locks = p.kernel().fileLocks();
        f.onLastRelease(() -> locks.descriptionClosed(f));
        if (nonBlocking || type == FileLocks.F_UNLCK) locks.flock(f, type, false);
        else p.blocking(() -> {
            locks.flock(f, type, true);
            return 0L;
        });
        return 0;
    }

    /** fcntl(F_GETLK / F_OFD_GETLK): reports the first lock that would block the one described, or F_UNLCK. */
    static long getlk(Process p, OpenFile f, long flockPtr, boolean ofd) {
        GuestMemory m = p.memory();
        m.check(flockPtr, FLOCK_SIZE);
        Request r = Request.decode(p, f, m, flockPtr, ofd);
        // fcntl_getlk: only a read or write lock can be tested.
        if (r.type == FileLocks.F_UNLCK) throw new SyscallError(Errno.EINVAL);
        FileLocks.Lock held = p.kernel().fileLocks().conflicting(f, r.owner, r.type, r.start, r.end);
        if (held == null) {
            // "If no lock could be placed, ... Otherwise F_GETLK returns details ..."; no conflict: only l_type changes.
            m.writeShort(flockPtr, FileLocks.F_UNLCK);
            return 0;
        }
        m.writeShort(flockPtr, held.type());
        m.writeShort(flockPtr + 2, OpenFile.SEEK_SET);
        m.writeLong(flockPtr + 8, held.start());
        m.writeLong(flockPtr + 16, held.end() == FileLocks.TO_EOF ? 0 : held.end() - held.start() + 1);
        m.writeInt(flockPtr + 24, held.pid());
        return 0;
    }

    /** fcntl(F_SETLK / F_SETLKW / F_OFD_SETLK / F_OFD_SETLKW). */
    static long setlk(Process p, OpenFile f, long flockPtr, boolean ofd, boolean wait) {
        GuestMemory m = p.memory();
        m.check(flockPtr, FLOCK_SIZE);
        Request r = Request.decode(p, f, m, flockPtr, ofd);
        int acc = f.flags() & OpenFlags.O_ACCMODE;
        // "EBADF: cmd is F_SETLK or F_SETLKW and the file descriptor open mode doesn't match with the type of lock requested."
        if (r.type == FileLocks.F_RDLCK && acc == OpenFlags.O_WRONLY) throw new SyscallError(Errno.EBADF);
        if (r.type == FileLocks.F_WRLCK && acc == OpenFlags.O_RDONLY) throw new SyscallError(Errno.EBADF);
        FileLocks locks = p.kernel().fileLocks();
        if (ofd) f.onLastRelease(() -> locks.descriptionClosed(f));
        int pid = ofd ? -1 : p.pid();
        if (!wait || r.type == FileLocks.F_UNLCK) locks.setRecordLock(f, r.owner, pid, r.type, r.start, r.end, false);
        else p.blocking(() -> {
            locks.setRecordLock(f, r.owner, pid, r.type, r.start, r.end, true);
            return 0L;
        });
        return 0;
    }

    /** A decoded struct flock: the lock type, its owner, and the absolute byte range start..end (inclusive). */
    private record Request(short type, Owner owner, long start, long end) {
        static Request decode(Process p, OpenFile f, GuestMemory m, long ptr, boolean ofd) {
            if ((f.flags() & OpenFlags.O_PATH) != 0) throw new SyscallError(Errno.EBADF);
            short lType = m.readShort(ptr);
            short lWhence = m.readShort(ptr + 2);
            long lStart = m.readLong(ptr + 8);
            long lLen = m.readLong(ptr + 16);
            int lPid = m.readInt(ptr + 24);
            if (lType != FileLocks.F_RDLCK && lType != FileLocks.F_WRLCK && lType != FileLocks.F_UNLCK) {
                throw new SyscallError(Errno.EINVAL);
            }
            // "If cmd is F_OFD_SETLK, F_OFD_SETLKW or F_OFD_GETLK ... l_pid must be set to zero" (else EINVAL).
            if (ofd && lPid != 0) throw new SyscallError(Errno.EINVAL);
            long base = switch (lWhence) {
                case OpenFile.SEEK_SET -> 0;
                case OpenFile.SEEK_CUR -> f.offset();
                case OpenFile.SEEK_END -> f.node() != null ? f.node().stat().size() : 0;
                default -> throw new SyscallError(Errno.EINVAL);
            };
            // Linux's flock_to_posix_lock: an offset past the largest one is EOVERFLOW, a negative start EINVAL.
            if (lStart > 0 && base > FileLocks.TO_EOF - lStart) throw new SyscallError(Errno.EOVERFLOW);
            long start = base + lStart;
            if (start < 0) throw new SyscallError(Errno.EINVAL);
            long end;
            if (lLen > 0) {
                if (lLen - 1 > FileLocks.TO_EOF - start) throw new SyscallError(Errno.EOVERFLOW);
                end = start + lLen - 1;
            } else if (lLen < 0) {
                // POSIX.1-2001: "If l_len is negative, the interval described by lock covers bytes l_start+l_len up to and including l_start-1."
                if (start + lLen < 0) throw new SyscallError(Errno.EINVAL);
                end = start - 1;
                start += lLen;
            } else {
                end = FileLocks.TO_EOF; // "a value of 0 ... lock all bytes starting at ... through to the end of file"
            }
            Owner owner = ofd ? new DescriptionOwner(f) : new ProcessOwner(p.pid());
            return new Request(lType, owner, start, end);
        }
    }
}
