package dev.nojit.vkernel.syscall;

/**
 * Every Linux syscall the vkernel implements, by family. To find a syscall's handler, look
 * for its name in the family's {@code register}: files and descriptors ({@link FileSyscalls}),
 * paths and directories ({@link PathSyscalls}), processes ({@link ProcessSyscalls}), signals
 * ({@link SignalSyscalls}), memory ({@link MemorySyscalls}), time ({@link TimeSyscalls}),
 * readiness ({@link PollSyscalls}), epoll and eventfd ({@link EventSyscalls}) and the system
 * ({@link SystemSyscalls}).
 */
public final class Syscalls {
    private Syscalls() {}

    /** Handlers hold no state (they get their process and arguments), so one table serves every container. */
    private static final SyscallTable TABLE = build();

    public static SyscallTable table() {
        return TABLE;
    }

    private static SyscallTable build() {
        SyscallTable t = new SyscallTable();
        FileSyscalls.register(t);
        LockSyscalls.register(t);
        PathSyscalls.register(t);
        ProcessSyscalls.register(t);
        SignalSyscalls.register(t);
        MemorySyscalls.register(t);
        TimeSyscalls.register(t);
        PollSyscalls.register(t);
        SystemSyscalls.register(t);
        EventSyscalls.register(t);
        return t;
    }
}
