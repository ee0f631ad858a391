package dev.nojit.vkernel.process;

import dev.nojit.engine.FunctionRef;
import dev.nojit.engine.HostCall;
import dev.nojit.engine.Instance;
import dev.nojit.engine.LinkException;
import dev.nojit.engine.Machine;
import dev.nojit.engine.Snapshot;
import dev.nojit.engine.Store;
import dev.nojit.engine.Trap;
import dev.nojit.vkernel.Kernel;
import dev.nojit.vkernel.fs.FdTable;
import dev.nojit.vkernel.fs.ProcInfo;
import dev.nojit.vkernel.memory.AddressSpace;
import dev.nojit.vkernel.memory.GuestMemory;
import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One guest process: its identity (pid, parent, process group, session), its image (engine
 * store, instance and machine), descriptor table, signal state, address space, working
 * directory and limits. Runs on its own thread; other processes touch only its signals and
 * its place in the process tree.
 */
public final class Process implements ProcInfo {
    private static final ThreadLocal<Process> CURRENT = new ThreadLocal<>();

    public enum State { RUNNING, ZOMBIE, REAPED }

    private final Kernel kernel;
    private final int pid;
    private volatile int ppid;
    private volatile int pgid, sid;
    private final FdTable fds;
    private final SignalState signals;
    private final Rlimits rlimits;
    private AddressSpace addressSpace;
    private volatile String cwd;
    private volatile int umask;
    private volatile State state = State.RUNNING;
    private volatile int waitStatus;
    private final List<Process> children = new ArrayList<>();
    private JumpBuffers jumps = new JumpBuffers();

    // The running image.
    private volatile Program program;
    private Instance instance;
    private volatile Machine machine;
    private GuestMemory memory;
    private Thread thread;
    private volatile boolean killed;
    private volatile boolean blockedInSyscall;
    private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
    private int handlerDepth; // signal handlers running inside one another on this process's thread
    private HostCall currentCall;
    private volatile String name = "";
    private long[] altStack = {0, 2, 0}; // ss_sp, ss_flags (SS_DISABLE), ss_size
    private volatile int wasiPreopen = -1;
    private volatile int secureBits; // prctl(PR_SET_SECUREBITS): inherited over fork, kept over execve
    private final long startNanos = System.nanoTime();

    Process(Kernel kernel, int pid, int ppid, int pgid, int sid, FdTable fds, SignalState signals, Rlimits rlimits,
            String cwd, int umask) {
        this.kernel = kernel;
        this.pid = pid;
        this.ppid = ppid;
        this.pgid = pgid;
        this.sid = sid;
        this.fds = fds;
        fds.onClose(f -> {
            kernel.fileLocks().closedBy(pid, f);
            kernel.vfs().dirNotify().closed(f, fds);
        });
        this.signals = signals;
        this.rlimits = rlimits;
        this.cwd = cwd;
        this.umask = umask;
        this.addressSpace = new AddressSpace(kernel.memoryBudget());
    }

    /** The process whose syscall is running on this thread. */
    public static Process current() {
        return CURRENT.get();
    }

    public Kernel kernel() { return kernel; }
    public int pid() { return pid; }
    public int ppid() { return ppid; }
    void setPpid(int ppid) { this.ppid = ppid; }
    public int pgid() { return pgid; }
    public void setPgid(int pgid) { this.pgid = pgid; }
    public int sid() { return sid; }
    public void setSid(int sid) { this.sid = sid; }
    public FdTable fdTable() { return fds; }
    public SignalState signals() { return signals; }
    public Rlimits rlimits() { return rlimits; }
    public AddressSpace addressSpace() { return addressSpace; }
    public String cwd() { return cwd; }
    public void setCwd(String cwd) { this.cwd = cwd; }
    public int umask() { return umask; }
    public int secureBits() { return secureBits; }
    public void setSecureBits(int secureBits) { this.secureBits = secureBits; }
    public void setUmask(int umask) { this.umask = umask & 0777; }
    public State state() { return state; }
    public int waitStatus() { return waitStatus; }
    public Program program() { return program; }
    public Instance instance() { return instance; }
    public Machine machine() { return machine; }
    public JumpBuffers jumps() { return jumps; }
    List<Process> children() { return children; }

    /** The guest's memory, for syscall handlers. */
    public GuestMemory memory() {
        return memory;
    }

    @Override
    public String exePath() {
        Program p = program;
        return p == null ? "" : p.path();
    }

    @Override
    public byte[] envFile() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] e : program.env()) {
            out.writeBytes(e);
            out.write('\n');
        }
        return out.toByteArray();
    }

    @Override
    public byte[] cmdline() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] a : program.argv()) {
            out.writeBytes(a);
            out.write(0);
        }
        return out.toByteArray();
    }

    // --- running ---

    /** Starts pid 1 (or a spawned process) running {@code program} from its start. */
    public void start(Program program) {
        launch(() -> startImage(program));
    }

    /** fork: continues the parent's snapshot; the child's fork call returns 0. */
    void startForked(Snapshot snap, Process parent, dev.nojit.engine.Memory childMemory) {
        this.program = parent.program;
        this.instance = snap.instance(parent.instance);
        Machine m = snap.machine();
        this.machine = m;
        this.memory = new GuestMemory(childMemory);
        this.jumps = parent.jumps.copyFor(snap);
        if (killed || signals.anyPending()) m.interrupt(this::atSafepoint);
        launch(() -> snap.resume(0L));
    }

    void setAddressSpace(AddressSpace space) {
        this.addressSpace = space;
    }

    /**
     * The host stack of a process's thread. Interpreted guest calls never use it (the engine keeps wasm frames in
     * arrays); what does is one engine run, a syscall and its audit event per nested signal handler (see
     * {@link #MAX_HANDLER_NESTING}), and compiled (AOT) code, whose every wasm call is a Java call: 64 MiB give
     * each of the engine's 50,000 frames about 1.3 KiB, so the depth limit, not the Java stack, normally ends deep
     * recursion. Should the stack still run out first, the engine turns the StackOverflowError into the same
     * "call stack exhausted" trap (SIGSEGV for the guest). The pages are only reserved until used. Set explicitly
     * so that the bounds do not depend on the JVM's -Xss.
     */
    static final long THREAD_STACK_BYTES = 64L << 20;

    /**
     * Signal handlers nested inside one another (SA_NODEFER, or one signal's handler interrupted by another's).
     * Each level runs on the host stack (an engine run inside a syscall inside the previous handler); past this
     * many the process dies of SIGSEGV, as a Linux process does whose stack has no room for another signal
     * frame. A level takes about 3 KiB (measured), so 256 take under a megabyte of {@link #THREAD_STACK_BYTES} and
     * a syscall at the deepest level, with its audit event, still has room (docs/vkernel.md).
     */
    public static final int MAX_HANDLER_NESTING = 256;

    private void launch(Supplier<long[]> first) {
        Thread t = new Thread(null, () -> run(first), "nojit-pid-" + pid, THREAD_STACK_BYTES);
        t.setDaemon(true);
        this.thread = t;
        t.start();
    }

    /** The process's thread: runs images until the process ends. */
    private void run(Supplier<long[]> first) {
        CURRENT.set(this);
        Supplier<long[]> body = first;
        int status;
        while (true) {
            try {
                if (killed) throw new GuestControl.Exit(WaitStatus.signaled(Signals.SIGKILL));
                body.get();
                status = WaitStatus.exited(0); // _start returned
                break;
            } catch (Trap t) {
                GuestControl c = control(t);
                if (c instanceof GuestControl.Exit e) {
                    status = e.waitStatus;
                    break;
                }
                if (c instanceof GuestControl.Exec x) {
                    Program next = x.program;
                    body = () -> startImage(next);
                    continue;
                }
                if (killed) {
                    status = WaitStatus.signaled(Signals.SIGKILL);
                    break;
                }
                status = WaitStatus.signaled(signalFor(t));
                kernel.log("pid " + pid + " (" + exePath() + "): " + describe(t));
                break;
            } catch (GuestControl.Exit e) {
                status = e.waitStatus;
                break;
            } catch (GuestControl.Exec x) {
                Program next = x.program;
                body = () -> startImage(next);
            } catch (RuntimeException | Error e) {
                kernel.log("pid " + pid + " (" + exePath() + "): internal error: " + e);
                if (System.getenv("NOJIT_DEBUG") != null) e.printStackTrace();
                status = WaitStatus.signaled(Signals.SIGSYS);
                break;
            }
        }
        exit(status);
    }

    private static String describe(Trap t) {
        String m = t.getMessage();
        return "trap: " + m;
    }

    private static GuestControl control(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof GuestControl g) return g;
        }
        return null;
    }

    /** The signal a Linux process would have died of for this trap. */
    private static int signalFor(Trap t) {
        return switch (t.kind()) {
            case OUT_OF_BOUNDS_MEMORY, OUT_OF_BOUNDS_TABLE, CALL_STACK_EXHAUSTED -> Signals.SIGSEGV;
            case INTEGER_DIVIDE_BY_ZERO, INTEGER_OVERFLOW -> Signals.SIGFPE;
            case UNREACHABLE, UNDEFINED_ELEMENT, UNINITIALIZED_ELEMENT, INDIRECT_CALL_TYPE_MISMATCH, INVALID_CONVERSION -> Signals.SIGILL;
            case UNALIGNED_ATOMIC -> Signals.SIGBUS;
            default -> Signals.SIGABRT;
        };
    }

    /** Instantiates {@code next} in a fresh store (a new process image) and runs its {@code _start}. */
    private long[] startImage(Program next) {
        if (this.program != null) {
            // execve past the point of no return: the old image is gone.
            fds.closeOnExec();
            signals.resetForExec();
            jumps.clear();
            addressSpace.releaseImage(); // the old memory's charge goes before the new image allocates its own
        }
        this.program = next;
        Store store = new Store(kernel.config().engineFor(next.lenientCallIndirect()));
        Instance inst;
        try {
            inst = store.instantiate(next.image(), kernel.personalities().imports(next.image()), next.compiled());
        } catch (LinkException e) {
            kernel.log("pid " + pid + " (" + next.path() + "): cannot link: " + e.getMessage());
            throw new GuestControl.Exit(WaitStatus.signaled(Signals.SIGKILL));
        }
        this.instance = inst;
        Machine m = new Machine(store);
        this.machine = m;
        // A signal sent while there was no machine to interrupt (during instantiation) is taken at the first safepoint.
        if (killed || signals.anyPending()) m.interrupt(this::atSafepoint);
        dev.nojit.engine.Memory mem = inst.memory();
        this.memory = mem == null ? new GuestMemory(new dev.nojit.engine.Memory(0, 0, false)) : new GuestMemory(mem);
        if (!addressSpace.attach(this.memory.engineMemory()) || !addressSpace.attachMachine(machine)) {
            kernel.log("pid " + pid + " (" + next.path() + "): container memory limit reached");
            throw new GuestControl.Exit(WaitStatus.signaled(Signals.SIGKILL));
        }
        return kernel.personalities().start(this, inst, machine);
    }

    /**
     * Marks the process a zombie with {@code status}, closes its descriptors, tells the parent. Runs once: on
     * the process's own thread, or on a reaper's thread when a SIGKILL found the thread stuck ({@link KillDeadline});
     * whichever comes second does nothing.
     */
    private void exit(int status) {
        if (!ended.compareAndSet(false, true)) return;
        setAlarm(0, 0);
        fds.closeAll();
        kernel.fileLocks().exited(pid);
        addressSpace.release();
        this.waitStatus = status;
        try {
            kernel.enforcer().processExit(this, status);
        } catch (GuestControl failed) {
            // The audit log failed; the enforcer has stopped the container. This process ends anyway.
        }
        kernel.processes().exited(this, status);
    }

    void markZombie(int status) {
        this.waitStatus = status;
        this.state = State.ZOMBIE;
    }

    void markReaped() {
        this.state = State.REAPED;
    }

    // --- signals ---

    /** Sends {@code sig}: it becomes pending and the process is woken to take it. */
    public void signal(int sig) {
        boolean kill = sig == Signals.SIGKILL;
        if (kill) {
            if (killed || ended.get()) return;
            killed = true; // volatile write before blockedInSyscall is read: see blocking()
        }
        if (!signals.post(sig) && !kill) return;
        wake();
        if (kill) KillDeadline.start(this);
    }

    /** Makes the thread take its pending signals now: at its next safepoint, or out of the blocking wait it is in. */
    private void wake() {
        Machine m = machine;
        if (m != null) m.interrupt(this::atSafepoint); // also wakes a guest sleeping in memory.atomic.wait
        Thread t = thread;
        if (t != null && blockedInSyscall && interruptsNow()) t.interrupt();
    }

    /** Whether the process has ended (its exit ran), whatever its thread is doing. */
    boolean hasEnded() {
        return ended.get();
    }

    private volatile boolean recordingViolation;

    /**
     * Records this process's violation ({@code record}: the durable audit write). A SIGKILL arriving meanwhile
     * does not end the process without its thread until the write is done (KillDeadline waits), so the
     * violation is in the log before the process's exit, whatever the audit device's latency; a write that
     * fails stops the container anyway (Enforcer).
     */
    public void recordingViolation(Runnable record) {
        recordingViolation = true;
        try {
            record.run();
        } finally {
            recordingViolation = false;
        }
    }

    boolean isRecordingViolation() {
        return recordingViolation;
    }

    /**
     * The end of a SIGKILLed process whose thread did not come out within {@link KillDeadline#BOUND}: it is
     * stuck where no interrupt reaches (a host call). The process exits without it; the thread, when it ever
     * returns, finds itself killed and runs no more guest code.
     */
    void endWithoutItsThread() {
        exit(WaitStatus.signaled(Signals.SIGKILL));
        // Said after the exit: the host call it is stuck in may be a write to the very stderr this goes to.
        kernel.log("pid " + pid + " (" + exePath() + "): still in a host call " + KillDeadline.BOUND.toMillis()
                + " ms after SIGKILL: ended without waiting for it");
    }

    public boolean killed() {
        return killed;
    }

    private void atSafepoint(HostCall call) {
        deliverSignals(call);
    }

    /** Whether a pending signal would be delivered now (not blocked): only those interrupt a blocking syscall. */
    private boolean interruptsNow() {
        return killed || signals.hasDeliverable();
    }

    /**
     * Runs a blocking part of a syscall so that a signal can interrupt it (EINTR). Never used
     * around host file I/O, which Java would close on interrupt.
     */
    public <T> T blocking(Supplier<T> op) {
        // The flag is published before the checks: signal() writes killed/pending before it reads the flag, so
        // either this thread sees the signal here or the sender sees the flag and interrupts (a Java interrupt
        // set before the wait starts makes the wait throw at once). No wake-up can fall between the two.
        blockedInSyscall = true;
        try {
            if (killed) throw new GuestControl.Exit(WaitStatus.signaled(Signals.SIGKILL));
            if (signals.hasDeliverable()) throw new SyscallError(Errno.EINTR);
            return op.get();
        } finally {
            blockedInSyscall = false;
            Thread.interrupted();
        }
    }

    /**
     * Delivers pending, unblocked signals: the default action (terminate, ignore) or the
     * guest's handler, called on this machine at this point. Called after every syscall and
     * at safepoints. Returns false when a handler without SA_RESTART ran (an interrupted
     * syscall then returns EINTR), true otherwise (it may be restarted).
     */
    public boolean deliverSignals(HostCall call) {
        if (killed) throw new GuestControl.Exit(WaitStatus.signaled(Signals.SIGKILL));
        if (!signals.anyPending()) return true;
        boolean restartable = true;
        for (int sig; (sig = signals.take()) != 0; ) {
            SignalState.Action a = signals.action(sig);
            if (sig == Signals.SIGKILL || a.handler() == Signals.SIG_DFL) {
                switch (Signals.defaultAction(sig)) {
                    case TERMINATE -> throw new GuestControl.Exit(WaitStatus.signaled(sig));
                    case IGNORE, STOP, CONTINUE -> { } // no job control: stop and continue do nothing
                }
                continue;
            }
            if (a.handler() == Signals.SIG_IGN) continue;
            if ((a.flags() & Signals.SA_RESTART) == 0) restartable = false;
            runHandler(call, sig, a);
        }
        return restartable;
    }

    private void runHandler(HostCall call, int sig, SignalState.Action a) {
        FunctionRef f = instance.tableFunction(a.handler());
        if (f == null) throw new GuestControl.Exit(WaitStatus.signaled(Signals.SIGSEGV));
        if (handlerDepth >= MAX_HANDLER_NESTING) {
            kernel.log("pid " + pid + " (" + exePath() + "): signal " + sig + ": handlers nested " + MAX_HANDLER_NESTING
                    + " deep: killed by SIGSEGV (no room for another signal frame)");
            throw new GuestControl.Exit(WaitStatus.signaled(Signals.SIGSEGV));
        }
        if ((a.flags() & Signals.SA_RESETHAND) != 0) signals.setAction(sig, new SignalState.Action(Signals.SIG_DFL, 0, 0));
        long saved = signals.blocked();
        long mask = saved | a.mask();
        if ((a.flags() & Signals.SA_NODEFER) == 0) mask |= Signals.bit(sig);
        signals.setBlocked(mask);
        handlerDepth++;
        try {
            int n = f.type().params().size();
            long[] args = new long[n];
            if (n > 0) args[0] = sig;
            call.machine().invoke(f, args);
        } finally {
            handlerDepth--;
            signals.setBlocked(saved);
        }
    }

    // --- helpers for handlers ---

    /** The engine call a syscall is running in (set by the personality around each handler). */
    public void enterCall(HostCall call) {
        this.currentCall = call;
    }

    public void leaveCall() {
        this.currentCall = null;
    }

    /**
     * fork: the whole process state, paused inside the running fork call. Under compiled (AOT) frames of a module
     * built with deoptimization (every module that imports fork), the engine's {@code AotCapture} leaves this
     * method: it must be the fork handler's first visible step (the reservation made before is returned by the
     * caller's cleanup); the engine rebuilds the frames as interpreter frames and the fork system call runs again.
     * Compiled frames it cannot rebuild (a module translated without deoptimization, or a fork under compiled code
     * entered from a nested run) cannot be copied: the guest sees ENOSYS, as for a system call this kernel does
     * not offer, and the kernel log says why.
     */
    public Snapshot snapshotForFork() {
        HostCall call = currentCall;
        if (call == null) throw new SyscallError(Errno.ENOSYS);
        try {
            return call.snapshot();
        } catch (IllegalStateException e) {
            if (call.compiledFramesOnStack()) {
                kernel.log("pid " + pid + " (" + exePath() + "): fork: ENOSYS: " + e.getMessage());
                throw new SyscallError(Errno.ENOSYS);
            }
            throw new SyscallError(Errno.EAGAIN); // fork from inside a signal handler: not supported
        }
    }

    public String name() {
        return name;
    }

    /** The descriptor WASI programs see as their preopened root directory ("/"), or -1. */
    public int wasiPreopen() {
        return wasiPreopen;
    }

    public void setWasiPreopen(int fd) {
        this.wasiPreopen = fd;
    }

    /** sigaltstack's recorded stack: {sp, flags, size}. Handlers run on the engine's stack; this is bookkeeping. */
    public synchronized long[] altStack() {
        return altStack.clone();
    }

    public synchronized void setAltStack(long sp, long flags, long size) {
        altStack = new long[]{sp, flags, size};
    }

    /** Delivers pending signals from inside the running syscall (sigsuspend: with its temporary mask). */
    public void deliverSignalsNow() {
        if (currentCall != null) deliverSignals(currentCall);
    }

    private java.util.concurrent.ScheduledFuture<?> alarm;
    private long alarmDeadline;
    private long alarmInterval;

    /** ITIMER_REAL / alarm: SIGALRM after {@code nanos} (0 cancels), then every {@code interval}; returns nanos left on the old one. */
    public synchronized long[] setAlarm(long nanos, long interval) {
        long now = System.nanoTime();
        long[] old = {alarm == null || alarm.isDone() ? 0 : Math.max(1, alarmDeadline - now), alarmInterval};
        if (alarm != null) alarm.cancel(false);
        alarm = null;
        alarmInterval = interval;
        if (nanos > 0) {
            alarmDeadline = now + nanos;
            alarm = kernel.timer().schedule(this::alarmFired, nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        return old;
    }

    public synchronized long[] alarm() {
        long left = alarm == null || alarm.isDone() ? 0 : Math.max(1, alarmDeadline - System.nanoTime());
        return new long[]{left, alarmInterval};
    }

    private void alarmFired() {
        if (state != State.RUNNING) return;
        signal(Signals.SIGALRM);
        synchronized (this) {
            if (alarmInterval > 0) {
                alarmDeadline = System.nanoTime() + alarmInterval;
                alarm = kernel.timer().schedule(this::alarmFired, alarmInterval, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        }
    }

    public void setName(String name) {
        this.name = name;
    }

    /** Throws when this process has been killed (checked at syscall entry and exit). */
    public void checkKilled() {
        if (killed) throw new GuestControl.Exit(WaitStatus.signaled(Signals.SIGKILL));
    }

    /** The child record used by fork. */
    Process forkChild(int childPid) {
        Process c = new Process(kernel, childPid, pid, pgid, sid, fds.copy(), signals.copyForFork(), rlimits.copy(), cwd, umask);
        c.secureBits = secureBits;
        return c;
    }

    // --- a harness calling handlers directly (the syscall fuzzer) ---

    /**
     * Makes this process (created, never started) the current process of the calling thread,
     * as if it ran {@code program} with {@code memory} as its linear memory, so that syscall
     * handlers can be called on this thread without an engine. Signals reach it as they would
     * reach a process's own thread. Package-private: only the test harness in this package uses it.
     */
    void bindToCallingThread(Program program, GuestMemory memory) {
        if (this.program != null) throw new IllegalStateException("pid " + pid + " already runs an image");
        this.program = program;
        this.memory = memory;
        this.thread = Thread.currentThread();
        if (!addressSpace.attach(memory.engineMemory())) throw new IllegalStateException("memory limit");
        CURRENT.set(this);
    }

    /** Ends a process bound by {@link #bindToCallingThread} as its own thread's run loop would. */
    void endOnCallingThread(int status) {
        try {
            exit(status);
        } finally {
            CURRENT.remove();
        }
    }

    public long uptimeNanos() {
        return System.nanoTime() - startNanos;
    }
}
