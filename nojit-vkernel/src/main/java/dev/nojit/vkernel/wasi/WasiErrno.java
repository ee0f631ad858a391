package dev.nojit.vkernel.wasi;

import dev.nojit.vkernel.syscall.Errno;

/**
 * WASI preview 1 errno values, and the mapping from the vkernel's Linux errno. WASI numbers its
 * errors alphabetically, so nothing carries over by value: every Linux errno that has a WASI
 * counterpart is listed; the few without one (ENOTBLK, ECHRNG, the STREAMS errors…) become IO.
 */
final class WasiErrno {
    private WasiErrno() {}

    static final int SUCCESS = 0, TOOBIG = 1, ACCES = 2, ADDRINUSE = 3, ADDRNOTAVAIL = 4, AFNOSUPPORT = 5, AGAIN = 6,
            ALREADY = 7, BADF = 8, BADMSG = 9, BUSY = 10, CANCELED = 11, CHILD = 12, CONNABORTED = 13,
            CONNREFUSED = 14, CONNRESET = 15, DEADLK = 16, DESTADDRREQ = 17, DOM = 18, DQUOT = 19, EXIST = 20,
            FAULT = 21, FBIG = 22, HOSTUNREACH = 23, IDRM = 24, ILSEQ = 25, INPROGRESS = 26, INTR = 27, INVAL = 28,
            IO = 29, ISCONN = 30, ISDIR = 31, LOOP = 32, MFILE = 33, MLINK = 34, MSGSIZE = 35, MULTIHOP = 36,
            NAMETOOLONG = 37, NETDOWN = 38, NETRESET = 39, NETUNREACH = 40, NFILE = 41, NOBUFS = 42, NODEV = 43,
            NOENT = 44, NOEXEC = 45, NOLCK = 46, NOLINK = 47, NOMEM = 48, NOMSG = 49, NOPROTOOPT = 50, NOSPC = 51,
            NOSYS = 52, NOTCONN = 53, NOTDIR = 54, NOTEMPTY = 55, NOTRECOVERABLE = 56, NOTSOCK = 57, NOTSUP = 58,
            NOTTY = 59, NXIO = 60, OVERFLOW = 61, OWNERDEAD = 62, PERM = 63, PIPE = 64, PROTO = 65,
            PROTONOSUPPORT = 66, PROTOTYPE = 67, RANGE = 68, ROFS = 69, SPIPE = 70, SRCH = 71, STALE = 72,
            TIMEDOUT = 73, TXTBSY = 74, XDEV = 75, NOTCAPABLE = 76;

    /** Linux errno (x86-64) → WASI errno; indexed by the Linux number. */
    private static final int[] FROM_LINUX = new int[134];

    static {
        java.util.Arrays.fill(FROM_LINUX, IO);
        FROM_LINUX[0] = SUCCESS;
        map(Errno.EPERM, PERM);
        map(Errno.ENOENT, NOENT);
        map(Errno.ESRCH, SRCH);
        map(Errno.EINTR, INTR);
        map(Errno.EIO, IO);
        map(Errno.ENXIO, NXIO);
        map(Errno.E2BIG, TOOBIG);
        map(Errno.ENOEXEC, NOEXEC);
        map(Errno.EBADF, BADF);
        map(Errno.ECHILD, CHILD);
        map(Errno.EAGAIN, AGAIN);
        map(Errno.ENOMEM, NOMEM);
        map(Errno.EACCES, ACCES);
        map(Errno.EFAULT, FAULT);
        map(Errno.EBUSY, BUSY);
        map(Errno.EEXIST, EXIST);
        map(Errno.EXDEV, XDEV);
        map(Errno.ENODEV, NODEV);
        map(Errno.ENOTDIR, NOTDIR);
        map(Errno.EISDIR, ISDIR);
        map(Errno.EINVAL, INVAL);
        map(Errno.ENFILE, NFILE);
        map(Errno.EMFILE, MFILE);
        map(Errno.ENOTTY, NOTTY);
        map(Errno.ETXTBSY, TXTBSY);
        map(Errno.EFBIG, FBIG);
        map(Errno.ENOSPC, NOSPC);
        map(Errno.ESPIPE, SPIPE);
        map(Errno.EROFS, ROFS);
        map(Errno.EMLINK, MLINK);
        map(Errno.EPIPE, PIPE);
        map(33, DOM); // EDOM
        map(Errno.ERANGE, RANGE);
        map(Errno.EDEADLK, DEADLK);
        map(Errno.ENAMETOOLONG, NAMETOOLONG);
        map(37, NOLCK); // ENOLCK
        map(Errno.ENOSYS, NOSYS);
        map(Errno.ENOTEMPTY, NOTEMPTY);
        map(Errno.ELOOP, LOOP);
        map(42, NOMSG); // ENOMSG
        map(43, IDRM); // EIDRM
        map(Errno.ENODATA, NOENT); // no attribute of that name: WASI has no ENODATA
        map(62, TIMEDOUT); // ETIME
        map(67, NOLINK); // ENOLINK
        map(71, PROTO); // EPROTO
        map(72, MULTIHOP); // EMULTIHOP
        map(74, BADMSG); // EBADMSG
        map(Errno.EOVERFLOW, OVERFLOW);
        map(84, ILSEQ); // EILSEQ
        map(Errno.ENOTSOCK, NOTSOCK);
        map(89, DESTADDRREQ); // EDESTADDRREQ
        map(90, MSGSIZE); // EMSGSIZE
        map(91, PROTOTYPE); // EPROTOTYPE
        map(92, NOPROTOOPT); // ENOPROTOOPT
        map(Errno.EPROTONOSUPPORT, PROTONOSUPPORT);
        map(94, NOTSUP); // ESOCKTNOSUPPORT
        map(Errno.EOPNOTSUPP, NOTSUP); // also ENOTSUP: the same number on Linux
        map(96, AFNOSUPPORT); // EPFNOSUPPORT
        map(Errno.EAFNOSUPPORT, AFNOSUPPORT);
        map(98, ADDRINUSE); // EADDRINUSE
        map(99, ADDRNOTAVAIL); // EADDRNOTAVAIL
        map(100, NETDOWN); // ENETDOWN
        map(101, NETUNREACH); // ENETUNREACH
        map(102, NETRESET); // ENETRESET
        map(103, CONNABORTED); // ECONNABORTED
        map(104, CONNRESET); // ECONNRESET
        map(105, NOBUFS); // ENOBUFS
        map(106, ISCONN); // EISCONN
        map(Errno.ENOTCONN, NOTCONN);
        map(Errno.ETIMEDOUT, TIMEDOUT);
        map(111, CONNREFUSED); // ECONNREFUSED
        map(113, HOSTUNREACH); // EHOSTUNREACH
        map(114, ALREADY); // EALREADY
        map(115, INPROGRESS); // EINPROGRESS
        map(116, STALE); // ESTALE
        map(122, DQUOT); // EDQUOT
        map(125, CANCELED); // ECANCELED
        map(130, OWNERDEAD); // EOWNERDEAD
        map(131, NOTRECOVERABLE); // ENOTRECOVERABLE
    }

    private static void map(int linux, int wasi) {
        FROM_LINUX[linux] = wasi;
    }

    static int fromLinux(int errno) {
        return errno >= 0 && errno < FROM_LINUX.length ? FROM_LINUX[errno] : IO;
    }
}
