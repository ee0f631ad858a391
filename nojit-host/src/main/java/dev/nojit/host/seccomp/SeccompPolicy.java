package dev.nojit.host.seccomp;

import java.util.List;

import static dev.nojit.host.seccomp.Action.ALLOW;
import static dev.nojit.host.seccomp.Action.EPERM;
import static dev.nojit.host.seccomp.Action.KILL_PROCESS;
import static dev.nojit.host.seccomp.Rule.always;

/**
 * A seccomp filter as data, meant to be read and audited; {@link BpfCompiler} turns it into
 * classic BPF. Decision order:
 * <ol>
 *   <li>{@code seccomp_data.arch != arch} → {@code otherArch} (a 32-bit int 0x80 call or any
 *       foreign ABI would be judged by other syscall numbers);</li>
 *   <li>{@code nr >= X32_SYSCALL_BIT} (unsigned) → {@code x32} (x32 calls share the x86-64
 *       arch value but have their own numbers, e.g. x32 execve is 0x40000208);</li>
 *   <li>the rules of that number in table order, the first whose condition holds;</li>
 *   <li>otherwise {@code otherwise}.</li>
 * </ol>
 */
public record SeccompPolicy(int arch, Action otherArch, Action x32, List<Rule> rules, Action otherwise) {
    /** AUDIT_ARCH_X86_64 = EM_X86_64 (62) | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE. */
    public static final int AUDIT_ARCH_X86_64 = 0xC000_003E;
    /** __X32_SYSCALL_BIT: set in the number of every x32 system call. */
    public static final int X32_SYSCALL_BIT = 0x4000_0000;

    public static final int PROT_EXEC = 0x4, SHM_EXEC = 0100000, PERSONALITY_QUERY = 0xffff_ffff;
    /**
     * The namespace flags clone(2) accepts: NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID,
     * NEWNET. (CLONE_NEWTIME, 0x80, exists only for clone3 and unshare; in clone(2) that bit
     * belongs to the exit signal.) All are in the low word, which is all the kernel reads.
     */
    public static final int CLONE_NAMESPACES = 0x7E02_0000;

    public SeccompPolicy {
        rules = List.copyOf(rules);
    }

    /**
     * The vkernel's filter (issue 6). Exec-memory attempts kill the process: no legitimate path
     * of a vkernel started with a fixed, fully committed code cache makes them, so one is an
     * attack or a bug. The other refused calls return EPERM so that library code which merely
     * probes them (ProcessBuilder, glibc's realloc, ZGC) fails cleanly.
     *
     * <ul>
     *   <li>x32 calls are killed: nothing in a 64-bit JVM makes them.</li>
     *   <li>mremap returns EPERM for every call: the filter cannot see whether the source pages
     *       are executable (an older RWX page, e.g. the code cache, could be grown or moved), and
     *       HotSpot never calls it; glibc calls it only from realloc of a large mmapped block and
     *       then falls back to malloc + copy + free. A kill would turn that into a crash.</li>
     *   <li>personality: only the query {@code personality(0xffffffff)} is allowed; the kernel
     *       takes an unsigned int, so the low word is compared and 0x1_ffffffff is a query too.
     *       Setting any persona (READ_IMPLIES_EXEC makes PROT_READ executable) kills.</li>
     *   <li>clone with a namespace flag returns EPERM like unshare (the same thing done while
     *       creating a thread or process); clone3 returns ENOSYS, because its flags lie in
     *       memory the filter cannot read, and glibc answers ENOSYS by using clone.</li>
     *   <li>The new mount API (fsopen ... mount_setattr) returns EPERM like mount(2): the issue
     *       bans mounting and these do the same thing by another door.</li>
     * </ul>
     */
    public static SeccompPolicy vkernel() {
        Condition protExec = new Condition.AnyBitSet(2, PROT_EXEC);
        return new SeccompPolicy(AUDIT_ARCH_X86_64, KILL_PROCESS, KILL_PROCESS, List.of(
                // Executable memory: the prot argument is arg2 in all three.
                new Rule("mmap", 9, protExec, KILL_PROCESS),
                new Rule("mprotect", 10, protExec, KILL_PROCESS),
                new Rule("pkey_mprotect", 329, protExec, KILL_PROCESS),
                new Rule("personality", 135, new Condition.LowWordNot(0, PERSONALITY_QUERY), KILL_PROCESS),
                new Rule("shmat", 30, new Condition.AnyBitSet(2, SHM_EXEC), KILL_PROCESS),
                always("mremap", 25, EPERM),
                always("memfd_create", 319, EPERM),
                // Running other programs.
                always("execve", 59, EPERM),
                always("execveat", 322, EPERM),
                // Reaching into other processes or the kernel.
                always("ptrace", 101, EPERM),
                always("process_vm_readv", 310, EPERM),
                always("process_vm_writev", 311, EPERM),
                always("bpf", 321, EPERM),
                always("userfaultfd", 323, EPERM),
                always("io_uring_setup", 425, EPERM),
                always("io_uring_enter", 426, EPERM),
                always("io_uring_register", 427, EPERM),
                always("perf_event_open", 298, EPERM),
                always("kexec_load", 246, EPERM),
                always("kexec_file_load", 320, EPERM),
                always("init_module", 175, EPERM),
                always("finit_module", 313, EPERM),
                always("open_by_handle_at", 304, EPERM),
                always("keyctl", 250, EPERM),
                always("add_key", 248, EPERM),
                always("request_key", 249, EPERM),
                // Changing the file system view or namespaces.
                always("mount", 165, EPERM),
                always("umount2", 166, EPERM),
                always("unshare", 272, EPERM),
                new Rule("clone", 56, new Condition.AnyBitSet(0, CLONE_NAMESPACES), EPERM),
                always("clone3", 435, Action.ENOSYS),
                always("setns", 308, EPERM),
                always("pivot_root", 155, EPERM),
                always("open_tree", 428, EPERM),
                always("move_mount", 429, EPERM),
                always("fsopen", 430, EPERM),
                always("fsconfig", 431, EPERM),
                always("fsmount", 432, EPERM),
                always("fspick", 433, EPERM),
                always("mount_setattr", 442, EPERM)),
                ALLOW);
    }

    /** The table, one rule a line, for logs and reviews. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("arch != 0x%08x -> %s%n", arch, otherArch));
        sb.append(String.format("nr >= 0x%08x -> %s%n", X32_SYSCALL_BIT, x32));
        for (Rule r : rules) sb.append(r).append('\n');
        sb.append("otherwise -> ").append(otherwise).append('\n');
        return sb.toString();
    }
}
