package dev.nojit.host;

import dev.nojit.host.kernel.LinuxCalls;

/**
 * The few process attributes the shim and the vkernel set on themselves, each one purpose-built
 * call. The raw {@code syscall(2)} entry point ({@link LinuxCalls}) is not exported from this
 * module: code outside it (the whole vkernel) can change only what these methods change.
 */
public final class ProcessGuards {
    private static final int PR_SET_DUMPABLE = 4;
    private static final long SYS_GETPPID = 110;

    private ProcessGuards() {}

    /** The kernel sends this process SIGKILL when the thread that started it ends (PR_SET_PDEATHSIG). */
    public static void dieWithParent() {
        LinuxCalls.prctl("prctl(PR_SET_PDEATHSIG)", LinuxCalls.PR_SET_PDEATHSIG, 9, 0, 0, 0);
    }

    /**
     * A daemon thread that halts this JVM with {@code exitCode} once its parent process is gone
     * (getppid changes): the backstop for {@link #dieWithParent}, which misses a parent that died
     * before the prctl.
     */
    public static void haltWhenOrphaned(int exitCode) {
        long parent = parentPid();
        Thread.ofPlatform().daemon().name("nojit-parent-watch").start(() -> {
            while (parentPid() == parent) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
            Runtime.getRuntime().halt(exitCode);
        });
    }

    /** getppid(2): works where /proc cannot be read (a process confined by Landlock). */
    public static long parentPid() {
        return LinuxCalls.syscall("getppid", SYS_GETPPID, 0, 0, 0, 0, 0);
    }

    /** No core dumps and no ptrace by other processes of the same user (PR_SET_DUMPABLE 0). */
    public static void notDumpable() {
        LinuxCalls.prctl("prctl(PR_SET_DUMPABLE)", PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
}
