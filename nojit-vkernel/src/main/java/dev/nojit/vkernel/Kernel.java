package dev.nojit.vkernel;

import dev.nojit.audit.AuditSink;
import dev.nojit.vkernel.fs.FileLocks;
import dev.nojit.vkernel.fs.ProcInfo;
import dev.nojit.vkernel.policy.Enforcer;
import dev.nojit.vkernel.policy.ExecGate;
import dev.nojit.vkernel.policy.PolicyChecks;
import dev.nojit.vkernel.fs.Quota;
import dev.nojit.vkernel.fs.Vfs;
import dev.nojit.vkernel.memory.MemoryBudget;
import dev.nojit.vkernel.process.Process;
import dev.nojit.vkernel.process.ProcessTable;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One container's kernel state: its file system, process table, memory budget, program
 * loader and syscall personalities. Everything a syscall handler needs beyond its own process
 * is reached from here.
 */
public final class Kernel {
    private final KernelConfig config;
    private final MemoryBudget memoryBudget;
    private final ProcessTable processes;
    private final Vfs vfs;
    private final ExecGate gate;
    private final Enforcer enforcer;
    private final Personalities personalities;
    private final PrintStream log;
    private final ImageSource image;
    private final PolicyChecks checks = PolicyChecks.forNewKernel();
    private final Map<String, LongAdder> unimplemented = new ConcurrentHashMap<>();
    private final CompletableFuture<Integer> initExit = new CompletableFuture<>();
    private final long bootNanos = System.nanoTime();
    private final java.util.concurrent.ScheduledExecutorService timer =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "nojit-timer");
                t.setDaemon(true);
                return t;
            });

    private final FileLocks fileLocks = new FileLocks();

    public Kernel(KernelConfig config, ImageSource image, PrintStream log, AuditSink audit) {
        this.image = image;
        this.config = config;
        this.log = log;
        this.memoryBudget = new MemoryBudget(config.memoryLimit());
        this.processes = new ProcessTable(this, config.maxProcesses());
        this.vfs = new Vfs(new Quota(config.writableLimit(), memoryBudget), new ProcDirectory());
        this.enforcer = new Enforcer(this, audit, image.bundle().manifest().policy());
        this.gate = new ExecGate(this, image);
        this.personalities = new Personalities(this);
    }

    public KernelConfig config() { return config; }
    public MemoryBudget memoryBudget() { return memoryBudget; }
    public ProcessTable processes() { return processes; }
    public Vfs vfs() { return vfs; }
    public FileLocks fileLocks() { return fileLocks; }
    /** The hash gate every code entry point goes through. */
    public ExecGate gate() { return gate; }
    /** Records events and answers violations. */
    public Enforcer enforcer() { return enforcer; }
    public Personalities personalities() { return personalities; }
    public long bootNanos() { return bootNanos; }
    /** Timers (alarm, setitimer) of this container. */
    public java.util.concurrent.ScheduledExecutorService timer() { return timer; }
    public ImageSource image() { return image; }
    /** The policy checks this kernel enforces: all of them, outside a mutation test. */
    public PolicyChecks checks() { return checks; }

    /** A message from the kernel about a guest (a trap, a limit), on the host's stderr. */
    public void log(String message) {
        synchronized (log) {
            log.println("nojit: " + message);
            log.flush();
        }
    }

    /** Counts a call to a syscall the vkernel does not implement (answered with -ENOSYS). */
    public void countUnimplemented(String name) {
        unimplemented.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

    /** The counter of calls to one syscall or import (taken once, when a module's imports are bound). */
    public LongAdder callCounter(String name) {
        return calls.computeIfAbsent(name, k -> new LongAdder());
    }

    /** Calls per syscall/import name so far, in name order (zero counts left out). */
    public Map<String, Long> callCounts() {
        Map<String, Long> out = new java.util.TreeMap<>();
        calls.forEach((k, v) -> {
            if (v.sum() > 0) out.put(k, v.sum());
        });
        return out;
    }

    public Map<String, Long> unimplementedCounts() {
        Map<String, Long> out = new java.util.TreeMap<>();
        unimplemented.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Pipes (and socket pairs) alive at once in a container; their buffers live in the JVM heap. */
    public static final int MAX_PIPES = 4096;
    private final java.util.concurrent.atomic.AtomicInteger pipes = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * A new pipe, counted against {@link #MAX_PIPES} and its overhead charged to the memory
     * budget (its ring is charged as it grows); ENFILE past either, as Linux's pipe(2) gives when
     * it cannot allocate a pipe ("The user hard limit on memory that can be allocated for pipes
     * has been reached").
     */
    public dev.nojit.vkernel.fs.Pipe newPipe() {
        if (pipes.incrementAndGet() > MAX_PIPES) {
            pipes.decrementAndGet();
            throw new dev.nojit.vkernel.syscall.SyscallError(dev.nojit.vkernel.syscall.Errno.ENFILE);
        }
        if (!memoryBudget.tryCharge(MemoryBudget.Use.KERNEL_BUFFERS, dev.nojit.vkernel.fs.Pipe.OVERHEAD)) {
            pipes.decrementAndGet();
            throw new dev.nojit.vkernel.syscall.SyscallError(dev.nojit.vkernel.syscall.Errno.ENFILE);
        }
        return new dev.nojit.vkernel.fs.Pipe(memoryBudget, () -> {
            memoryBudget.release(MemoryBudget.Use.KERNEL_BUFFERS, dev.nojit.vkernel.fs.Pipe.OVERHEAD);
            pipes.decrementAndGet();
        });
    }

    /** Stops the container's timers (after every process has ended). */
    public void shutdown() {
        timer.shutdownNow();
        vfs.closeMounts();
    }

    /** Called once, when pid 1 ends. */
    public void initExited(int waitStatus) {
        initExit.complete(waitStatus);
    }

    /** Completes with pid 1's wait status. */
    public CompletableFuture<Integer> initExit() {
        return initExit;
    }

    private final class ProcDirectory implements ProcInfo.Directory {
        @Override
        public boolean memWriteCheck() {
            return checks.on(dev.nojit.vkernel.policy.PolicyCheck.PROC_MEM_WRITE);
        }

        @Override
        public ProcInfo current() {
            return Process.current();
        }

        @Override
        public ProcInfo byPid(int pid) {
            return processes.get(pid);
        }

        @Override
        public Map<Integer, ? extends ProcInfo> all() {
            return processes.all();
        }
    }
}
