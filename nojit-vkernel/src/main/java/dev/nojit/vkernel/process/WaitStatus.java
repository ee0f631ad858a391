package dev.nojit.vkernel.process;

/** The wait(2) status word, Linux encoding: exit code in bits 8..15, or the terminating signal in bits 0..6. */
public final class WaitStatus {
    private WaitStatus() {}

    public static int exited(int code) {
        return (code & 0xff) << 8;
    }

    public static int signaled(int signal) {
        return signal & 0x7f;
    }

    public static boolean isExited(int status) {
        return (status & 0x7f) == 0;
    }

    public static int exitCode(int status) {
        return (status >> 8) & 0xff;
    }

    public static int termSignal(int status) {
        return status & 0x7f;
    }

    /** The shell/docker convention: the exit code, or 128 + the signal. */
    public static int shellCode(int status) {
        return isExited(status) ? exitCode(status) : 128 + termSignal(status);
    }
}
