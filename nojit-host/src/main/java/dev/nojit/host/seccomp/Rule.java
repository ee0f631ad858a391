package dev.nojit.host.seccomp;

/**
 * One line of the filter table: for system call {@code name} (x86-64 number {@code nr}), when
 * {@code when} holds, do {@code action}. A call's rules are tried in table order; the first
 * that holds decides; a call that no rule decides is allowed.
 */
public record Rule(String name, int nr, Condition when, Action action) {
    public Rule {
        if (nr < 0 || nr >= SeccompPolicy.X32_SYSCALL_BIT) throw new IllegalArgumentException(name + ": number " + nr);
    }

    static Rule always(String name, int nr, Action action) {
        return new Rule(name, nr, Condition.ALWAYS, action);
    }

    @Override
    public String toString() {
        return String.format("%-18s %3d  %-26s %s", name, nr, when, action);
    }
}
