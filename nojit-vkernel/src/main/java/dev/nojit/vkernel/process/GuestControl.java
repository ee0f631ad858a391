package dev.nojit.vkernel.process;

/**
 * Control transfers thrown out of a syscall handler through the engine to the process's run
 * loop: the process ends, or its image is replaced. No stack trace: guests trigger them at will.
 */
public abstract sealed class GuestControl extends RuntimeException permits GuestControl.Exit, GuestControl.Exec {
    GuestControl() {
        super(null, null, false, false);
    }

    /** The process ends with this wait status (exit, exit_group, a fatal signal). */
    public static final class Exit extends GuestControl {
        public final int waitStatus;

        public Exit(int waitStatus) {
            this.waitStatus = waitStatus;
        }
    }

    /** execve succeeded: run {@code program} in this process from its start. */
    public static final class Exec extends GuestControl {
        public final Program program;

        public Exec(Program program) {
            this.program = program;
        }
    }
}
