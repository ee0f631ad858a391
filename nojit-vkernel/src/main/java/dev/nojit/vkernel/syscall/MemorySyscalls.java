package dev.nojit.vkernel.syscall;

import dev.nojit.vkernel.fs.FileType;
import dev.nojit.vkernel.fs.OpenFile;
import dev.nojit.vkernel.memory.AddressSpace;
import dev.nojit.vkernel.memory.GuestMemory;
import dev.nojit.vkernel.policy.PolicyCheck;
import dev.nojit.vkernel.policy.Violation;
import dev.nojit.vkernel.process.Process;

/**
 * Memory: brk, mmap, munmap, mremap, mprotect, pkey_mprotect, madvise, msync, mlock, munlock,
 * mlockall, munlockall, mincore — all inside the guest's linear memory ({@link AddressSpace}) —
 * and System V shared memory (shmget, shmat, shmdt: not provided). Linear memory is never
 * executable: a request for PROT_EXEC (whatever the other arguments) and shmat with SHM_EXEC
 * are policy violations ({@link Violation}). mremap takes no protection and no mapping is ever
 * executable, so it cannot make one. A shared writable file mapping is a copy written back to the
 * file at msync, munmap and exit (other processes mapping the same file do not see each other's
 * writes before that).
 */
public final class MemorySyscalls {
    private MemorySyscalls() {}

    static final long PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4, PROT_SEM = 8, PROT_GROWSDOWN = 0x01000000,
            PROT_GROWSUP = 0x02000000;
    /** The prot bits x86-64's mprotect accepts (arch_validate_prot's generic set plus the two GROWS bits). */
    static final long PROT_KNOWN = PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM | PROT_GROWSDOWN | PROT_GROWSUP;
    static final int MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_SHARED_VALIDATE = 3, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20,
            MAP_FIXED_NOREPLACE = 0x100000;
    static final int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2;
    static final int SHM_EXEC = 0100000;

    static void register(SyscallTable t) {
        t.add("brk", (p, a) -> p.addressSpace().brk(GuestMemory.ptr(a[0])));
        t.add("mmap", (p, a) -> mmap(p, GuestMemory.ptr(a[0]), GuestMemory.ptr(a[1]), a[2], (int) a[3], (int) a[4], a[5]));
        t.add("munmap", (p, a) -> {
            p.addressSpace().unmap(GuestMemory.ptr(a[0]), GuestMemory.ptr(a[1]));
            return 0;
        });
        t.add("mremap", (p, a) -> {
            int flags = (int) a[3];
            if ((flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)) != 0) throw new SyscallError(Errno.EINVAL);
            long addr = GuestMemory.ptr(a[0]), oldLen = GuestMemory.ptr(a[1]), newLen = GuestMemory.ptr(a[2]);
            if ((flags & MREMAP_FIXED) != 0) {
                if ((flags & MREMAP_MAYMOVE) == 0) throw new SyscallError(Errno.EINVAL);
                return p.addressSpace().remapFixed(addr, oldLen, newLen, GuestMemory.ptr(a[4]));
            }
            return p.addressSpace().remap(addr, oldLen, newLen, (flags & MREMAP_MAYMOVE) != 0);
        });
        t.add("mprotect", (p, a) -> mprotect(p, GuestMemory.ptr(a[0]), GuestMemory.ptr(a[1]), a[2], NO_PKEY));
        t.add("pkey_mprotect", (p, a) -> mprotect(p, GuestMemory.ptr(a[0]), GuestMemory.ptr(a[1]), a[2], (int) a[3]));
        t.add("shmat", (p, a) -> {
            if ((a[2] & SHM_EXEC) != 0 && p.kernel().checks().on(PolicyCheck.SHMAT_SHM_EXEC)) {
                throw Violation.memoryExec("shmat asked for SHM_EXEC");
            }
            throw new SyscallError(Errno.EINVAL); // no segment can exist: shmget is not provided
        });
        t.add("shmget", (p, a) -> -Errno.ENOSYS);
        t.add("madvise", (p, a) -> madvise(p, GuestMemory.ptr(a[0]), GuestMemory.ptr(a[1]), (int) a[2]));
        t.add("msync", (p, a) -> {
            int flags = (int) a[2];
            if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) != 0 || (flags & (MS_ASYNC | MS_SYNC)) == (MS_ASYNC | MS_SYNC)) {
                throw new SyscallError(Errno.EINVAL);
            }
            long addr = GuestMemory.ptr(a[0]), len = GuestMemory.ptr(a[1]);
            rangeInMemory(p, addr, len);
            p.addressSpace().writeBack(addr, len);
            return 0;
        });
        for (String n : new String[]{"mlock", "munlock", "mlock2"}) {
            t.add(n, (p, a) -> {
                rangeInMemory(p, GuestMemory.ptr(a[0]), GuestMemory.ptr(a[1]));
                return 0;
            });
        }
        t.add("mlockall", (p, a) -> 0);
        t.add("munlockall", (p, a) -> 0);
        t.add("mincore", (p, a) -> {
            long addr = GuestMemory.ptr(a[0]), len = GuestMemory.ptr(a[1]);
            rangeInMemory(p, addr, len);
            long pages = (len + AddressSpace.PAGE - 1) / AddressSpace.PAGE;
            p.memory().fill(GuestMemory.ptr(a[2]), pages, (byte) 1);
            return 0;
        });
    }

    static final int MS_ASYNC = 1, MS_INVALIDATE = 2, MS_SYNC = 4;
    static final int MADV_DONTNEED = 4, MADV_FREE = 8;

    /** The range must be page-aligned and inside memory; page 0 is never mapped (as on Linux). */
    private static void rangeInMemory(Process p, long addr, long len) {
        if ((addr & (AddressSpace.PAGE - 1)) != 0) throw new SyscallError(Errno.EINVAL);
        if (addr == 0 || addr + len > p.memory().size()) throw new SyscallError(Errno.ENOMEM);
    }

    /** Advice is accepted when Linux knows it; DONTNEED and FREE on private memory read back as zeroes afterwards. */
    private static long madvise(Process p, long addr, long len, int advice) {
        boolean known = (advice >= 0 && advice <= 4) || (advice >= 8 && advice <= 25) || advice == 100 || advice == 101;
        if (!known) throw new SyscallError(Errno.EINVAL);
        rangeInMemory(p, addr, len);
        if (advice == MADV_DONTNEED || advice == MADV_FREE) {
            long rounded = (len + AddressSpace.PAGE - 1) & -AddressSpace.PAGE;
            p.memory().fill(addr, Math.min(rounded, p.memory().size() - addr), (byte) 0);
        }
        return 0;
    }

    static final int NO_PKEY = -1;

    /**
     * mprotect and pkey_mprotect. {@code prot} is the whole 64-bit argument (Linux's is an unsigned
     * long): no bit of it is dropped. The order is the policy first, then Linux's checks: a request
     * with PROT_EXEC is a violation whatever else is wrong with it (an unknown bit, a bad range), so
     * an attempt is never downgraded to an errno. Then, as mprotect(2) says, "EINVAL Invalid flags
     * specified in prot." and "EINVAL Both PROT_GROWSUP and PROT_GROWSDOWN were specified in prot.";
     * and for pkey_mprotect "EINVAL pkey has not been allocated with pkey_alloc(2)": no key ever is,
     * so any pkey but -1 is EINVAL.
     */
    private static long mprotect(Process p, long addr, long len, long prot, int pkey) {
        if ((prot & PROT_EXEC) != 0) {
            if (p.kernel().checks().on(PolicyCheck.MPROTECT_PROT_EXEC)) throw Violation.memoryExec("asked to make memory executable (PROT_EXEC)");
            prot &= ~PROT_EXEC; // a mutation test without this check: granted, as Linux would
        }
        if ((prot & ~PROT_KNOWN) != 0) throw new SyscallError(Errno.EINVAL);
        if ((prot & (PROT_GROWSDOWN | PROT_GROWSUP)) == (PROT_GROWSDOWN | PROT_GROWSUP)) throw new SyscallError(Errno.EINVAL);
        if (pkey != NO_PKEY) throw new SyscallError(Errno.EINVAL);
        rangeInMemory(p, addr, len);
        return 0; // linear memory has no protections to change
    }

    /**
     * mmap. {@code prot} is the whole 64-bit argument, so PROT_EXEC is seen however the guest
     * declared the import. Unknown prot bits are ignored, as Linux's mmap ignores them (do_mmap
     * takes only the bits it knows; mmap(2) lists no EINVAL for prot, unlike mprotect(2)).
     */
    static long mmap(Process p, long addr, long length, long prot, int flags, int fd, long offset) {
        if ((prot & PROT_EXEC) != 0 && p.kernel().checks().on(PolicyCheck.MMAP_PROT_EXEC)) {
            throw Violation.memoryExec("asked for an executable mapping (PROT_EXEC)");
        }
        if (length == 0) throw new SyscallError(Errno.EINVAL);
        if ((offset & (AddressSpace.PAGE - 1)) != 0) throw new SyscallError(Errno.EINVAL); // anonymous ones too, as on x86-64
        int type = flags & 3;
        if (type == 0) throw new SyscallError(Errno.EINVAL);
        boolean anonymous = (flags & MAP_ANONYMOUS) != 0;
        OpenFile file = null;
        if (!anonymous) {
            if ((offset & (AddressSpace.PAGE - 1)) != 0 || offset < 0) throw new SyscallError(Errno.EINVAL);
            file = p.fdTable().get(fd);
            if (file.node() == null || file.node().type() != FileType.REGULAR) throw new SyscallError(Errno.ENODEV);
            if (!file.readable()) throw new SyscallError(Errno.EACCES);
            if (type != MAP_PRIVATE && (prot & PROT_WRITE) != 0 && !file.writable()) throw new SyscallError(Errno.EACCES);
        }
        AddressSpace space = p.addressSpace();
        long at = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0 ? space.mapFixed(addr, length) : space.map(length);
        if (file != null) {
            int n = (int) Math.min(length, FileSyscalls.MAX_IO * 64L);
            byte[] buf = new byte[Math.min(n, 1 << 20)];
            long done = 0;
            while (done < length) {
                int want = (int) Math.min(buf.length, length - done);
                int got = file.pread(offset + done, buf, 0, want);
                if (got <= 0) break;
                p.memory().write(at + done, buf, 0, got);
                done += got;
            }
            if (type != MAP_PRIVATE && (prot & PROT_WRITE) != 0) {
                file.retain();
                space.addSharedMapping(at, length, file, offset);
            }
        }
        return at;
    }
}
