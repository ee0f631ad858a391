package dev.nojit.vkernel.process;

import dev.nojit.engine.Snapshot;
import dev.nojit.vkernel.Kernel;
import dev.nojit.vkernel.fs.FdTable;
import dev.nojit.vkernel.memory.ProcessCharges;
import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The container's process tree: pid allocation, fork, exit, zombies, wait and reaping,
 * orphans re-parented to pid 1, and the process limit (fork beyond it gets EAGAIN). When
 * pid 1 ends, every other process is killed, as in a Linux pid namespace.
 */
public final class ProcessTable {
    public static final int WNOHANG = 1, WUNTRACED = 2;
    private final Kernel kernel;
    private final int maxProcesses;
    private final TreeMap<Integer, Process> processes = new TreeMap<>();
    private int nextPid = 1;
    private Integer initStatus;
    private boolean stopping; // the container is being stopped: no new process may slip past killAll

    public ProcessTable(Kernel kernel, int maxProcesses) {
        this.kernel = kernel;
        this.maxProcesses = maxProcesses;
    }

    private int allocatePid() {
        if (processes.size() >= maxProcesses) throw new SyscallError(Errno.EAGAIN);
        while (processes.containsKey(nextPid)) nextPid = nextPid >= 4_194_304 ? 2 : nextPid + 1;
        return nextPid++;
    }

    /** Creates pid 1 (not started). */
    public synchronized Process createInit(FdTable fds, Rlimits limits, String cwd) {
        int pid = allocatePid();
        // Process group and session 0: pid 1 starts inside the supervisor's session, not as a leader, so it may setsid/setpgid.
        Process p = new Process(kernel, pid, 0, 0, 0, fds, new SignalState(), limits, cwd, 022);
        p.setSecureBits(kernel.gate().initialSecureBits());
        processes.put(pid, p);
        return p;
    }

    /**
     * fork: a child of {@code parent} continuing a snapshot of it; returns the child's pid.
     * {@code reserved} bytes were charged for the child's memory and stack before the copy; the child takes
     * them, or they are returned when the fork fails.
     */
    public int fork(Process parent, ProcessCharges.Reservation reserved) {
        Process child;
        Snapshot snap;
        dev.nojit.engine.Memory childMemory;
        boolean taken = false;
        try {
            snap = parent.snapshotForFork();
            synchronized (this) {
                if (initStatus != null || stopping) throw new SyscallError(Errno.EAGAIN);
                parent.checkKilled(); // a killed parent (perhaps already ended without its thread) has no children
                int pid = allocatePid();
                child = parent.forkChild(pid);
                childMemory = snap.memory(parent.memory().engineMemory());
                child.setAddressSpace(parent.addressSpace().copyFor(childMemory, snap.machine(), reserved));
                taken = true;
                processes.put(pid, child);
                parent.children().add(child);
            }
        } finally {
            if (!taken) parent.addressSpace().cancelCopy(reserved);
        }
        child.startForked(snap, parent, childMemory);
        return child.pid();
    }

    public synchronized Process get(int pid) {
        Process p = processes.get(pid);
        return p == null || p.state() == Process.State.REAPED ? null : p;
    }

    public synchronized Map<Integer, Process> all() {
        return new TreeMap<>(processes);
    }

    public synchronized List<Process> group(int pgid) {
        List<Process> out = new ArrayList<>();
        for (Process p : processes.values()) if (p.pgid() == pgid && p.state() == Process.State.RUNNING) out.add(p);
        return out;
    }

    public synchronized int count() {
        return processes.size();
    }

    /** A process ended: it becomes a zombie for its parent, its children go to pid 1. */
    void exited(Process p, int status) {
        List<Process> toKill = List.of();
        synchronized (this) {
            p.markZombie(status);
            Process init = processes.get(1);
            for (Process c : p.children()) {
                if (p.pid() == 1 || init == null) continue;
                c.setPpid(1);
                init.children().add(c);
            }
            if (p.pid() != 1) p.children().clear();
            Process parent = processes.get(p.ppid());
            boolean autoReap = parent == null || parent.state() != Process.State.RUNNING
                    || parent.signals().action(Signals.SIGCHLD).handler() == Signals.SIG_IGN
                    || (parent.signals().action(Signals.SIGCHLD).flags() & Signals.SA_NOCLDWAIT) != 0;
            if (p.pid() == 1) {
                initStatus = status;
                toKill = new ArrayList<>();
                for (Process q : processes.values()) if (q != p && q.state() == Process.State.RUNNING) toKill.add(q);
            } else if (autoReap) {
                reap(p);
            }
            // Zombie children of a dead process have nobody to wait for them.
            for (Process c : new ArrayList<>(p.children())) if (c.state() == Process.State.ZOMBIE && p.pid() != 1) reap(c);
            notifyAll();
            if (parent != null && parent.state() == Process.State.RUNNING && p.pid() != 1) parent.signal(Signals.SIGCHLD);
        }
        for (Process q : toKill) q.signal(Signals.SIGKILL);
        if (p.pid() == 1) kernel.initExited(status);
        // Zombies of re-parented children are reaped by init's wait; if init ignores SIGCHLD they go now.
    }

    private void reap(Process p) {
        p.markReaped();
        processes.remove(p.pid());
        Process parent = processes.get(p.ppid());
        if (parent != null) parent.children().remove(p);
    }

    /**
     * wait4: a terminated child matching {@code pidSpec} (pid, -1 any, 0 the caller's group,
     * -pgid a group) is reaped and returned as {pid, status}; {0, 0} with WNOHANG when none is
     * ready; ECHILD when there is no such child; EINTR when a signal arrives.
     */
    public int[] waitChild(Process parent, int pidSpec, int options) {
        // A child's exit both wakes this wait and sends SIGCHLD. The zombie is looked for before
        // anything can answer EINTR (as Linux does), so the signal never turns its own news into
        // EINTR — also when it arrived just before wait4, while the caller ran guest code.
        int[] ready = reapOne(parent, pidSpec);
        if (ready != null) return ready;
        if ((options & WNOHANG) != 0) return new int[]{0, 0};
        return parent.blocking(() -> {
            synchronized (this) {
                boolean interrupted = false;
                while (true) {
                    int[] r = reapOne(parent, pidSpec);
                    if (r != null) return r;
                    if (interrupted || parent.killed() || parent.signals().hasDeliverable()) throw new SyscallError(Errno.EINTR);
                    try {
                        wait(100);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
        });
    }

    /** Reaps a zombie child matching {@code pidSpec}: {pid, status}; null when none is ready; ECHILD when none matches. */
    private synchronized int[] reapOne(Process parent, int pidSpec) {
        boolean any = false;
        for (Process c : new ArrayList<>(parent.children())) {
            if (!matches(parent, c, pidSpec)) continue;
            any = true;
            if (c.state() == Process.State.ZOMBIE) {
                reap(c);
                return new int[]{c.pid(), c.waitStatus()};
            }
        }
        if (!any) throw new SyscallError(Errno.ECHILD);
        return null;
    }

    private static boolean matches(Process parent, Process c, int spec) {
        if (spec > 0) return c.pid() == spec;
        if (spec == -1) return true;
        if (spec == 0) return c.pgid() == parent.pgid();
        return c.pgid() == -spec;
    }

    /** Kills every process (container stop); returns at once. */
    public void killAll() {
        List<Process> all;
        synchronized (this) {
            stopping = true;
            all = new ArrayList<>(processes.values());
        }
        for (Process p : all) if (p.state() == Process.State.RUNNING) p.signal(Signals.SIGKILL);
    }

    /** Waits until no process is running (or the deadline); true when all ended. */
    public synchronized boolean awaitAllEnded(long deadlineNanos) throws InterruptedException {
        while (true) {
            boolean running = processes.values().stream().anyMatch(p -> p.state() == Process.State.RUNNING);
            if (!running) return true;
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) return false;
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
