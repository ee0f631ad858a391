package dev.nojit.vkernel.syscall;

import dev.nojit.vkernel.memory.GuestMemory;
import dev.nojit.vkernel.policy.PolicyCheck;
import dev.nojit.vkernel.policy.Violation;
import dev.nojit.vkernel.process.Process;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The system: uname, sysinfo, getrandom, getcpu, futex (one thread per process), personality
 * (query only; READ_IMPLIES_EXEC is a policy violation), and the kernel-code loaders
 * (init_module, finit_module, kexec_load, kexec_file_load, bpf BPF_PROG_LOAD: violations).
 */
public final class SystemSyscalls {
    private SystemSyscalls() {}

    private static final SecureRandom RANDOM = new SecureRandom();
    static final int READ_IMPLIES_EXEC = 0x0400000, BPF_PROG_LOAD = 5;
    static final int FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10, FUTEX_CMD_MASK = 0x7f & ~0x80;

    static void register(SyscallTable t) {
        t.add("uname", (p, a) -> {
            long buf = GuestMemory.ptr(a[0]);
            GuestMemory m = p.memory();
            m.check(buf, 390);
            m.fill(buf, 390, (byte) 0);
            String[] fields = {"Linux", "nojit", "6.1.0-nojit", "#1 nojit vkernel", "x86_64", "(none)"};
            for (int i = 0; i < fields.length; i++) m.write(buf + 65L * i, fields[i].getBytes(StandardCharsets.US_ASCII));
            return 0;
        });
        t.add("sysinfo", (p, a) -> {
            long buf = GuestMemory.ptr(a[0]);
            GuestMemory m = p.memory();
            m.check(buf, 112);
            m.fill(buf, 112, (byte) 0);
            m.writeLong(buf, (System.nanoTime() - p.kernel().bootNanos()) / 1_000_000_000L);
            long limit = p.kernel().memoryBudget().limit(), used = p.kernel().memoryBudget().used();
            m.writeLong(buf + 32, limit);
            m.writeLong(buf + 40, Math.max(0, limit - used));
            m.writeShort(buf + 80, p.kernel().processes().count());
            m.writeInt(buf + 104, 1); // mem_unit
            return 0;
        });
        t.add("getrandom", (p, a) -> {
            long buf = GuestMemory.ptr(a[0]);
            if (((int) a[2] & ~7) != 0) throw new SyscallError(Errno.EINVAL); // GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE
            int n = (int) Math.min(GuestMemory.ptr(a[1]), 1 << 20);
            p.memory().check(buf, n);
            byte[] b = new byte[n];
            RANDOM.nextBytes(b);
            p.memory().write(buf, b);
            return n;
        });
        t.add("getcpu", (p, a) -> {
            if (GuestMemory.ptr(a[0]) != 0) p.memory().writeInt(GuestMemory.ptr(a[0]), 0);
            if (GuestMemory.ptr(a[1]) != 0) p.memory().writeInt(GuestMemory.ptr(a[1]), 0);
            return 0;
        });
        t.add("futex", (p, a) -> futex(p, GuestMemory.ptr(a[0]), (int) a[1], (int) a[2], GuestMemory.ptr(a[3])));
        // Loading code into the kernel — a module, a new kernel, a BPF program — is loading code
        // from outside the megabinary: a violation, whatever the arguments.
        for (String name : new String[]{"init_module", "finit_module", "kexec_load", "kexec_file_load"}) {
            t.add(name, (p, a) -> {
                if (!p.kernel().checks().on(PolicyCheck.KERNEL_CODE_LOAD)) return -Errno.ENOSYS;
                throw Violation.codeLoad(name + ": loading kernel code", null);
            });
        }
        t.add("bpf", (p, a) -> {
            if ((int) a[0] == BPF_PROG_LOAD && p.kernel().checks().on(PolicyCheck.KERNEL_CODE_LOAD)) throw Violation.codeLoad("bpf BPF_PROG_LOAD: loading a BPF program", null);
            return -Errno.ENOSYS;
        });
        t.add("personality", (p, a) -> {
            int persona = (int) a[0];
            if (persona == -1 || persona == 0) return 0; // query, or the default Linux persona
            // READ_IMPLIES_EXEC makes every readable mapping executable: a way to executable memory.
            if ((persona & READ_IMPLIES_EXEC) != 0 && p.kernel().checks().on(PolicyCheck.PERSONALITY_READ_IMPLIES_EXEC)) throw Violation.memoryExec("personality asked for READ_IMPLIES_EXEC");
            throw new SyscallError(Errno.EINVAL);
        });
    }

    /**
     * A process has one thread, so no one else can wake a waiter: FUTEX_WAIT on a changed
     * value is EAGAIN; on an unchanged one it sleeps until its timeout or a signal.
     */
    private static long futex(Process p, long addr, int op, int val, long timeout) {
        if ((addr & 3) != 0) throw new SyscallError(Errno.EINVAL);
        int cmd = op & 0x7f;
        switch (cmd) {
            case FUTEX_WAKE, FUTEX_WAKE_BITSET -> {
                p.memory().check(addr, 4);
                return 0;
            }
            case FUTEX_WAIT, FUTEX_WAIT_BITSET -> {
                if (p.memory().readInt(addr) != val) throw new SyscallError(Errno.EAGAIN);
                long nanos = timeout == 0 ? -1 : TimeSyscalls.readTimespec(p.memory(), timeout);
                if (cmd == FUTEX_WAIT_BITSET && nanos >= 0) nanos -= TimeSyscalls.now(p, TimeSyscalls.CLOCK_MONOTONIC);
                long deadline = nanos < 0 ? Long.MAX_VALUE : System.nanoTime() + nanos;
                return p.blocking(() -> {
                    while (true) {
                        long left = deadline - System.nanoTime();
                        if (deadline != Long.MAX_VALUE && left <= 0) throw new SyscallError(Errno.ETIMEDOUT);
                        try {
                            Thread.sleep(deadline == Long.MAX_VALUE ? 1000 : Math.max(1, Math.min(1000, left / 1_000_000)));
                        } catch (InterruptedException e) {
                            throw new SyscallError(Errno.EINTR);
                        }
                    }
                });
            }
            default -> throw new SyscallError(Errno.ENOSYS);
        }
    }
}
