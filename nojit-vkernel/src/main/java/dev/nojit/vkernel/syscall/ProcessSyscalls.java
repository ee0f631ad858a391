package dev.nojit.vkernel.syscall;

import dev.nojit.vkernel.fs.FileType;
import dev.nojit.vkernel.fs.OpenFlags;
import dev.nojit.vkernel.fs.Vfs;
import dev.nojit.vkernel.memory.GuestMemory;
import dev.nojit.vkernel.process.GuestControl;
import dev.nojit.vkernel.policy.SyscallArgs;
import dev.nojit.vkernel.policy.PolicyCheck;
import dev.nojit.vkernel.policy.Violation;
import dev.nojit.vkernel.process.Process;
import dev.nojit.vkernel.process.ProcessTable;
import dev.nojit.vkernel.process.Program;
import dev.nojit.vkernel.process.Rlimits;
import dev.nojit.vkernel.process.SecureBits;
import dev.nojit.vkernel.process.Signals;
import dev.nojit.vkernel.process.WaitStatus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Processes: fork, vfork, clone (fork-like only), execve, exit, exit_group, wait4, kill,
 * tkill, tgkill, getpid, getppid, gettid, getpgid, setpgid, getpgrp, getsid, setsid, the
 * uid/gid family (the container's root), getgroups, setgroups, set_tid_address,
 * set_robust_list, prlimit64, getrlimit, setrlimit, getrusage, times, prctl, sched_*.
 */
public final class ProcessSyscalls {
    private ProcessSyscalls() {}

    /** The most argv + envp entries execve reads (each also counts against the byte limit). */
    static final int MAX_EXEC_STRINGS = 1 << 17;

    static void register(SyscallTable t) {
        t.add("fork", (p, a) -> fork(p));
        t.add("vfork", (p, a) -> fork(p));
        t.add("clone", (p, a) -> {
            long flags = a[0];
            long allowed = 0xff /* exit signal */ | 0x00200000 /* CLONE_CHILD_CLEARTID */ | 0x01000000 /* CLONE_CHILD_SETTID */
                    | 0x00004000 /* CLONE_VFORK */ | 0x00000100 /* CLONE_VM with vfork */;
            if ((flags & ~allowed) != 0) throw new SyscallError(Errno.ENOSYS); // threads are not supported
            return fork(p);
        });
        t.add("execve", (p, a) -> execve(p, a[0], a[1], a[2]));
        t.add("execveat", (p, a) -> execveat(p, (int) a[0], a[1], a[2], a[3], a[4]));
        // Writing another process's memory or registers changes the code it runs: a violation.
        t.add("process_vm_writev", (p, a) -> {
            if (!p.kernel().checks().on(PolicyCheck.PROCESS_VM_WRITEV)) return -Errno.ENOSYS;
            throw Violation.codeLoad("process_vm_writev: writing the memory of pid " + (int) a[0], null);
        });
        t.add("process_vm_readv", (p, a) -> -Errno.EPERM);
        t.add("ptrace", (p, a) -> ptrace(p, (int) a[0], (int) a[1]));
        t.add("exit", (p, a) -> {
            throw new GuestControl.Exit(WaitStatus.exited((int) a[0]));
        });
        t.add("exit_group", (p, a) -> {
            throw new GuestControl.Exit(WaitStatus.exited((int) a[0]));
        });
        t.add("wait4", (p, a) -> wait4(p, (int) a[0], GuestMemory.ptr(a[1]), (int) a[2], GuestMemory.ptr(a[3])));
        t.add("kill", (p, a) -> kill(p, (int) a[0], (int) a[1]));
        t.add("tkill", (p, a) -> kill(p, requirePositive((int) a[0]), (int) a[1]));
        t.add("tgkill", (p, a) -> kill(p, requirePositive((int) a[1]), (int) a[2]));
        t.add("getpid", (p, a) -> p.pid());
        t.add("gettid", (p, a) -> p.pid());
        t.add("getppid", (p, a) -> p.ppid());
        t.add("getpgrp", (p, a) -> p.pgid());
        t.add("getpgid", (p, a) -> target(p, (int) a[0]).pgid());
        t.add("getsid", (p, a) -> target(p, (int) a[0]).sid());
        t.add("setpgid", (p, a) -> {
            Process q = target(p, (int) a[0]);
            int pgid = (int) a[1];
            if (pgid < 0) throw new SyscallError(Errno.EINVAL);
            if (q != p && q.ppid() != p.pid()) throw new SyscallError(Errno.ESRCH);
            if (q.sid() == q.pid()) throw new SyscallError(Errno.EPERM);
            q.setPgid(pgid == 0 ? q.pid() : pgid);
            return 0;
        });
        t.add("setsid", (p, a) -> {
            if (p.pgid() == p.pid()) throw new SyscallError(Errno.EPERM);
            p.setSid(p.pid());
            p.setPgid(p.pid());
            return p.pid();
        });
        for (String id : List.of("getuid", "geteuid", "getgid", "getegid")) t.add(id, (p, a) -> 0);
        for (String id : List.of("setuid", "setgid", "setfsuid", "setfsgid")) t.add(id, (p, a) -> 0);
        for (String id : List.of("setreuid", "setregid", "setresuid", "setresgid")) t.add(id, (p, a) -> 0);
        t.add("getresuid", (p, a) -> writeThreeZeros(p, a));
        t.add("getresgid", (p, a) -> writeThreeZeros(p, a));
        t.add("getgroups", (p, a) -> {
            if ((int) a[0] < 0) throw new SyscallError(Errno.EINVAL);
            return 0; // the container's root has no supplementary groups
        });
        t.add("setgroups", (p, a) -> {
            if ((int) a[0] < 0 || (int) a[0] > 65536) throw new SyscallError(Errno.EINVAL);
            return 0;
        });
        t.add("set_tid_address", (p, a) -> p.pid());
        t.add("set_robust_list", (p, a) -> 0);
        t.add("prlimit64", (p, a) -> prlimit(p, (int) a[0], (int) a[1], GuestMemory.ptr(a[2]), GuestMemory.ptr(a[3])));
        t.add("getrlimit", (p, a) -> prlimit(p, 0, (int) a[0], 0, GuestMemory.ptr(a[1])));
        t.add("setrlimit", (p, a) -> prlimit(p, 0, (int) a[0], GuestMemory.ptr(a[1]), 0));
        t.add("getrusage", (p, a) -> {
            int who = (int) a[0];
            if (who != 0 && who != -1 && who != 1) throw new SyscallError(Errno.EINVAL);
            long buf = GuestMemory.ptr(a[1]);
            p.memory().fill(buf, 144, (byte) 0);
            long micros = p.uptimeNanos() / 1000;
            if (who == 0) {
                p.memory().writeLong(buf, micros / 1_000_000);
                p.memory().writeLong(buf + 8, micros % 1_000_000);
            }
            return 0;
        });
        t.add("times", (p, a) -> {
            long buf = GuestMemory.ptr(a[0]);
            long ticks = p.uptimeNanos() / 10_000_000L;
            if (buf != 0) {
                p.memory().fill(buf, 32, (byte) 0);
                p.memory().writeLong(buf, ticks);
            }
            return (System.nanoTime() - p.kernel().bootNanos()) / 10_000_000L;
        });
        t.add("prctl", (p, a) -> prctl(p, (int) a[0], a[1]));
        t.add("sched_yield", (p, a) -> {
            Thread.yield();
            return 0;
        });
        t.add("sched_getaffinity", (p, a) -> {
            target(p, (int) a[0]);
            long size = GuestMemory.ptr(a[1]);
            if (size < 8) throw new SyscallError(Errno.EINVAL);
            p.memory().fill(GuestMemory.ptr(a[2]), 8, (byte) 0);
            p.memory().writeByte(GuestMemory.ptr(a[2]), 1);
            return 8;
        });
        t.add("sched_setaffinity", (p, a) -> {
            target(p, (int) a[0]);
            return 0;
        });
        t.add("sched_getscheduler", (p, a) -> 0);
        t.add("sched_setscheduler", (p, a) -> 0);
        t.add("sched_getparam", (p, a) -> {
            p.memory().writeInt(GuestMemory.ptr(a[1]), 0);
            return 0;
        });
        t.add("sched_setparam", (p, a) -> 0);
        t.add("sched_get_priority_max", (p, a) -> 0);
        t.add("sched_get_priority_min", (p, a) -> 0);
        t.add("getpriority", (p, a) -> 20);
        t.add("setpriority", (p, a) -> 0);
    }

    private static long writeThreeZeros(Process p, long[] a) {
        for (int i = 0; i < 3; i++) p.memory().writeInt(GuestMemory.ptr(a[i]), 0);
        return 0;
    }

    private static int requirePositive(int pid) {
        if (pid <= 0) throw new SyscallError(Errno.EINVAL);
        return pid;
    }

    private static Process target(Process p, int pid) {
        if (pid == 0) return p;
        Process q = p.kernel().processes().get(pid);
        if (q == null) throw new SyscallError(Errno.ESRCH);
        return q;
    }

    /**
     * fork. The child's copy of the memory (and of the engine's stack) is charged to the container's budget before it is made:
     * without room, fork fails with ENOMEM and nothing is copied (fork(2): "ENOMEM fork() failed to
     * allocate the necessary kernel structures because memory is tight."). The process limit is
     * looked at first too, so a fork bomb copies nothing (the table checks it again, exactly).
     */
    static long fork(Process p) {
        var k = p.kernel();
        if (k.processes().count() >= k.config().maxProcesses()) throw new SyscallError(Errno.EAGAIN);
        var reserved = p.addressSpace().reserveCopy();
        if (reserved == null) throw new SyscallError(Errno.ENOMEM);
        return k.processes().fork(p, reserved);
    }

    /** execve: the file at {@code path} through the hash gate (a {@link dev.nojit.vkernel.policy.Violation} kills the caller). */
    static long execve(Process p, long pathPtr, long argvPtr, long envpPtr) {
        String path = Paths.read(p, pathPtr);
        ExecArgs x = ExecArgs.read(p, argvPtr, envpPtr);
        String cwd = p.cwd();
        Program program = prepare(p, () -> p.kernel().gate().load(cwd, vfs -> vfs.resolve(cwd, path, true), x.argv(), x.envp()));
        return startExec(p, program, "execve", Map.of("pathname", path));
    }

    /**
     * The gate's program, or ENOEXEC when its AOT classes cannot be defined (a broken bundle: a class the JVM's
     * verifier refuses, say). execve(2): "ENOEXEC An executable is not in a recognized format, is for the wrong
     * architecture, or has some other format error that means it cannot be executed." The caller's image goes on,
     * as after a failed execve on Linux; the reason goes to nojit's log.
     */
    private static Program prepare(Process p, java.util.function.Supplier<Program> load) {
        try {
            return load.get();
        } catch (dev.nojit.vkernel.process.AotClassLoader.Refused r) {
            p.kernel().log("pid " + p.pid() + ": execve refused: " + r.getMessage());
            throw new SyscallError(Errno.ENOEXEC);
        }
    }

    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    /** Linux 6.14: only check whether the file would be allowed to run (include/uapi/linux/fcntl.h). */
    static final long AT_EXECVE_CHECK = 0x10000;
    private static final long EXECVEAT_FLAGS = OpenFlags.AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW | AT_EXECVE_CHECK;

    /** execve's argv and envp, read against one ARG_MAX budget. */
    private record ExecArgs(List<byte[]> argv, List<byte[]> envp) {
        static ExecArgs read(Process p, long argvPtr, long envpPtr) {
            int[] budget = {p.kernel().config().maxArgBytes()};
            List<byte[]> argv = readStrings(p, GuestMemory.ptr(argvPtr), budget);
            return new ExecArgs(argv, readStrings(p, GuestMemory.ptr(envpPtr), budget));
        }
    }

    /**
     * execveat: a path relative to a directory descriptor, or with AT_EMPTY_PATH the descriptor's
     * own file (fexecve; a memfd too): the same gate as execve. With AT_EXECVE_CHECK nothing
     * starts: the gate only answers whether the file would be let in as code
     * ({@link dev.nojit.vkernel.policy.ExecGate#checkExecutable}); 0 when it would. The flag word
     * is read at full width: any bit Linux does not define is EINVAL ("EINVAL Invalid flag
     * specified in flags", execveat(2)).
     */
    static long execveat(Process p, int dirfd, long pathPtr, long argvPtr, long envpPtr, long flags) {
        if ((flags & ~EXECVEAT_FLAGS) != 0) throw new SyscallError(Errno.EINVAL);
        String path = Paths.read(p, pathPtr);
        ExecArgs x = ExecArgs.read(p, argvPtr, envpPtr);
        boolean follow = (flags & AT_SYMLINK_NOFOLLOW) == 0;
        int atFlags = (int) (flags & EXECVEAT_FLAGS);
        Function<Vfs, Vfs.Resolved> resolve = vfs -> {
            Vfs.Resolved r = Paths.resolveAtOrFd(p, dirfd, path, follow, atFlags);
            if (r == null) throw new SyscallError(Errno.EACCES); // a pipe or a host stream: not a regular file
            if (!follow && r.node() != null && r.node().type() == FileType.SYMLINK) throw new SyscallError(Errno.ELOOP);
            return r;
        };
        if ((flags & AT_EXECVE_CHECK) != 0) {
            p.kernel().gate().checkExecutable(p, resolve, x.argv(), x.envp());
            return 0;
        }
        Program program = prepare(p, () -> p.kernel().gate().load(p.cwd(), resolve, x.argv(), x.envp()));
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("dirfd", (long) dirfd);
        args.put("pathname", path);
        args.put("flags", flags);
        return startExec(p, program, "execveat", args);
    }

    /**
     * ptrace: the requests that let one process write another's memory or registers (POKE*, SET*)
     * or make it a tracee (TRACEME, ATTACH, SEIZE) are violations; nothing is ever traced, so
     * every other request finds no tracee.
     */
    private static long ptrace(Process p, int request, int pid) {
        if (PTRACE_WRITES.contains(request) && p.kernel().checks().on(PolicyCheck.PTRACE_WRITE)) {
            throw Violation.codeLoad("ptrace " + SyscallArgs.ptraceName(request) + " on pid " + pid, null);
        }
        throw new SyscallError(Errno.ESRCH);
    }

    private static final java.util.Set<Integer> PTRACE_WRITES = java.util.Set.of(0, 4, 5, 6, 13, 15, 16, 0x4203, 0x4205, 0x4206);

    /** Past the gate: the exec is recorded, then the image is replaced (never returns). */
    private static long startExec(Process p, Program program, String syscall, Map<String, Object> args) {
        p.kernel().enforcer().exec(p, program, SyscallArgs.ref(syscall, args)); // the new argv is in the event's process
        p.setSecureBits(SecureBits.afterExec(p.secureBits()));
        throw new GuestControl.Exec(program);
    }

    /**
     * A NULL-terminated array of string pointers; E2BIG past the byte budget (strings, their NULs
     * and a 4-byte pointer each, as Linux counts ARG_MAX) or the entry limit.
     */
    static List<byte[]> readStrings(Process p, long array, int[] budget) {
        List<byte[]> out = new ArrayList<>();
        if (array == 0) return out;
        GuestMemory m = p.memory();
        for (int i = 0; ; i++) {
            if (i >= MAX_EXEC_STRINGS) throw new SyscallError(Errno.E2BIG);
            long s = m.readPtr(array + 4L * i);
            if (s == 0) return out;
            int max = Math.min(budget[0], 128 * 1024);
            byte[] b;
            try {
                b = m.readCStringBytes(s, max);
            } catch (SyscallError e) {
                throw e.errno() == Errno.ENAMETOOLONG ? new SyscallError(Errno.E2BIG) : e;
            }
            budget[0] -= b.length + 1 + 4; // as Linux does, each string's pointer counts too

            if (budget[0] < 0) throw new SyscallError(Errno.E2BIG);
            out.add(b);
        }
    }

    private static long wait4(Process p, int pid, long statusPtr, int options, long rusage) {
        if ((options & ~(ProcessTable.WNOHANG | ProcessTable.WUNTRACED | 0x8 /* WCONTINUED */ | 0x40000000 /* __WALL */)) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (statusPtr != 0) p.memory().check(statusPtr, 4);
        int[] r = p.kernel().processes().waitChild(p, pid, options);
        if (r[0] > 0) {
            if (statusPtr != 0) p.memory().writeInt(statusPtr, r[1]);
            if (rusage != 0) p.memory().fill(rusage, 144, (byte) 0);
        }
        return r[0];
    }

    static long kill(Process p, int pid, int sig) {
        if (sig < 0 || sig > Signals.NSIG) throw new SyscallError(Errno.EINVAL);
        List<Process> targets;
        if (pid > 0) {
            Process q = p.kernel().processes().get(pid);
            if (q == null || q.state() != Process.State.RUNNING) {
                if (q != null && sig == 0) return 0; // a zombie still exists
                throw new SyscallError(Errno.ESRCH);
            }
            targets = List.of(q);
        } else if (pid == 0) {
            targets = p.kernel().processes().group(p.pgid());
        } else if (pid == -1) {
            targets = new ArrayList<>();
            for (Process q : p.kernel().processes().all().values()) {
                if (q.pid() != 1 && q != p && q.state() == Process.State.RUNNING) targets.add(q);
            }
        } else {
            targets = p.kernel().processes().group(-pid);
        }
        if (targets.isEmpty()) throw new SyscallError(Errno.ESRCH);
        if (sig == 0) return 0;
        for (Process q : targets) {
            // pid 1 ignores signals it has no handler for, as Linux's init does (SIGKILL included, from inside).
            if (q.pid() == 1 && q.signals().action(sig).handler() == Signals.SIG_DFL && q != p) continue;
            q.signal(sig);
        }
        return 0;
    }

    private static long prlimit(Process p, int pid, int resource, long newLimit, long oldLimit) {
        Process q = target(p, pid);
        Rlimits r = q.rlimits();
        if (oldLimit != 0) {
            p.memory().check(oldLimit, 16);
            p.memory().writeLong(oldLimit, r.cur(resource));
            p.memory().writeLong(oldLimit + 8, r.max(resource));
        }
        if (newLimit != 0) {
            long cur = p.memory().readLong(newLimit), max = p.memory().readLong(newLimit + 8);
            r.update(resource, cur, max);
            if (resource == Rlimits.RLIMIT_NOFILE) {
                q.fdTable().setLimit((int) Math.min(Integer.MAX_VALUE, Long.compareUnsigned(cur, Integer.MAX_VALUE) > 0 ? Integer.MAX_VALUE : cur));
            }
        }
        return 0;
    }

    static final int PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2, PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4,
            PR_SET_NAME = 15, PR_GET_NAME = 16, PR_GET_SECUREBITS = 27, PR_SET_SECUREBITS = 28,
            PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39;

    private static long prctl(Process p, int option, long arg2) {
        return switch (option) {
            case PR_GET_SECUREBITS -> p.secureBits();
            case PR_SET_SECUREBITS -> {
                // arg2 is an unsigned long: every bit of it counts (SecureBits.change refuses unknown ones with EPERM).
                p.setSecureBits(SecureBits.change(p.secureBits(), arg2));
                yield 0;
            }
            case PR_SET_NAME -> {
                byte[] b = p.memory().readCStringBytes(GuestMemory.ptr(arg2), 4096);
                p.setName(new String(b, 0, Math.min(b.length, 15), StandardCharsets.UTF_8));
                yield 0;
            }
            case PR_GET_NAME -> {
                byte[] name = p.name().getBytes(StandardCharsets.UTF_8);
                p.memory().writeCString(GuestMemory.ptr(arg2), 16, java.util.Arrays.copyOf(name, Math.min(name.length, 15)));
                yield 0;
            }
            case PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS -> 0;
            case PR_GET_PDEATHSIG -> {
                p.memory().writeInt(GuestMemory.ptr(arg2), 0);
                yield 0;
            }
            case PR_GET_DUMPABLE -> 0;
            case PR_GET_NO_NEW_PRIVS -> 1;
            default -> throw new SyscallError(Errno.EINVAL);
        };
    }
}
