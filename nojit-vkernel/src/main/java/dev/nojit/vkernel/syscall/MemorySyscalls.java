package dev.nojit.vkernel.syscall;

import dev.nojit.vkernel.fs.FileType;
import dev.nojit.vkernel.fs.OpenFile;
import dev.nojit.vkernel.memory.AddressSpace;
import dev.nojit.vkernel.memory.GuestMemory;
import dev.nojit.vkernel.process.Process;

/**
 * Memory: brk, mmap, munmap, mremap, mprotect, pkey_mprotect, madvise, msync, mlock, munlock,
 * mlockall, munlockall, mincore — all inside the guest's linear memory ({@link AddressSpace}).
 * Linear memory is never executable; a request for PROT_EXEC is refused with EPERM (the
 * enforcement layer turns it into a recorded violation).
 */
public final class MemorySyscalls {
    private MemorySyscalls() {}

    static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4, PROT_GROWSDOWN = 0x01000000, PROT_GROWSUP = 0x02000000;
    static final int MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_SHARED_VALIDATE = 3, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20,
            MAP_FIXED_NOREPLACE = 0x100000;
    static final int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2;

    static void register(SyscallTable t) {
        t.add("brk", (p, a) -> p.addressSpace().brk(GuestMemory.ptr(a[0])));
        t.add("mmap", (p, a) -> mmap(p, GuestMemory.ptr(a[0]), GuestMemory.ptr(a[1]), (int) a[2], (int) a[3], (int) a[4], a[5]));
        t.add("munmap", (p, a) -> {
            p.addressSpace().unmap(GuestMemory.ptr(a[0]), GuestMemory.ptr(a[1]));
            return 0;
        });
        t.add("mremap", (p, a) -> {
            int flags = (int) a[3];
            if ((flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)) != 0 || (flags & MREMAP_FIXED) != 0) throw new SyscallError(Errno.EINVAL);
            return p.addressSpace().remap(GuestMemory.ptr(a[0]), GuestMemory.ptr(a[1]), GuestMemory.ptr(a[2]), (flags & MREMAP_MAYMOVE) != 0);
        });
        t.add("mprotect", (p, a) -> mprotect(p, GuestMemory.ptr(a[0]), GuestMemory.ptr(a[1]), (int) a[2]));
        t.add("pkey_mprotect", (p, a) -> mprotect(p, GuestMemory.ptr(a[0]), GuestMemory.ptr(a[1]), (int) a[2]));
        t.add("madvise", (p, a) -> {
            rangeInMemory(p, GuestMemory.ptr(a[0]), GuestMemory.ptr(a[1]));
            return 0;
        });
        t.add("msync", (p, a) -> {
            rangeInMemory(p, GuestMemory.ptr(a[0]), GuestMemory.ptr(a[1]));
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

    private static void rangeInMemory(Process p, long addr, long len) {
        if ((addr & (AddressSpace.PAGE - 1)) != 0) throw new SyscallError(Errno.EINVAL);
        if (addr + len > p.memory().size()) throw new SyscallError(Errno.ENOMEM);
    }

    private static long mprotect(Process p, long addr, long len, int prot) {
        if ((prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN | PROT_GROWSUP)) != 0) throw new SyscallError(Errno.EINVAL);
        if ((prot & PROT_EXEC) != 0) throw new SyscallError(Errno.EPERM);
        rangeInMemory(p, addr, len);
        return 0; // linear memory has no protections to change
    }

    static long mmap(Process p, long addr, long length, int prot, int flags, int fd, long offset) {
        if (length == 0) throw new SyscallError(Errno.EINVAL);
        if ((prot & PROT_EXEC) != 0) throw new SyscallError(Errno.EPERM);
        int type = flags & 3;
        if (type == 0) throw new SyscallError(Errno.EINVAL);
        boolean anonymous = (flags & MAP_ANONYMOUS) != 0;
        OpenFile file = null;
        if (!anonymous) {
            if ((offset & (AddressSpace.PAGE - 1)) != 0 || offset < 0) throw new SyscallError(Errno.EINVAL);
            file = p.fdTable().get(fd);
            if (file.node() == null || file.node().type() != FileType.REGULAR) throw new SyscallError(Errno.ENODEV);
            if (!file.readable()) throw new SyscallError(Errno.EACCES);
            // A shared writable mapping would need writes to reach the file: not supported.
            if (type != MAP_PRIVATE && (prot & PROT_WRITE) != 0) throw new SyscallError(Errno.ENODEV);
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
        }
        return at;
    }
}
