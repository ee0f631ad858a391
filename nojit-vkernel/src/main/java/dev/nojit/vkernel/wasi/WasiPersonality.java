package dev.nojit.vkernel.wasi;

import dev.nojit.engine.FuncType;
import dev.nojit.engine.HostCall;
import dev.nojit.engine.HostFunction;
import dev.nojit.vkernel.Kernel;
import dev.nojit.vkernel.fs.FileType;
import dev.nojit.vkernel.fs.OpenFile;
import dev.nojit.vkernel.fs.OpenFlags;
import dev.nojit.vkernel.fs.Stat;
import dev.nojit.vkernel.fs.Vfs;
import dev.nojit.vkernel.memory.GuestMemory;
import dev.nojit.vkernel.process.GuestControl;
import dev.nojit.vkernel.process.Process;
import dev.nojit.vkernel.process.WaitStatus;
import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.FileSyscalls;
import dev.nojit.vkernel.syscall.SyscallError;
import dev.nojit.vkernel.syscall.SyscallTable;
import dev.nojit.vkernel.wali.WaliPersonality;

import java.util.Map;
import java.util.TreeMap;

/**
 * WASI preview 1 ({@code wasi_snapshot_preview1}) on the vkernel's processes, file system and
 * descriptor tables — the same ones WALI programs use, so a WASI program started by a WALI shell
 * reads and writes its pipes. Calls that have a Linux counterpart run the Linux handler
 * ({@link WasiFiles}, {@link WasiPaths}); the rest is here. Each function returns a WASI errno;
 * after each, pending signals are delivered as for WALI.
 * <p>
 * Preopens: one, the container root "/", opened at the lowest free descriptor from 3 up each
 * time a WASI image starts (execve included) and recorded on the process
 * ({@link Process#wasiPreopen()}), so it follows the process and not the kernel. Descriptors the
 * program inherited stay where they are: wasi-libc (like Go's runtime) walks descriptors from 3
 * up with {@code fd_prestat_get} and stops at the first EBADF, so an inherited descriptor below
 * the preopen answers a prestat of an unknown kind (tag 1), which such walkers skip, and every
 * other non-preopen descriptor answers EBADF. wasi-libc resolves absolute paths against the
 * preopen and relative ones against its own notion of the working directory, which starts at
 * "/" whatever the process's cwd is.
 */
public final class WasiPersonality {
    public static final String MODULE = "wasi_snapshot_preview1";

    /** A WASI function: the calling process and its arguments; returns the WASI errno. */
    @FunctionalInterface
    interface Function {
        int call(Process p, long[] a);
    }

    /** The functions by name, like the Linux table: stateless, so built once for every container. */
    private static final Map<String, Function> FUNCTIONS = functions();
    private final Kernel kernel;

    public WasiPersonality(Kernel kernel) {
        this.kernel = kernel;
    }

    private static Map<String, Function> functions() {
        Map<String, Function> functions = new TreeMap<>();
        SyscallTable linux = dev.nojit.vkernel.syscall.Syscalls.table();
        WasiEnvironment.register(functions);
        WasiFiles.register(functions, linux);
        WasiPaths.register(functions);
        WasiPoll.register(functions);
        for (String sock : new String[]{"sock_accept", "sock_recv", "sock_send", "sock_shutdown"}) {
            functions.put(sock, (p, a) -> WasiErrno.NOTSUP); // WASI preview 1 has no way to make a socket
        }
        return java.util.Collections.unmodifiableMap(functions);
    }

    /** Gives a starting WASI program its preopened root directory. */
    public void prepare(Process p) {
        int fd = FileSyscalls.openAt(p, OpenFlags.AT_FDCWD, "/", OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY, 0);
        if (fd < 3) { // 0..2 were closed: keep the standard numbers free for stdio
            int moved = p.fdTable().dup(fd, 3, false);
            p.fdTable().close(fd);
            fd = moved;
        }
        p.setWasiPreopen(fd);
    }

    public HostFunction bind(String name, FuncType type) {
        java.util.concurrent.atomic.LongAdder counter = kernel.callCounter(MODULE + "." + name);
        if (name.equals("proc_exit")) {
            return (call, args) -> {
                counter.increment();
                throw new GuestControl.Exit(WaitStatus.exited((int) args[0]));
            };
        }
        Function f = FUNCTIONS.get(name);
        boolean returnsErrno = type.results().size() == 1;
        if (f == null) {
            return (call, args) -> {
                counter.increment();
                kernel.countUnimplemented(MODULE + "." + name);
                return returnsErrno ? new long[]{WasiErrno.NOSYS} : new long[type.results().size()];
            };
        }
        return (call, args) -> {
            counter.increment();
            int r = dispatch(call, name, f, args);
            return returnsErrno ? new long[]{r} : new long[type.results().size()];
        };
    }

    private static int dispatch(HostCall call, String name, Function f, long[] args) {
        Process p = Process.current();
        p.checkKilled();
        int r;
        p.enterCall(call);
        try {
            r = f.call(p, args);
        } catch (SyscallError e) {
            r = WasiErrno.fromLinux(e.errno());
        } catch (dev.nojit.vkernel.policy.Violation v) {
            throw p.kernel().enforcer().respond(p, name, args, v);
        } finally {
            p.leaveCall();
        }
        WaliPersonality.afterSyscall(p, call);
        return r;
    }

    // --- shared helpers ---

    /** A WASI path argument: (pointer, length), UTF-8, no NUL. */
    static String path(Process p, long ptr, long len) {
        long addr = GuestMemory.ptr(ptr), n = GuestMemory.ptr(len);
        p.memory().check(addr, n); // a range outside memory is a fault, however long
        if (n >= Vfs.PATH_MAX) throw new SyscallError(Errno.ENAMETOOLONG);
        byte[] b = p.memory().read(addr, n);
        for (byte x : b) if (x == 0) throw new SyscallError(Errno.EINVAL);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    static final int FILETYPE_UNKNOWN = 0, FILETYPE_CHARACTER_DEVICE = 2, FILETYPE_DIRECTORY = 3,
            FILETYPE_REGULAR_FILE = 4, FILETYPE_SOCKET_STREAM = 6, FILETYPE_SYMBOLIC_LINK = 7;

    static int filetype(FileType t) {
        return switch (t) {
            case REGULAR -> FILETYPE_REGULAR_FILE;
            case DIRECTORY -> FILETYPE_DIRECTORY;
            case SYMLINK -> FILETYPE_SYMBOLIC_LINK;
            case CHAR_DEVICE -> FILETYPE_CHARACTER_DEVICE;
            case FIFO -> FILETYPE_UNKNOWN;
        };
    }

    /** filestat: dev u64 @0, ino @8, filetype u8 @16, nlink u64 @24, size @32, atim @40, mtim @48, ctim @56. */
    static void writeFilestat(GuestMemory m, long addr, Stat s) {
        m.check(addr, 64);
        m.fill(addr, 64, (byte) 0);
        m.writeLong(addr, s.dev());
        m.writeLong(addr + 8, s.ino());
        m.writeByte(addr + 16, filetype(s.type()));
        m.writeLong(addr + 24, s.nlink());
        m.writeLong(addr + 32, s.size());
        m.writeLong(addr + 40, s.atimeNanos());
        m.writeLong(addr + 48, s.mtimeNanos());
        m.writeLong(addr + 56, s.ctimeNanos());
    }

    static OpenFile file(Process p, long fd) {
        return p.fdTable().get((int) fd);
    }
}
