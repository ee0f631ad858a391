package dev.nojit.vkernel.memory;

import dev.nojit.engine.Memory;
import dev.nojit.engine.Trap;
import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.nio.charset.StandardCharsets;

/**
 * A process's linear memory as syscall handlers see it: 32-bit guest pointers, every access
 * bounds-checked, a bad pointer or length gives EFAULT (never a host exception). Handlers use
 * only this, so another engine can run the same handlers.
 */
public final class GuestMemory {
    private final Memory memory;

    public GuestMemory(Memory memory) {
        this.memory = memory;
    }

    public Memory engineMemory() {
        return memory;
    }

    public long size() {
        return memory.byteSize();
    }

    /** A guest pointer argument (an i32) as an unsigned address. */
    public static long ptr(long arg) {
        return arg & 0xffff_ffffL;
    }

    /**
     * Checks that [addr, addr+len) lies inside memory; EFAULT otherwise. A NULL pointer is EFAULT
     * too, as on Linux where page 0 is never mapped (in linear memory address 0 exists, but no
     * correct program hands it to the kernel).
     */
    public void check(long addr, long len) {
        if (addr <= 0 || len < 0 || addr + len > memory.byteSize()) {
            if (addr == 0 && len == 0) return;
            throw new SyscallError(Errno.EFAULT);
        }
    }

    public byte[] read(long addr, long len) {
        check(addr, len);
        try {
            return memory.read(addr, (int) len);
        } catch (Trap t) {
            throw new SyscallError(Errno.EFAULT);
        }
    }

    public void read(long addr, byte[] dst, int off, int len) {
        check(addr, len);
        memory.read(addr, dst, off, len);
    }

    public void write(long addr, byte[] src) {
        write(addr, src, 0, src.length);
    }

    public void write(long addr, byte[] src, int off, int len) {
        check(addr, len);
        memory.write(addr, src, off, len);
    }

    public void fill(long addr, long len, byte value) {
        check(addr, len);
        memory.fill(addr, len, value);
    }

    public byte readByte(long addr) {
        check(addr, 1);
        return memory.readByte(addr);
    }

    public void writeByte(long addr, int v) {
        check(addr, 1);
        memory.writeByte(addr, (byte) v);
    }

    public short readShort(long addr) {
        check(addr, 2);
        return memory.readShort(addr);
    }

    public void writeShort(long addr, int v) {
        check(addr, 2);
        memory.writeShort(addr, (short) v);
    }

    public int readInt(long addr) {
        check(addr, 4);
        return memory.readInt(addr);
    }

    public void writeInt(long addr, int v) {
        check(addr, 4);
        memory.writeInt(addr, v);
    }

    public long readLong(long addr) {
        check(addr, 8);
        return memory.readLong(addr);
    }

    public void writeLong(long addr, long v) {
        check(addr, 8);
        memory.writeLong(addr, v);
    }

    /** An unsigned 32-bit pointer stored in guest memory. */
    public long readPtr(long addr) {
        return readInt(addr) & 0xffff_ffffL;
    }

    /**
     * A NUL-terminated string of at most {@code max} bytes (not counting the NUL); ENAMETOOLONG
     * when no NUL comes within that, EFAULT when memory ends first.
     */
    public String readCString(long addr, int max) {
        return new String(readCStringBytes(addr, max), StandardCharsets.UTF_8);
    }

    public byte[] readCStringBytes(long addr, int max) {
        long end = memory.byteSize();
        if (addr <= 0 || addr >= end) throw new SyscallError(Errno.EFAULT);
        long limit = Math.min(end, addr + (long) max + 1);
        for (long p = addr; p < limit; p++) {
            if (memory.readByte(p) == 0) return memory.read(addr, (int) (p - addr));
        }
        throw new SyscallError(limit == end ? Errno.EFAULT : Errno.ENAMETOOLONG);
    }

    /** Writes {@code s} and a NUL into a buffer of {@code size} bytes; ERANGE when it does not fit. */
    public int writeCString(long addr, long size, byte[] s) {
        if (s.length + 1L > size) throw new SyscallError(Errno.ERANGE);
        check(addr, s.length + 1L);
        memory.write(addr, s);
        memory.writeByte(addr + s.length, (byte) 0);
        return s.length + 1;
    }
}
