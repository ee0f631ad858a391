package dev.nojit.host.seccomp;

/**
 * What the filter does with a system call: the value a seccomp filter returns (seccomp(2),
 * {@code SECCOMP_RET_*}). Only the three actions nojit uses exist.
 */
public record Action(Kind kind, int errno) {
    public enum Kind { ALLOW, ERRNO, KILL_PROCESS }

    /** SECCOMP_RET_ALLOW: the call runs. */
    public static final Action ALLOW = new Action(Kind.ALLOW, 0);
    /** SECCOMP_RET_ERRNO | EPERM: the call does not run and returns -1 with errno EPERM. */
    public static final Action EPERM = new Action(Kind.ERRNO, 1);
    /**
     * SECCOMP_RET_ERRNO | ENOSYS: "this kernel has no such call". For clone3 only: glibc then
     * falls back to clone(2), whose flags the filter can read (clone3 passes them in memory).
     */
    public static final Action ENOSYS = new Action(Kind.ERRNO, 38);
    /** SECCOMP_RET_KILL_PROCESS: the whole process dies as by an uncatchable SIGSYS (exit status 128 + 31). */
    public static final Action KILL_PROCESS = new Action(Kind.KILL_PROCESS, 0);

    static final int RET_KILL_PROCESS = 0x8000_0000, RET_ERRNO = 0x0005_0000, RET_ALLOW = 0x7fff_0000;

    public Action {
        if (kind == Kind.ERRNO ? errno < 1 || errno > 0xfff : errno != 0) {
            throw new IllegalArgumentException("errno " + errno + " for " + kind);
        }
    }

    /** The 32-bit value a BPF {@code ret} returns for this action. */
    public int seccompRet() {
        return switch (kind) {
            case ALLOW -> RET_ALLOW;
            case ERRNO -> RET_ERRNO | errno;
            case KILL_PROCESS -> RET_KILL_PROCESS;
        };
    }

    @Override
    public String toString() {
        return kind == Kind.ERRNO ? switch (errno) {
            case 1 -> "ERRNO(EPERM)";
            case 38 -> "ERRNO(ENOSYS)";
            default -> "ERRNO(" + errno + ")";
        } : kind.name();
    }
}
