package dev.nojit.vkernel.wasi;

import dev.nojit.vkernel.syscall.Errno;

/** WASI preview 1 errno values, and the mapping from the vkernel's Linux errno. */
final class WasiErrno {
    private WasiErrno() {}

    static final int SUCCESS = 0, TOOBIG = 1, ACCES = 2, AGAIN = 6, BADF = 8, BUSY = 10, CHILD = 12, EXIST = 20,
            FAULT = 21, FBIG = 22, INTR = 27, INVAL = 28, IO = 29, ISDIR = 31, LOOP = 32, MFILE = 33, MLINK = 34,
            NAMETOOLONG = 37, NFILE = 41, NODEV = 43, NOENT = 44, NOEXEC = 45, NOMEM = 48, NOSPC = 51, NOSYS = 52,
            NOTDIR = 54, NOTEMPTY = 55, NOTSUP = 58, NOTTY = 59, NXIO = 60, OVERFLOW = 61, PERM = 63, PIPE = 64,
            RANGE = 68, ROFS = 69, SPIPE = 70, SRCH = 71, TIMEDOUT = 73, TXTBSY = 74, XDEV = 75, AFNOSUPPORT = 5;

    static int fromLinux(int errno) {
        return switch (errno) {
            case Errno.EPERM -> PERM;
            case Errno.ENOENT -> NOENT;
            case Errno.ESRCH -> SRCH;
            case Errno.EINTR -> INTR;
            case Errno.EIO -> IO;
            case Errno.ENXIO -> NXIO;
            case Errno.E2BIG -> TOOBIG;
            case Errno.ENOEXEC -> NOEXEC;
            case Errno.EBADF -> BADF;
            case Errno.ECHILD -> CHILD;
            case Errno.EAGAIN -> AGAIN;
            case Errno.ENOMEM -> NOMEM;
            case Errno.EACCES -> ACCES;
            case Errno.EFAULT -> FAULT;
            case Errno.EBUSY -> BUSY;
            case Errno.EEXIST -> EXIST;
            case Errno.EXDEV -> XDEV;
            case Errno.ENODEV -> NODEV;
            case Errno.ENOTDIR -> NOTDIR;
            case Errno.EISDIR -> ISDIR;
            case Errno.EINVAL -> INVAL;
            case Errno.ENFILE -> NFILE;
            case Errno.EMFILE -> MFILE;
            case Errno.ENOTTY -> NOTTY;
            case Errno.ETXTBSY -> TXTBSY;
            case Errno.EFBIG -> FBIG;
            case Errno.ENOSPC -> NOSPC;
            case Errno.ESPIPE -> SPIPE;
            case Errno.EROFS -> ROFS;
            case Errno.EMLINK -> MLINK;
            case Errno.EPIPE -> PIPE;
            case Errno.ERANGE -> RANGE;
            case Errno.ENAMETOOLONG -> NAMETOOLONG;
            case Errno.ENOSYS -> NOSYS;
            case Errno.ENOTEMPTY -> NOTEMPTY;
            case Errno.ELOOP -> LOOP;
            case Errno.EOVERFLOW -> OVERFLOW;
            case Errno.EOPNOTSUPP -> NOTSUP;
            case Errno.ETIMEDOUT -> TIMEDOUT;
            case Errno.EAFNOSUPPORT -> AFNOSUPPORT;
            default -> IO;
        };
    }
}
