package dev.nojit.vkernel.syscall;

import dev.nojit.vkernel.fs.DirNotify;
import dev.nojit.vkernel.fs.OpenFile;
import dev.nojit.vkernel.fs.OpenFlags;
import dev.nojit.vkernel.process.Process;
import dev.nojit.vkernel.process.Signals;

/**
 * fcntl's directory notification commands — F_NOTIFY, F_SETSIG, F_GETSIG — and the reports the
 * content syscalls make to {@link DirNotify} (a file read or written through its description).
 */
final class DirNotifySyscalls {
    private DirNotifySyscalls() {}

    static final int F_SETSIG = 10, F_GETSIG = 11, F_NOTIFY = 1026;

    /** fcntl(fd, F_NOTIFY, arg): arg is the kernel's {@code unsigned int} (DN_MULTISHOT is bit 31). */
    static long notify(Process p, int fd, long argWord) {
        OpenFile file = described(p, fd);
        int arg = (int) argWord;
        p.kernel().vfs().dirNotify().register(file, p.fdTable(), arg, sig -> sendToOwner(p, sig));
        return 0;
    }

    /** fcntl(fd, F_SETSIG, sig): 0 restores SIGIO; anything above NSIG is EINVAL. */
    static long setSig(Process p, int fd, long argWord) {
        OpenFile file = described(p, fd);
        int sig = (int) argWord; // the kernel's unsigned int: a negative value is a huge one
        if (Integer.compareUnsigned(sig, Signals.NSIG) > 0) throw new SyscallError(Errno.EINVAL);
        file.setOwnerSignal(sig);
        return 0;
    }

    static long getSig(Process p, int fd) {
        return described(p, fd).ownerSignal();
    }

    /**
     * The description of {@code fd}. An O_PATH descriptor is EBADF: fcntl(2) allows it only
     * F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD and F_GETFL.
     */
    private static OpenFile described(Process p, int fd) {
        OpenFile file = p.fdTable().get(fd);
        if ((file.flags() & OpenFlags.O_PATH) != 0) throw new SyscallError(Errno.EBADF);
        return file;
    }

    /** A notification for {@code p}: like any signal, except that pid 1 ignores one it has no handler for (Linux's init). */
    private static void sendToOwner(Process p, int sig) {
        if (p.pid() == 1 && p.signals().action(sig).handler() == Signals.SIG_DFL) return;
        p.signal(sig);
    }

    /** read, readv, pread, sendfile's source: {@code n} bytes came out of {@code f}. */
    static void accessed(Process p, OpenFile f, long n) {
        if (n > 0) p.kernel().vfs().dirNotify().contentEvent(f, DirNotify.DN_ACCESS);
    }

    /** write, writev, pwrite, sendfile's target: {@code n} bytes went into {@code f}. */
    static void modified(Process p, OpenFile f, long n) {
        if (n > 0) truncated(p, f);
    }

    /** ftruncate, fallocate: {@code f}'s size or content changed, whatever it was before. */
    static void truncated(Process p, OpenFile f) {
        p.kernel().vfs().dirNotify().contentEvent(f, DirNotify.DN_MODIFY);
    }
}
