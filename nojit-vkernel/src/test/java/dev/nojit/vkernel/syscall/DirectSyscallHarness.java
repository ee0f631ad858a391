package dev.nojit.vkernel.syscall;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.MemoryAuditSink;
import dev.nojit.engine.Memory;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.Kernel;
import dev.nojit.vkernel.KernelConfig;
import dev.nojit.vkernel.fs.FdTable;
import dev.nojit.vkernel.fs.HostStreams;
import dev.nojit.vkernel.fs.OpenFile;
import dev.nojit.vkernel.fs.OpenFlags;
import dev.nojit.vkernel.memory.GuestMemory;
import dev.nojit.vkernel.policy.Violation;
import dev.nojit.vkernel.process.DirectProcess;
import dev.nojit.vkernel.process.GuestControl;
import dev.nojit.vkernel.process.Process;
import dev.nojit.vkernel.process.Program;
import dev.nojit.vkernel.process.Rlimits;
import dev.nojit.vkernel.process.Signals;
import dev.nojit.vkernel.process.WaitStatus;
import dev.nojit.vkernel.wali.WaliPersonality;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One run of the direct syscall fuzzer: a fresh container from {@link FuzzImage}, its process 1
 * bound to a worker thread with a 128 KiB linear memory the choices fill (paths, an argv array,
 * module bytes, arbitrary bytes), then up to {@link #MAX_CALLS} WALI syscall handlers called
 * with chosen arguments, exactly as {@code WaliPersonality} dispatches them (errors become
 * -errno, a violation is recorded by the enforcer and kills the process, signals are delivered
 * after each call). The oracles are checked after every call and after the container closes;
 * a broken one throws {@link AssertionError} naming the call.
 *
 * <p>Not driven here, and why: {@code rt_sigaction} (a guest handler needs an engine to run
 * on); fork, vfork and clone answer ENOSYS without an engine call to snapshot, so no child ever
 * starts (the guest-level fuzzer, wali-fuzz, forks for real). execve and execveat are driven
 * through the real hash gate: a successful one ends the run, as the image would be replaced.
 *
 * <p>Blocking calls (read of an empty pipe, wait, futex, sleeps, poll, pause, sigsuspend) are
 * bounded by a watchdog: a call still running after {@link #KILL_MS} ms gets SIGKILL (as a
 * container stop would send it), which must end it — the run then ends with the process; a run
 * whose worker has not finished {@link #HANG_MS} ms beyond what its calls could take before their
 * SIGKILLs is a hang. (No gentler signal serves: one that
 * is ignored by default is discarded, as on Linux, and interrupts nothing, and a handler needs
 * an engine.)
 */
final class DirectSyscallHarness {
    static final int MAX_CALLS = 48;
    static final long KILL_MS = 25, HANG_MS = 10_000;
    static final int MEMORY_PAGES = 2; // 128 KiB
    static final long SLOTS = 0x1000, SLOT_SIZE = 256, SLOT_COUNT = 32, ARGV = 0x3000, BUF = 0x4000, BUF_SIZE = 0xC000;

    /** The syscalls most likely to reach the policy: chosen three times in four. */
    static final List<String> FOCUS = List.of("openat", "open", "creat", "write", "pwrite64", "read", "close", "dup", "dup2",
            "dup3", "fcntl", "mmap", "mprotect", "pkey_mprotect", "mremap", "munmap", "brk", "shmat", "memfd_create",
            "execve", "execveat", "symlink", "symlinkat", "link", "linkat", "rename", "renameat", "renameat2", "chmod",
            "fchmod", "fchmodat", "unlink", "mkdir", "ftruncate", "lseek", "pipe2", "readlink", "getdents64",
            "process_vm_writev", "ptrace", "personality", "fork", "kill", "msync", "sendfile", "copy_file_range", "madvise");
    static final List<String> EXCLUDED = List.of("rt_sigaction");
    static final long[] LENGTHS = {0, 1, 7, 8, 4095, 4096, 4097, 8191, 65535, 65536, 65537, 131072, 0x7fff_ffffL,
            0xffff_ffffL, 1L << 20, 1L << 31, -1L};
    static final long[] FLAGS = {
            MemorySyscalls.PROT_EXEC, MemorySyscalls.PROT_EXEC | MemorySyscalls.PROT_READ, 3, 7, 0x22, 0x12, 0x21, 0x32,
            FileSyscalls.MFD_EXEC, FileSyscalls.MFD_CLOEXEC, FileSyscalls.MFD_NOEXEC_SEAL, OpenFlags.AT_EMPTY_PATH,
            0x100 /* AT_SYMLINK_NOFOLLOW */, 0x200 /* AT_REMOVEDIR */, -100 /* AT_FDCWD */, OpenFlags.O_CREAT | OpenFlags.O_RDWR,
            OpenFlags.O_CREAT | OpenFlags.O_WRONLY | OpenFlags.O_TRUNC, OpenFlags.O_PATH, OpenFlags.O_DIRECTORY,
            OpenFlags.O_NOFOLLOW, 02000000 /* O_CLOEXEC */, 04000 /* O_NONBLOCK */, 0100000 /* SHM_EXEC */, 0755, 0777,
            0x0400000 /* READ_IMPLIES_EXEC */, 0x4206 /* PTRACE_SEIZE */, 4 /* PTRACE_POKETEXT */, 1 /* WNOHANG */};
    static final List<String> PATHS = List.of("/bin/wali-hello", "/bin/wali-echo", "/data/evil.wasm", "/opt/payload/evil-x",
            "/opt/listed.sh", "/tmp/x", "/tmp/y", "/tmp", "/tmp/x/../x", "/proc/self/mem", "/proc/self/fd/3",
            "/proc/self/fd/4", "/proc/self/exe", "/proc/1/mem", "/proc/self/environ-wali", "/proc/self/maps", "/mnt/host/f",
            "/mnt/host", "/mnt/host/../../etc", "../../..", "", ".", "/dev/null", "/dev/zero", "/etc/motd", "/bin",
            "#!/bin/wali-echo\n", "#!/opt/payload/evil-x\n", "/bin/../opt/payload/./evil-x", "/tmp/l", "x", "/proc/self/cwd");

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "syscall-fuzz-watchdog");
        t.setDaemon(true);
        return t;
    });
    private static final List<String> ALL = Syscalls.table().all().keySet().stream().filter(n -> !EXCLUDED.contains(n)).toList();

    /** What a run did, for the seeded tests' statistics. */
    record Outcome(int calls, int violations, int execs, boolean ended, int slowCalls, int swaps) {}

    private final FuzzChoices in;
    private final List<Long> results = new ArrayList<>();
    private volatile String currentCall = "(none)";
    private int violations, execs, calls, slowCalls;
    /** The mount-swap actions of this input, or null (half the inputs). */
    private MountSwapActions swap;

    private DirectSyscallHarness(FuzzChoices in) {
        this.in = in;
    }

    /** Runs one input on a worker thread (the process's thread); fails if an oracle breaks or it hangs. */
    static Outcome run(FuzzChoices in) {
        DirectSyscallHarness h = new DirectSyscallHarness(in);
        Outcome[] out = new Outcome[1];
        Throwable[] failure = new Throwable[1];
        Thread worker = new Thread(() -> {
            try {
                out[0] = h.runHere();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "syscall-fuzz-pid-1");
        worker.setDaemon(true);
        worker.start();
        try {
            worker.join(HANG_MS + KILL_MS + MAX_CALLS * 50L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
        if (worker.isAlive()) throw new AssertionError("hang: " + h.currentCall + " did not return after SIGKILL");
        if (failure[0] instanceof AssertionError a) throw a;
        if (failure[0] != null) throw new AssertionError("the harness failed in " + h.currentCall, failure[0]);
        return out[0];
    }

    private Outcome runHere() {
        List<String> hostFdsBefore = hostFds();
        long hostFdObjects = dev.nojit.host.files.HostFd.live();
        MemoryAuditSink audit = new MemoryAuditSink();
        KernelConfig config = KernelConfig.defaults().withMemoryLimit(16L << 20).withWritableLimit(2L << 20).withMaxProcesses(4);
        Path hostDir = FuzzImage.hostDir();
        String besideTheMount = FuzzImage.besideTheMount();
        Container.Options options = Container.Options.defaults().withConfig(config)
                .withMounts(List.of(new Container.Mount("/mnt/host", hostDir, false)))
                .withStdio(new ByteArrayInputStream(new byte[0]), OutputStream.nullOutputStream(), OutputStream.nullOutputStream())
                .withAudit(audit);
        boolean ended = false;
        Kernel kernel;
        try (Container container = Container.create(FuzzImage.bundle(), options)) {
            kernel = container.kernel();
            Program program = kernel.gate().load("/", fs -> fs.resolve("/", "/bin/wali-hello", true),
                    List.of("/bin/wali-hello".getBytes(StandardCharsets.UTF_8)), List.of());
            FdTable fds = new FdTable(config.maxOpenFiles());
            fds.add(new OpenFile(null, HostStreams.input(options.stdin()), "pipe:[stdin]", OpenFlags.O_RDONLY), false, 0);
            fds.add(new OpenFile(null, HostStreams.output(options.stdout()), "pipe:[stdout]", OpenFlags.O_WRONLY), false, 1);
            fds.add(new OpenFile(null, HostStreams.output(options.stderr()), "pipe:[stderr]", OpenFlags.O_WRONLY), false, 2);
            GuestMemory memory = new GuestMemory(new Memory(MEMORY_PAGES, 64, false));
            fillMemory(memory);
            Process p = DirectProcess.bind(kernel, fds, new Rlimits(config.maxProcesses(), config.maxOpenFiles(),
                    config.memoryLimit()), program, memory);
            if (in.pick(2) == 0) swap = new MountSwapActions(in, memory, (name, args) -> fixedCall(p, name, args));
            try {
                if (swap != null) {
                    swap.prepare();
                    results.addAll(swap.descriptors());
                }
                while (calls < MAX_CALLS && !in.exhausted()) {
                    if (in.pick(4) == 0) mutateMemory(memory);
                    if (swap != null) swap.maybeAct();
                    Integer status = step(p, audit);
                    if (status != null) {
                        DirectProcess.end(p, status);
                        ended = true;
                        break;
                    }
                }
            } catch (MountSwapActions.Ended e) {
                DirectProcess.end(p, e.status);
                ended = true;
            }
            if (!ended) DirectProcess.end(p, WaitStatus.exited(0));
            checkAfterCall(kernel, p, audit, "the end of the run");
        }
        // The container is closed: nothing runs, nothing is held.
        currentCall = "(container closed)";
        List<String> tree = DirectProcess.treeProblems(kernel);
        if (!tree.isEmpty()) throw new AssertionError("process tree after close: " + tree);
        for (var q : kernel.processes().all().values()) {
            if (q.state() == Process.State.RUNNING) throw new AssertionError("pid " + q.pid() + " still running after close");
        }
        var budget = kernel.memoryBudget();
        long held = budget.used(dev.nojit.vkernel.memory.MemoryBudget.Use.LINEAR_MEMORY) + budget.used(dev.nojit.vkernel.memory.MemoryBudget.Use.KERNEL_BUFFERS);
        if (held != 0) throw new AssertionError("memory or pipe buffers still charged after close: " + held);
        if (budget.used() != kernel.vfs().quota().used()) {
            throw new AssertionError("budget " + budget.used() + " after close, but the file layer holds " + kernel.vfs().quota().used());
        }
        List<String> leaked = new ArrayList<>(hostFds());
        leaked.removeAll(hostFdsBefore);
        if (!leaked.isEmpty()) throw new AssertionError("host descriptors leaked: " + leaked);
        // (fewer is fine: a collection may close what an earlier test left to the Cleaner meanwhile)
        if (dev.nojit.host.files.HostFd.live() > hostFdObjects) {
            throw new AssertionError("host mount descriptors still open after close: " + (dev.nojit.host.files.HostFd.live() - hostFdObjects));
        }
        // No host path outside the mount root was touched: the canary tree and the names beside the mount.
        String after = FuzzImage.besideTheMount();
        if (!after.equals(besideTheMount)) throw new AssertionError("beside the mount, before:\n" + besideTheMount + "\nafter:\n" + after);
        checkAudit(audit);
        return new Outcome(calls, violations, execs, ended, slowCalls, swap == null ? 0 : swap.swaps());
    }

    /** One syscall; returns the wait status when the process ended, else null. */
    private Integer step(Process p, MemoryAuditSink audit) {
        String name = in.pick(4) < 3 ? FOCUS.get(in.pick(FOCUS.size())) : ALL.get(in.pick(ALL.size()));
        Syscall h = Syscalls.table().get(name);
        if (h == null) return null; // a focus name this vkernel does not implement: ENOSYS, nothing to check
        long[] a = new long[6];
        int n = 1 + in.pick(6);
        for (int i = 0; i < n; i++) a[i] = argument();
        if (name.startsWith("execve") && in.pick(2) == 0) {
            // half the execs get a well-formed argv (and envp), so that the gate's decision, not EFAULT, ends most of them
            int argv = name.equals("execveat") ? 2 : 1;
            a[argv] = ARGV;
            a[argv + 1] = in.pick(2) == 0 ? 0 : ARGV;
        }
        currentCall = name + java.util.Arrays.toString(a);
        calls++;
        boolean mustViolate = mustViolate(name, a);
        int violationsBefore = audit.events().stream().filter(e -> e.type().isViolation()).toList().size();
        ScheduledFuture<?> kill = WATCHDOG.schedule(() -> p.signal(Signals.SIGKILL), KILL_MS, TimeUnit.MILLISECONDS);
        Integer status = null;
        long t0 = System.nanoTime();
        try {
            long r = dispatch(p, name, h, a);
            if (mustViolate) throw new AssertionError(currentCall + " asked for executable memory and returned " + r);
            results.add(r);
        } catch (GuestControl.Exit e) {
            status = e.waitStatus;
        } catch (GuestControl.Exec x) {
            execs++;
            if (!FuzzImage.APPROVED.contains(x.program.sha256())) {
                throw new AssertionError(currentCall + " started " + x.program.path() + " (" + x.program.sha256() + "), not approved");
            }
            status = WaitStatus.exited(0); // the image would be replaced: this run ends
        } finally {
            kill.cancel(false);
            if (System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(KILL_MS)) slowCalls++;
        }
        int violationsAfter = audit.events().stream().filter(e -> e.type().isViolation()).toList().size();
        if (violationsAfter - violationsBefore != (lastWasViolation ? 1 : 0)) {
            throw new AssertionError(currentCall + ": " + (violationsAfter - violationsBefore) + " violation events for "
                    + (lastWasViolation ? 1 : 0) + " violations");
        }
        if (status == null) checkAfterCall(p.kernel(), p, audit, currentCall);
        return status;
    }

    private boolean lastWasViolation;

    /** A call of the mount-swap actions: fixed arguments, the same dispatch; an ended process ends the input. */
    private long fixedCall(Process p, String name, long... args) {
        long[] a = java.util.Arrays.copyOf(args, 6);
        currentCall = name + java.util.Arrays.toString(a) + " (mount swap)";
        try {
            return dispatch(p, name, Syscalls.table().get(name), a);
        } catch (GuestControl.Exit e) {
            throw new MountSwapActions.Ended(e.waitStatus);
        }
    }

    /**
     * Through the WALI personality's own dispatch (errno, the violation response, signals), without
     * an engine call; the handler is watched for the Violation it throws, so that the audit oracle
     * can compare.
     */
    private long dispatch(Process p, String name, Syscall h, long[] a) {
        lastWasViolation = false;
        Syscall watched = (caller, args) -> {
            try {
                return h.call(caller, args);
            } catch (Violation v) {
                violations++;
                lastWasViolation = true;
                throw v;
            }
        };
        return WaliPersonality.dispatch(null, name, watched, a, false);
    }

    /** A request for executable memory: it must end in a violation, never in a result. */
    static boolean mustViolate(String name, long[] a) {
        return switch (name) {
            case "mmap", "mprotect", "pkey_mprotect" -> (a[2] & MemorySyscalls.PROT_EXEC) != 0;
            case "shmat" -> (a[2] & MemorySyscalls.SHM_EXEC) != 0;
            case "memfd_create" -> ((int) a[1] & FileSyscalls.MFD_EXEC) != 0;
            default -> false;
        };
    }

    private long argument() {
        return switch (in.pick(12)) {
            case 0 -> in.pick(72) - 2;
            // paths, the likeliest pointer: half of them the programs and the unapproved files (slots 0-4)
            // with mount swaps, one path in eight points at the swap strings (no extra choice without: old inputs keep their meaning)
            case 11 -> swap != null && in.pick(2) == 0 ? swap.pathArgument() : slotArgument();
            case 1, 10 -> slotArgument();
            case 2 -> ARGV;
            case 3 -> BUF + in.pick((int) BUF_SIZE);
            case 4 -> LENGTHS[in.pick(LENGTHS.length)];
            case 5 -> {
                long f = FLAGS[in.pick(FLAGS.length)];
                yield in.pick(3) == 0 ? f | FLAGS[in.pick(FLAGS.length)] : f;
            }
            case 6 -> in.pick(8) == 0 ? -100 : in.pick(12);
            case 7 -> switch (in.pick(5)) {
                case 0 -> (long) MEMORY_PAGES * Memory.PAGE_SIZE - 64; // a string without a NUL up to the end
                case 1 -> (long) MEMORY_PAGES * Memory.PAGE_SIZE - 1;
                case 2 -> (long) MEMORY_PAGES * Memory.PAGE_SIZE;
                case 3 -> 0xffff_f000L;
                default -> 0x8000_0000L;
            };
            case 8 -> in.anyLong();
            case 9 -> results.isEmpty() ? 3 : results.get(in.pick(results.size()));
            default -> throw new IllegalStateException();
        };
    }

    /** A path slot: half of them the programs and the unapproved files (slots 0-4), sometimes a few bytes in. */
    private long slotArgument() {
        return SLOTS + SLOT_SIZE * (in.pick(2) == 0 ? in.pick(5) : in.pick((int) SLOT_COUNT)) + (in.pick(8) == 0 ? in.pick(16) : 0);
    }

    /** Paths in the slots, an argv array of slot pointers, a module or chosen bytes in the buffer, a NUL-less tail. */
    private void fillMemory(GuestMemory m) {
        for (int i = 0; i < SLOT_COUNT; i++) {
            byte[] path = (i < PATHS.size() ? PATHS.get(i) : PATHS.get(in.pick(PATHS.size()))).getBytes(StandardCharsets.UTF_8);
            m.write(SLOTS + SLOT_SIZE * i, path);
        }
        writeArgv(m);
        byte[] content = switch (in.pick(4)) {
            case 0 -> FuzzImage.HELLO;
            case 1 -> FuzzImage.EVIL;
            case 2 -> "#!/bin/wali-echo\necho hi\n".getBytes(StandardCharsets.UTF_8);
            default -> in.bytes(4096);
        };
        m.write(BUF, content, 0, (int) Math.min(content.length, BUF_SIZE));
        long end = (long) MEMORY_PAGES * Memory.PAGE_SIZE;
        m.fill(end - 64, 64, (byte) 'A');
    }

    private void writeArgv(GuestMemory m) {
        int n = in.pick(6);
        for (int i = 0; i < n; i++) m.writeInt(ARGV + 4L * i, (int) (SLOTS + SLOT_SIZE * in.pick((int) SLOT_COUNT)));
        m.writeInt(ARGV + 4L * n, in.pick(8) == 0 ? (int) (BUF + 1) : 0); // sometimes not terminated where expected
    }

    private void mutateMemory(GuestMemory m) {
        switch (in.pick(3)) {
            case 0 -> {
                byte[] s = PATHS.get(in.pick(PATHS.size())).getBytes(StandardCharsets.UTF_8);
                long at = SLOTS + SLOT_SIZE * in.pick((int) SLOT_COUNT);
                m.write(at, java.util.Arrays.copyOf(s, s.length + 1));
            }
            case 1 -> writeArgv(m);
            default -> {
                byte[] b = in.bytes(256);
                m.write(SLOTS + in.pick((int) (BUF + BUF_SIZE - SLOTS - 256)), b);
            }
        }
    }

    /** After every call: descriptor table and process tree consistent. */
    private void checkAfterCall(Kernel kernel, Process p, MemoryAuditSink audit, String where) {
        for (Map.Entry<Integer, FdTable.Entry> e : p.fdTable().snapshot().entrySet()) {
            if (!e.getValue().file().isOpen()) throw new AssertionError(where + ": fd " + e.getKey() + " refers to a closed description");
            if (e.getKey() < 0) throw new AssertionError(where + ": negative fd " + e.getKey());
        }
        List<String> tree = DirectProcess.treeProblems(kernel);
        if (!tree.isEmpty()) throw new AssertionError(where + ": process tree: " + tree);
    }

    /** Every event well-formed; every exec approved; every violation answered by a kill. */
    private void checkAudit(MemoryAuditSink audit) {
        int seenViolations = 0;
        for (AuditEvent e : audit.events()) {
            if (e.type() == AuditEvent.Type.EXEC) {
                if (e.target() == null || !FuzzImage.APPROVED.contains(e.target().sha256())) {
                    throw new AssertionError("exec event for code not in the manifest: " + e);
                }
            }
            if (e.type().isViolation()) {
                seenViolations++;
                if (e.process() == null || e.syscall() == null || e.reason() == null || e.reason().isBlank()
                        || e.action() != AuditEvent.Action.KILL_PROCESS) {
                    throw new AssertionError("malformed violation event: " + e);
                }
            }
        }
        if (seenViolations != violations) throw new AssertionError(violations + " violations but " + seenViolations + " events");
    }

    /** The host descriptors that point into the fuzz image's directory (the bundle, the mounted directory). */
    static List<String> hostFds() {
        if (dev.nojit.vkernel.lockdown.LockedDownTestJvm.active()) return List.of(); // Landlock hides /proc/self/fd there
        String root = FuzzImage.dir().toString();
        List<String> out = new ArrayList<>();
        try (var list = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) list::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith(root)) out.add(fd.getFileName() + " -> " + target);
                } catch (IOException e) {
                    // closed between listing and reading: not held
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
