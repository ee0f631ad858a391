package dev.nojit.vkernel.memory;

import dev.nojit.engine.Machine;
import dev.nojit.engine.Memory;
import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.util.Map;
import java.util.TreeMap;

/**
 * brk and mmap inside a process's linear memory. WebAssembly memory only grows at its end, in
 * 64 KiB pages, and has no protections, so: the break starts at the end of the memory the
 * module declared and moves only while nothing is mapped above it; mappings (4 KiB granular)
 * reuse freed ranges first-fit, else grow the memory; unmapped ranges are zeroed and kept for
 * reuse. Every growth is charged to the container's {@link MemoryBudget} before the engine
 * allocates it ({@link ProcessCharges} is the memory's growth budget), so the guest's own memory.grow
 * is charged (or fails with -1) at the moment it happens, like brk and mmap (ENOMEM).
 */
public final class AddressSpace {
    public static final long PAGE = 4096;
    private final MemoryBudget budget;
    private Memory memory;
    private final ProcessCharges charges;
    private Machine machine;
    private boolean released;
    private long brkStart, brk;
    private final TreeMap<Long, Long> free = new TreeMap<>(); // start → length, disjoint, merged
    private final java.util.List<SharedMapping> shared = new java.util.ArrayList<>();

    /** A MAP_SHARED writable file mapping: its bytes go back to the file at msync, munmap and exit. */
    private record SharedMapping(long addr, long length, dev.nojit.vkernel.fs.OpenFile file, long offset) {}

    public AddressSpace(MemoryBudget budget) {
        this(budget, new ProcessCharges(budget));
    }

    private AddressSpace(MemoryBudget budget, ProcessCharges charges) {
        this.budget = budget;
        this.charges = charges;
    }

    /** A new image's memory (start of a process or execve): the break starts at its end. */
    public synchronized boolean attach(Memory memory) {
        if (released) return false;
        dropCharges();
        this.memory = memory;
        memory.growthBudget(charges.memory);
        free.clear();
        brkStart = brk = memory.byteSize(); // a multiple of 64 KiB, so page-aligned
        return recount();
    }

    /**
     * fork: the same layout over the child's copy of the memory, which holds {@code reserved}
     * bytes the caller charged to the budget before the copy was made (see {@link #reserveCopy}).
     */
    public synchronized AddressSpace copyFor(Memory childMemory, Machine childMachine, ProcessCharges.Reservation reserved) {
        AddressSpace c = new AddressSpace(budget, new ProcessCharges(budget).adopt(reserved));
        c.memory = childMemory;
        childMemory.growthBudget(c.charges.memory);
        c.machine = childMachine;
        childMachine.growthBudget(c.charges.stack);
        c.brkStart = brkStart;
        c.brk = brk;
        c.free.putAll(free);
        return c;
    }

    /**
     * fork, before the copy: charges a copy of this memory and of the machine's stack to the
     * budget; null when the budget has no room (then nothing may be copied).
     */
    public synchronized ProcessCharges.Reservation reserveCopy() {
        return charges.reserve(memory == null ? 0 : memory.byteSize(), machine == null ? 0 : machine.footprintBytes());
    }

    /** Returns a {@link #reserveCopy} reservation that no child took. */
    public void cancelCopy(ProcessCharges.Reservation reserved) {
        charges.cancel(reserved);
    }

    /** A new image's machine (after {@link #attach}): its stack is charged, and every growth of it; false without room. */
    public synchronized boolean attachMachine(Machine machine) {
        if (!charges.holdStack(machine.footprintBytes())) return false;
        this.machine = machine;
        machine.growthBudget(charges.stack);
        return true;
    }

    /** Counts growth that bypassed the growth budget; false when the container is over its limit. */
    public synchronized boolean recount() {
        if (released) return false; // the process has exited; a syscall still finishing on its thread charges nothing
        return memory == null || charges.holdMemoryOf(memory.byteSize());
    }

    /** exit: shared mappings written back, the whole charge returned; nothing is charged to this space again. */
    public synchronized void release() {
        released = true;
        dropCharges();
    }

    /** execve past the point of no return: the old image's mappings written back and its charge returned; the space lives on. */
    public synchronized void releaseImage() {
        dropCharges();
    }

    private void dropCharges() {
        for (SharedMapping m : shared) {
            writeBack(m, m.addr, m.length);
            m.file.release();
        }
        shared.clear();
        if (memory != null) memory.growthBudget(null);
        if (machine != null) machine.growthBudget(null);
        machine = null;
        charges.releaseAll();
    }

    public synchronized void addSharedMapping(long addr, long length, dev.nojit.vkernel.fs.OpenFile file, long offset) {
        shared.add(new SharedMapping(addr, length, file, offset));
    }

    /** msync: shared file mappings overlapping [addr, addr+len) write their bytes back. */
    public synchronized void writeBack(long addr, long len) {
        for (SharedMapping m : shared) writeBack(m, addr, len);
    }

    private void writeBack(SharedMapping m, long addr, long len) {
        long from = Math.max(addr, m.addr), to = Math.min(addr + len, m.addr + m.length);
        if (from >= to || memory == null) return;
        byte[] bytes = memory.read(from, (int) (to - from));
        try {
            m.file.pwrite(m.offset + (from - m.addr), bytes, 0, bytes.length);
        } catch (SyscallError e) {
            // the file went read-only or away: like a failed writeback on Linux, the data is lost
        }
    }

    private long end() {
        return memory.byteSize();
    }

    /** Grows the memory so that it ends at or after {@code newEnd}; false when the engine or the budget refuses. */
    private boolean growTo(long newEnd) {
        long size = end();
        if (newEnd <= size) return true;
        long pages = (newEnd - size + Memory.PAGE_SIZE - 1) / Memory.PAGE_SIZE;
        if (pages > Integer.MAX_VALUE) return false;
        if (!recount()) return false;
        try {
            return memory.grow((int) pages) >= 0; // charged through the growth budget
        } catch (OutOfMemoryError e) {
            return false; // the JVM could not allocate the larger array (the budget was given back)
        }
    }

    /**
     * The break moves by bytes, mappings by pages: the page the break lies in belongs to the heap,
     * and only whole pages above it are ever free for mmap.
     */
    public synchronized long brk(long requested) {
        if (requested == 0 || requested < brkStart) return brk;
        if (requested <= brk) {
            long from = roundUp(requested), to = roundUp(brk);
            memory.fill(requested, brk - requested, (byte) 0);
            if (to > from) addFree(from, to - from);
            brk = requested;
            return brk;
        }
        long size = end();
        long from = roundUp(brk);
        long needFree = Math.min(roundUp(requested), size);
        if (from < needFree) {
            // The break moves only into free space: the pages up to min(requested, end) must be unmapped.
            Map.Entry<Long, Long> f = free.floorEntry(from);
            if (f == null || f.getKey() + f.getValue() < needFree) return brk;
        }
        if (!growTo(requested)) return brk;
        long newEnd = end();
        if (roundUp(requested) > from) carve(from, roundUp(requested) - from);
        if (requested >= size && newEnd > roundUp(requested)) addFree(roundUp(requested), newEnd - roundUp(requested));
        brk = requested;
        return brk;
    }

    private static long roundUp(long n) {
        return (n + PAGE - 1) & -PAGE;
    }

    /** An anonymous, zeroed mapping of {@code length} bytes; ENOMEM when none can be made. */
    public synchronized long map(long length) {
        if (length <= 0) throw new SyscallError(Errno.EINVAL);
        long len = roundUp(length);
        if (len <= 0 || len > (1L << 32)) throw new SyscallError(Errno.ENOMEM);
        for (Map.Entry<Long, Long> e : free.entrySet()) {
            if (e.getValue() >= len && e.getKey() >= roundUp(brk)) {
                long addr = e.getKey();
                carve(addr, len);
                memory.fill(addr, len, (byte) 0);
                return addr;
            }
        }
        long start = Math.max(roundUp(end()), roundUp(brk));
        // a free range touching the end can be extended
        Map.Entry<Long, Long> tail = free.floorEntry(end());
        if (tail != null && tail.getKey() + tail.getValue() == end() && tail.getKey() >= roundUp(brk)) start = tail.getKey();
        if (start + len > (1L << 32)) throw new SyscallError(Errno.ENOMEM);
        long oldEnd = end();
        if (!growTo(start + len)) throw new SyscallError(Errno.ENOMEM);
        if (start < oldEnd) carve(start, oldEnd - start);
        long newEnd = end();
        if (newEnd > start + len) addFree(start + len, newEnd - (start + len));
        memory.fill(start, len, (byte) 0);
        return start;
    }

    /** MAP_FIXED: the range becomes a zeroed mapping (it must lie inside the memory, above the break). */
    public synchronized long mapFixed(long addr, long length) {
        long len = roundUp(length);
        if ((addr & (PAGE - 1)) != 0 || len <= 0) throw new SyscallError(Errno.EINVAL);
        if (addr < brk) throw new SyscallError(Errno.ENOMEM);
        if (!growTo(addr + len)) throw new SyscallError(Errno.ENOMEM);
        carve(addr, len);
        memory.fill(addr, len, (byte) 0);
        return addr;
    }

    public synchronized void unmap(long addr, long length) {
        if ((addr & (PAGE - 1)) != 0 || length <= 0) throw new SyscallError(Errno.EINVAL);
        long len = roundUp(length);
        if (addr < brkStart || addr + len > end()) return; // Linux: unmapping nothing is fine
        var it = shared.iterator();
        while (it.hasNext()) {
            SharedMapping m = it.next();
            if (m.addr < addr + len && addr < m.addr + m.length) {
                writeBack(m, addr, len);
                if (addr <= m.addr && m.addr + m.length <= addr + len) {
                    m.file.release();
                    it.remove();
                }
            }
        }
        memory.fill(addr, len, (byte) 0);
        addFree(addr, len);
    }

    /** mremap: in place when the following range is free (or the end of memory), else moved when allowed. */
    public synchronized long remap(long addr, long oldLength, long newLength, boolean mayMove) {
        if ((addr & (PAGE - 1)) != 0 || newLength <= 0) throw new SyscallError(Errno.EINVAL);
        long oldLen = roundUp(oldLength), newLen = roundUp(newLength);
        if (addr < brkStart || addr + oldLen > end()) throw new SyscallError(Errno.EFAULT);
        if (newLen <= oldLen) {
            if (newLen < oldLen) unmap(addr + newLen, oldLen - newLen);
            return addr;
        }
        long extra = newLen - oldLen, after = addr + oldLen;
        Map.Entry<Long, Long> f = free.floorEntry(after);
        boolean nextFree = f != null && f.getKey() <= after && f.getKey() + f.getValue() >= after + extra;
        boolean atEnd = after == end() || (f != null && f.getKey() <= after && f.getKey() + f.getValue() == end());
        if (nextFree || (atEnd && growTo(after + extra))) {
            if (atEnd && !nextFree) {
                long newEnd = end();
                if (after < newEnd) carve(after, Math.min(newEnd, after + extra) - after);
                if (newEnd > after + extra) addFree(after + extra, newEnd - (after + extra));
            } else {
                carve(after, extra);
            }
            memory.fill(after, extra, (byte) 0);
            return addr;
        }
        if (!mayMove) throw new SyscallError(Errno.ENOMEM);
        long to = map(newLen);
        byte[] content = memory.read(addr, (int) oldLen);
        memory.write(to, content);
        unmap(addr, oldLen);
        return to;
    }

    /** mremap with MREMAP_FIXED: the contents move to {@code to} (which becomes a mapping of {@code newLength}). */
    public synchronized long remapFixed(long addr, long oldLength, long newLength, long to) {
        if ((addr & (PAGE - 1)) != 0 || (to & (PAGE - 1)) != 0 || newLength <= 0) throw new SyscallError(Errno.EINVAL);
        long oldLen = roundUp(oldLength), newLen = roundUp(newLength);
        if (addr < brkStart || addr + oldLen > end()) throw new SyscallError(Errno.EFAULT);
        if (to < addr + oldLen && addr < to + newLen) throw new SyscallError(Errno.EINVAL); // ranges may not overlap
        byte[] content = memory.read(addr, (int) Math.min(oldLen, newLen));
        mapFixed(to, newLen);
        memory.write(to, content);
        unmap(addr, oldLen);
        return to;
    }

    private void addFree(long addr, long len) {
        long start = addr, end = addr + len;
        Map.Entry<Long, Long> lower = free.floorEntry(start);
        if (lower != null && lower.getKey() + lower.getValue() >= start) {
            start = lower.getKey();
            end = Math.max(end, lower.getKey() + lower.getValue());
            free.remove(lower.getKey());
        }
        while (true) {
            Map.Entry<Long, Long> higher = free.ceilingEntry(start);
            if (higher == null || higher.getKey() > end) break;
            end = Math.max(end, higher.getKey() + higher.getValue());
            free.remove(higher.getKey());
        }
        free.put(start, end - start);
    }

    /** Removes [addr, addr+len) from the free list. */
    private void carve(long addr, long len) {
        long end = addr + len;
        Map.Entry<Long, Long> e = free.floorEntry(addr);
        if (e == null || e.getKey() + e.getValue() <= addr) e = free.ceilingEntry(addr);
        while (e != null && e.getKey() < end) {
            long s = e.getKey(), t = s + e.getValue();
            free.remove(s);
            if (s < addr) free.put(s, addr - s);
            if (t > end) free.put(end, t - end);
            e = free.ceilingEntry(end);
            if (e != null && e.getKey() >= end) break;
        }
    }

    public synchronized Memory memory() {
        return memory;
    }
}
