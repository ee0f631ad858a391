package dev.nojit.host.landlock;

import dev.nojit.host.HostCallException;
import dev.nojit.host.kernel.LinuxCalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Landlock through {@link LinuxCalls#syscall}. {@link #restrictCurrentThread} confines only the calling
 * thread and what it later starts (threads, processes): this kernel has no flag to confine every thread
 * of a process (TSYNC), so a JVM applies it on a dedicated thread that then spawns the confined child.
 */
public final class Landlock {
    private Landlock() {}

    /** The minimum ABI {@code --host-lockdown strict} accepts: 3, the first that handles truncate(2). */
    public static final int STRICT_MIN_ABI = 3;

    private static final long CREATE_RULESET_VERSION = 1, RULE_PATH_BENEATH = 1;
    private static final long ACCESS_NET_BIND_TCP = 1, ACCESS_NET_CONNECT_TCP = 2;
    private static final long SCOPE_ABSTRACT_UNIX_SOCKET = 1, SCOPE_SIGNAL = 2;
    private static final long SYS_OPENAT = 257, SYS_CLOSE = 3, AT_FDCWD = -100;
    private static final long O_PATH = 010000000, O_CLOEXEC = 02000000;

    /** The ABI of the running kernel, or 0 with the errno when Landlock is absent or disabled. */
    public static LandlockProbe probe() {
        try {
            long abi = LinuxCalls.syscall("landlock_create_ruleset(VERSION)", LinuxCalls.SYS_LANDLOCK_CREATE_RULESET,
                    0, 0, CREATE_RULESET_VERSION, 0, 0);
            return new LandlockProbe((int) abi, 0);
        } catch (HostCallException e) {
            return new LandlockProbe(0, e.errno());
        }
    }

    /**
     * Sets no_new_privs and enforces {@code rules} on the calling thread, for ever. Rights the kernel's
     * ABI does not know are left out (see {@link LandlockProbe#require}). Every path must exist.
     *
     * @return what was put in force, for the attestation
     * @throws HostCallException when a call fails (the thread is then unchanged unless restrict_self ran)
     */
    public static LandlockApplied restrictCurrentThread(LandlockRules rules) {
        LandlockProbe probe = probe();
        if (!probe.available()) throw new HostCallException("landlock (" + probe.describe() + ")", probe.errno());
        int abi = probe.abi();
        long handledFs = Access.allKnown(abi);
        long handledNet = abi >= 4 ? ACCESS_NET_BIND_TCP | ACCESS_NET_CONNECT_TCP : 0;
        long scoped = abi >= 6 ? SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL : 0;
        // Built before restrict_self: after it, loading a class from a path outside the rules would fail.
        LandlockApplied applied = new LandlockApplied(abi, handledFs, handledNet, scoped, rules);
        try (Arena arena = Arena.ofConfined()) {
            // struct landlock_ruleset_attr { u64 handled_access_fs; u64 handled_access_net; u64 scoped; }:
            // pass only the fields this ABI knows (8, 16 or 24 bytes).
            long attrSize = abi >= 6 ? 24 : abi >= 4 ? 16 : 8;
            MemorySegment attr = arena.allocate(24, 8);
            attr.set(ValueLayout.JAVA_LONG, 0, handledFs);
            attr.set(ValueLayout.JAVA_LONG, 8, handledNet);
            attr.set(ValueLayout.JAVA_LONG, 16, scoped);
            int rulesetFd = (int) LinuxCalls.syscall("landlock_create_ruleset", LinuxCalls.SYS_LANDLOCK_CREATE_RULESET,
                    attr.address(), attrSize, 0, 0, 0);
            try {
                // struct landlock_path_beneath_attr { u64 allowed_access; s32 parent_fd; } packed: 12 bytes.
                MemorySegment beneath = arena.allocate(12, 8);
                for (PathRule rule : rules.paths()) {
                    int fd = openPath(arena, rule.path().toString());
                    try {
                        beneath.set(ValueLayout.JAVA_LONG, 0, Access.mask(rule.rights(), abi));
                        beneath.set(ValueLayout.JAVA_INT, 8, fd);
                        LinuxCalls.syscall("landlock_add_rule " + rule.path(), LinuxCalls.SYS_LANDLOCK_ADD_RULE,
                                rulesetFd, RULE_PATH_BENEATH, beneath.address(), 0, 0);
                    } finally {
                        close(fd);
                    }
                }
                LinuxCalls.prctl("prctl(PR_SET_NO_NEW_PRIVS)", LinuxCalls.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
                LinuxCalls.syscall("landlock_restrict_self", LinuxCalls.SYS_LANDLOCK_RESTRICT_SELF, rulesetFd, 0, 0, 0, 0);
            } finally {
                close(rulesetFd);
            }
        }
        return applied;
    }

    /** open(path, O_PATH | O_CLOEXEC): a handle naming the inode, usable as parent_fd, granting no access. */
    private static int openPath(Arena arena, String path) {
        MemorySegment cPath = arena.allocateFrom(path);
        return (int) LinuxCalls.syscall("open(O_PATH) " + path, SYS_OPENAT, AT_FDCWD, cPath.address(),
                O_PATH | O_CLOEXEC, 0, 0);
    }

    private static void close(int fd) {
        LinuxCalls.syscall("close", SYS_CLOSE, fd, 0, 0, 0, 0);
    }
}
