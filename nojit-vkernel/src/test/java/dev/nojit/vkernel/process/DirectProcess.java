package dev.nojit.vkernel.process;

import dev.nojit.vkernel.Kernel;
import dev.nojit.vkernel.fs.FdTable;
import dev.nojit.vkernel.memory.GuestMemory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Process 1 of a container without an engine: the calling thread becomes the process, with a
 * linear memory the caller fills, so a harness can call syscall handlers directly (the syscall
 * fuzzer). Also checks the process tree's invariants, which only this package can see.
 */
public final class DirectProcess {
    private DirectProcess() {}

    /** Creates pid 1 with {@code fds} running {@code program} over {@code memory}, bound to the calling thread. */
    public static Process bind(Kernel kernel, FdTable fds, Rlimits limits, Program program, GuestMemory memory) {
        Process p = kernel.processes().createInit(fds, limits, "/");
        p.bindToCallingThread(program, memory);
        return p;
    }

    /** Ends {@code p} with {@code waitStatus} as its run loop would (descriptors closed, exit recorded, parent told). */
    public static void end(Process p, int waitStatus) {
        p.endOnCallingThread(waitStatus);
    }

    /**
     * The process tree's invariants, as messages (empty when all hold): a reaped process is not
     * in the table; each child's ppid names its parent; a running process's parent, when in the
     * table and running, lists it as a child; a process that is not running holds no descriptors.
     */
    public static List<String> treeProblems(Kernel kernel) {
        List<String> out = new ArrayList<>();
        ProcessTable table = kernel.processes();
        synchronized (table) {
            Map<Integer, Process> all = table.all();
            for (Process q : all.values()) {
                if (q.state() == Process.State.REAPED) out.add("pid " + q.pid() + " reaped but still in the table");
                for (Process c : q.children()) {
                    if (c.ppid() != q.pid()) out.add("pid " + c.pid() + " is a child of " + q.pid() + " but its ppid is " + c.ppid());
                }
                Process parent = all.get(q.ppid());
                if (q.state() == Process.State.RUNNING && parent != null && parent.state() == Process.State.RUNNING
                        && !parent.children().contains(q)) {
                    out.add("pid " + q.pid() + " is missing from its parent " + parent.pid() + "'s children");
                }
                if (q.state() != Process.State.RUNNING && q.fdTable().count() != 0) {
                    out.add("pid " + q.pid() + " ended holding " + q.fdTable().count() + " descriptors");
                }
            }
        }
        return out;
    }
}
