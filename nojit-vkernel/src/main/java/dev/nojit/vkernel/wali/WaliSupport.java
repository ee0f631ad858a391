package dev.nojit.vkernel.wali;

import dev.nojit.engine.HostCall;
import dev.nojit.engine.HostFunction;
import dev.nojit.vkernel.memory.GuestMemory;
import dev.nojit.vkernel.process.GuestControl;
import dev.nojit.vkernel.process.JumpBuffers;
import dev.nojit.vkernel.process.Process;
import dev.nojit.vkernel.process.Signals;
import dev.nojit.vkernel.process.WaitStatus;

import java.nio.charset.StandardCharsets;

/**
 * WALI's support imports (SPEC §3): start-up and shut-down hooks, argv, the environment file,
 * and setjmp/sigsetjmp/longjmp on the engine's resume points.
 * <ul>
 * <li>{@code __cl_get_argv_len(i)} is strlen(argv[i]); {@code __cl_copy_argv(buf, i)} copies it
 *     with its NUL (the guest allocates len + 1).</li>
 * <li>{@code __get_init_envfile(buf, size)} writes the path of a file holding the environment,
 *     one NAME=VALUE per line ({@code /proc/PID/environ-wali}), and returns 1; 0 when the
 *     environment is empty.</li>
 * <li>{@code setjmp(buf)} stores a token in the first 4 bytes of {@code buf} that names the
 *     engine's resume point of this call (see {@link JumpBuffers}); {@code longjmp(buf, v)} makes
 *     that setjmp return v (1 when v is 0). A buffer never filled, or whose frame has returned,
 *     kills the process (SIGSEGV), as the undefined behaviour it is.</li>
 * </ul>
 */
final class WaliSupport {
    HostFunction bind(String name) {
        return switch (name) {
            case "__init", "__deinit" -> (call, args) -> new long[]{0};
            case "__proc_exit" -> (call, args) -> {
                throw new GuestControl.Exit(WaitStatus.exited((int) args[0]));
            };
            case "__cl_get_argc" -> (call, args) -> new long[]{Process.current().program().argv().size()};
            case "__cl_get_argv_len" -> (call, args) -> new long[]{arg(args[0]).length};
            case "__cl_copy_argv" -> (call, args) -> {
                byte[] a = arg(args[1]);
                GuestMemory m = Process.current().memory();
                long buf = GuestMemory.ptr(args[0]);
                byte[] withNul = java.util.Arrays.copyOf(a, a.length + 1);
                try {
                    m.write(buf, withNul);
                } catch (dev.nojit.vkernel.syscall.SyscallError e) {
                    return new long[]{-e.errno()};
                }
                return new long[]{a.length};
            };
            case "__get_init_envfile" -> (call, args) -> new long[]{envFile(args[0], args[1])};
            case "setjmp" -> (call, args) -> new long[]{setjmp(call, args[0], null)};
            case "sigsetjmp" -> (call, args) -> new long[]{setjmp(call, args[0],
                    (int) args[1] != 0 ? Process.current().signals().blocked() : null)};
            case "longjmp" -> (call, args) -> {
                throw longjmp(call, args[0], (int) args[1]);
            };
            case "__wasm_thread_spawn" -> (call, args) -> new long[]{-38}; // threads: not in this vkernel
            default -> null;
        };
    }

    private static byte[] arg(long index) {
        var argv = Process.current().program().argv();
        long i = index & 0xffff_ffffL;
        return i < argv.size() ? argv.get((int) i) : new byte[0];
    }

    private static long envFile(long bufArg, long sizeArg) {
        Process p = Process.current();
        if (p.program().env().isEmpty()) return 0;
        byte[] path = ("/proc/" + p.pid() + "/environ-wali").getBytes(StandardCharsets.UTF_8);
        long size = sizeArg & 0xffff_ffffL;
        try {
            p.memory().writeCString(GuestMemory.ptr(bufArg), size, path);
        } catch (dev.nojit.vkernel.syscall.SyscallError e) {
            return 0; // no room or a bad buffer: as if there were no environment file
        }
        return 1;
    }

    private static long setjmp(HostCall call, long buf, Long savedMask) {
        Process p = Process.current();
        long addr = GuestMemory.ptr(buf);
        p.memory().check(addr, 4);
        int token = p.jumps().record(new JumpBuffers.Jump(call.resumePoint(), savedMask));
        if (token == 0) {
            p.kernel().log("pid " + p.pid() + " (" + p.exePath() + "): too many live setjmp buffers");
            throw new GuestControl.Exit(WaitStatus.signaled(Signals.SIGSEGV));
        }
        p.memory().writeInt(addr, token);
        return 0;
    }

    private static RuntimeException longjmp(HostCall call, long buf, int value) {
        Process p = Process.current();
        JumpBuffers.Jump j;
        try {
            j = p.jumps().get(p.memory().readInt(GuestMemory.ptr(buf)));
        } catch (dev.nojit.vkernel.syscall.SyscallError e) {
            j = null; // a jmp_buf outside memory was never filled
        }
        if (j == null) {
            p.kernel().log("pid " + p.pid() + " (" + p.exePath() + "): longjmp to a buffer setjmp never filled");
            return new GuestControl.Exit(WaitStatus.signaled(Signals.SIGSEGV));
        }
        if (!j.point().live()) {
            p.kernel().log("pid " + p.pid() + " (" + p.exePath() + "): longjmp to a function that has returned");
            return new GuestControl.Exit(WaitStatus.signaled(Signals.SIGSEGV));
        }
        if (j.savedMask() != null) p.signals().setBlocked(j.savedMask());
        try {
            return call.unwind(j.point(), value == 0 ? 1 : value);
        } catch (IllegalArgumentException e) {
            return new GuestControl.Exit(WaitStatus.signaled(Signals.SIGSEGV));
        }
    }
}
