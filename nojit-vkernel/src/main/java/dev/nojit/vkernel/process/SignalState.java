package dev.nojit.vkernel.process;

/**
 * A process's signal dispositions (handler = a guest function-table index, or SIG_DFL/SIG_IGN),
 * blocked mask and pending set. Copied on fork; execve resets caught signals to SIG_DFL.
 */
public final class SignalState {
    public record Action(long handler, long mask, int flags) {
        static final Action DEFAULT = new Action(Signals.SIG_DFL, 0, 0);
    }

    private final Action[] actions = new Action[Signals.NSIG + 1];
    private long blocked;
    private volatile long pending; // volatile: read without the lock on every syscall's way out

    public SignalState() {
        java.util.Arrays.fill(actions, Action.DEFAULT);
    }

    public synchronized SignalState copyForFork() {
        SignalState s = new SignalState();
        System.arraycopy(actions, 0, s.actions, 0, actions.length);
        s.blocked = blocked;
        return s; // pending signals are not inherited
    }

    public synchronized void resetForExec() {
        for (int i = 1; i <= Signals.NSIG; i++) {
            if (actions[i].handler() != Signals.SIG_IGN) actions[i] = Action.DEFAULT;
        }
    }

    public synchronized Action action(int sig) {
        return actions[sig];
    }

    public synchronized void setAction(int sig, Action a) {
        actions[sig] = a;
    }

    public synchronized long blocked() {
        return blocked;
    }

    public synchronized void setBlocked(long mask) {
        blocked = mask & ~Signals.UNBLOCKABLE;
    }

    public synchronized long pending() {
        return pending;
    }

    /**
     * Marks {@code sig} pending unless it would be ignored; true when it was added. With no job control, a
     * stop or continue signal left at its default action has no effect at all: like an ignored one it is
     * dropped here, so it never interrupts a blocking call either (on Linux the stopped call restarts).
     */
    public synchronized boolean post(int sig) {
        Action a = actions[sig];
        boolean ignored = sig != Signals.SIGKILL && (a.handler() == Signals.SIG_IGN
                || (a.handler() == Signals.SIG_DFL && Signals.defaultAction(sig) != Signals.Default.TERMINATE));
        if (ignored) return false;
        pending |= Signals.bit(sig);
        return true;
    }

    /** Takes the lowest pending, unblocked signal, or 0. */
    public synchronized int take() {
        long ready = pending & (~blocked | Signals.UNBLOCKABLE);
        if (ready == 0) return 0;
        int sig = Long.numberOfTrailingZeros(ready) + 1;
        pending &= ~Signals.bit(sig);
        return sig;
    }

    /** Whether any signal is pending at all (blocked or not): the lock-free check after every syscall. */
    public boolean anyPending() {
        return pending != 0;
    }

    public synchronized boolean hasDeliverable() {
        return (pending & (~blocked | Signals.UNBLOCKABLE)) != 0;
    }
}
