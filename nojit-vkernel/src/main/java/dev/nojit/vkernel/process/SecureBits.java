package dev.nojit.vkernel.process;

import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

/**
 * A process's securebits, prctl(PR_GET_SECUREBITS / PR_SET_SECUREBITS), with the bit values of
 * Linux 6.14's include/uapi/linux/securebits.h: each setting is one bit, and the bit above it
 * locks it. The vkernel acts on none of the capability settings (the guest is the container's
 * root, with no capability model behind it); it keeps them so a guest reads back what it set.
 * The two exec settings are what an interpreter consults before it runs a file
 * (Documentation/userspace-api/check_exec.rst): under {@code scripts: manifest-only} every
 * process starts with both set and locked ({@link #MANIFEST_ONLY}).
 */
public final class SecureBits {
    private SecureBits() {}

    public static final int NOROOT = 1, NO_SETUID_FIXUP = 1 << 2, KEEP_CAPS = 1 << 4, NO_CAP_AMBIENT_RAISE = 1 << 6,
            EXEC_RESTRICT_FILE = 1 << 8, EXEC_DENY_INTERACTIVE = 1 << 10;
    private static final int ALL_SETTINGS = NOROOT | NO_SETUID_FIXUP | KEEP_CAPS | NO_CAP_AMBIENT_RAISE
            | EXEC_RESTRICT_FILE | EXEC_DENY_INTERACTIVE;
    private static final int ALL_LOCKS = ALL_SETTINGS << 1;

    /** SECBIT_EXEC_RESTRICT_FILE and SECBIT_EXEC_DENY_INTERACTIVE, each with its _LOCKED bit (0xf00). */
    public static final int MANIFEST_ONLY = EXEC_RESTRICT_FILE | EXEC_RESTRICT_FILE << 1
            | EXEC_DENY_INTERACTIVE | EXEC_DENY_INTERACTIVE << 1;

    /**
     * PR_SET_SECUREBITS from {@code current} to {@code requested} (read at full width). As Linux
     * (security/commoncap.c) refuses it with EPERM: a locked setting changed, a lock cleared, or a
     * bit that is no setting or lock. The container's root holds CAP_SETPCAP, so every other
     * change is allowed, setting the same value again included.
     */
    public static int change(int current, long requested) {
        if ((requested & ~(long) (ALL_SETTINGS | ALL_LOCKS)) != 0) throw new SyscallError(Errno.EPERM);
        int wanted = (int) requested;
        int lockedSettings = (current & ALL_LOCKS) >>> 1;
        if ((lockedSettings & (current ^ wanted)) != 0) throw new SyscallError(Errno.EPERM);
        if ((current & ALL_LOCKS & ~wanted) != 0) throw new SyscallError(Errno.EPERM);
        return wanted;
    }

    /** Over execve: Linux clears SECURE_KEEP_CAPS (cap_bprm_creds_from_file) and keeps every other bit. */
    public static int afterExec(int current) {
        return current & ~KEEP_CAPS;
    }
}
