package dev.nojit.vkernel.process;

/** Signal numbers (x86-64) and their default actions. */
public final class Signals {
    private Signals() {}

    public static final int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7,
            SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14,
            SIGTERM = 15, SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21,
            SIGTTOU = 22, SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28,
            SIGIO = 29, SIGPWR = 30, SIGSYS = 31;
    public static final int NSIG = 64;
    public static final long SIG_DFL = 0, SIG_IGN = 1;
    public static final int SA_NOCLDSTOP = 1, SA_NOCLDWAIT = 2, SA_SIGINFO = 4, SA_ONSTACK = 0x08000000,
            SA_RESTART = 0x10000000, SA_NODEFER = 0x40000000, SA_RESETHAND = 0x80000000;

    public enum Default { TERMINATE, IGNORE, STOP, CONTINUE }

    public static Default defaultAction(int sig) {
        return switch (sig) {
            case SIGCHLD, SIGURG, SIGWINCH -> Default.IGNORE;
            case SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU -> Default.STOP;
            case SIGCONT -> Default.CONTINUE;
            default -> Default.TERMINATE;
        };
    }

    public static long bit(int sig) {
        return 1L << (sig - 1);
    }

    /** SIGKILL and SIGSTOP can be neither caught, ignored nor blocked. */
    public static final long UNBLOCKABLE = bit(SIGKILL) | bit(SIGSTOP);
}
