package dev.nojit.engine;

import java.lang.invoke.VarHandle;

/**
 * The threads proposal's atomic instructions on a {@link Memory}'s byte array. The JDK offers no atomic access
 * modes on byte-array views, so every atomic access runs under one of a set of striped locks chosen by the
 * aligned 8-byte block it touches (atomic accesses are naturally aligned, so one block holds each). Monitor
 * actions are totally ordered, which makes the atomics sequentially consistent as the proposal requires.
 */
final class Atomics {
    private static final long U32 = 0xFFFF_FFFFL;
    private static final VarHandle I32 = Memory.I32;
    private static final VarHandle I64 = Memory.I64;
    private static final Object[] LOCKS = new Object[256];

    static {
        for (int i = 0; i < LOCKS.length; i++) LOCKS[i] = new Object();
    }

    static Object lockFor(long ea) {
        return LOCKS[(int) (ea >>> 3) & (LOCKS.length - 1)];
    }

    static final int ADD = 0, SUB = 1, AND = 2, OR = 3, XOR = 4, XCHG = 5;

    private Atomics() {}

    static void execute(Machine m, int op) {
        long[] s = m.stack;
        int sp = m.sp;
        if (op == Op.ATOMIC_FENCE) {
            VarHandle.fullFence();
            return;
        }
        if (op < Op.I32_ATOMIC_LOAD || op > Op.MEM_ATOMIC_WAIT64)
            throw new Trap(TrapKind.ENGINE_FAULT, "engine fault: unknown opcode " + op, null);
        long offset = m.stackImmediate() & U32;
        Memory memory = m.inst.memory;
        byte[] b = memory.bytes;
        switch (op) {
            case Op.MEM_ATOMIC_NOTIFY -> {
                sp--;
                s[sp - 1] = notify(memory, s[sp - 1], offset, s[sp]);
            }
            case Op.MEM_ATOMIC_WAIT32, Op.MEM_ATOMIC_WAIT64 -> {
                sp -= 2;
                m.sp = sp;
                int outcome = await(m, null, memory, s[sp - 1], offset, s[sp], s[sp + 1], op == Op.MEM_ATOMIC_WAIT32 ? 4 : 8);
                if (outcome == WaitQueues.UNWOUND) return; // a signal handler longjmp'd away: the machine is elsewhere
                // A signal handler may have run meanwhile (and grown the stack): write through the machine's stack now.
                m.stack[sp - 1] = outcome;
            }
            default -> sp = access(s, sp, op, b, offset);
        }
        m.sp = sp;
    }

    /** memory.atomic.notify at {@code base + offset}: the number of waiters woken (none in an unshared memory). */
    static int notify(Memory memory, long base, long offset, long count) {
        int ea = address(memory.bytes, base, offset, 4);
        return memory.shared() ? memory.waiters.notify(ea, count & U32) : 0;
    }

    /**
     * memory.atomic.wait32/64 ({@code width} 4 or 8) at {@code base + offset} on {@code m}'s thread, for the
     * interpreter ({@code compiledCaller} null) or compiled code of {@code compiledCaller}: 0 woken, 1 not equal,
     * 2 timed out, or {@link WaitQueues#UNWOUND} (interpreter only) when a signal handler unwound the machine.
     */
    static int await(Machine m, Instance compiledCaller, Memory memory, long base, long offset, long expected, long timeout, int width) {
        int ea = address(memory.bytes, base, offset, width);
        if (!memory.shared()) throw new Trap(TrapKind.EXPECTED_SHARED_MEMORY);
        return memory.waiters.await(ea, () -> {
            synchronized (lockFor(ea)) {
                byte[] now = memory.bytes;
                return width == 4 ? (int) I32.get(now, ea) == (int) expected : (long) I64.get(now, ea) == expected;
            }
        }, timeout, m, compiledCaller);
    }

    /** Loads, stores and read-modify-writes; returns the new stack top. */
    private static int access(long[] s, int sp, int op, byte[] b, long offset) {
        switch (op) {
            case Op.I32_ATOMIC_LOAD, Op.I64_ATOMIC_LOAD, Op.I32_ATOMIC_LOAD8_U, Op.I64_ATOMIC_LOAD8_U,
                 Op.I32_ATOMIC_LOAD16_U, Op.I64_ATOMIC_LOAD16_U, Op.I64_ATOMIC_LOAD32_U -> {
                long v = load(b, s[sp - 1], offset, loadStoreWidth(op));
                s[sp - 1] = op == Op.I32_ATOMIC_LOAD ? (int) v : v;
                return sp;
            }
            case Op.I32_ATOMIC_STORE, Op.I64_ATOMIC_STORE32, Op.I64_ATOMIC_STORE, Op.I32_ATOMIC_STORE8,
                 Op.I64_ATOMIC_STORE8, Op.I32_ATOMIC_STORE16, Op.I64_ATOMIC_STORE16 -> {
                sp -= 2;
                store(b, s[sp], offset, loadStoreWidth(op), s[sp + 1]);
                return sp;
            }
            default -> {
                int kind = rmwKind(op);
                int width = rmwWidth(op);
                boolean i64 = isI64(op);
                if (kind < 0) {
                    sp -= 2;
                    s[sp - 1] = widen(cmpxchg(b, s[sp - 1], offset, width, s[sp], s[sp + 1]), width, i64);
                } else {
                    sp--;
                    s[sp - 1] = widen(rmw(b, s[sp - 1], offset, width, kind, s[sp]), width, i64);
                }
                return sp;
            }
        }
    }

    /** An atomic load of {@code width} bytes at {@code base + offset}: the unsigned value. */
    static long load(byte[] b, long base, long offset, int width) {
        int ea = address(b, base, offset, width);
        synchronized (lockFor(ea)) {
            return read(b, ea, width);
        }
    }

    /** An atomic store of the low {@code width} bytes of {@code v}. */
    static void store(byte[] b, long base, long offset, int width, long v) {
        int ea = address(b, base, offset, width);
        synchronized (lockFor(ea)) {
            write(b, ea, width, v);
        }
    }

    /** A read-modify-write of kind ADD..XCHG; returns the old unsigned value. */
    static long rmw(byte[] b, long base, long offset, int width, int kind, long v) {
        int ea = address(b, base, offset, width);
        synchronized (lockFor(ea)) {
            long old = read(b, ea, width);
            long updated = switch (kind) {
                case ADD -> old + v;
                case SUB -> old - v;
                case AND -> old & v;
                case OR -> old | v;
                case XOR -> old ^ v;
                default -> v;
            };
            write(b, ea, width, updated);
            return old;
        }
    }

    /** A compare-exchange; returns the old unsigned value. */
    static long cmpxchg(byte[] b, long base, long offset, int width, long expected, long replacement) {
        int ea = address(b, base, offset, width);
        long mask = width == 8 ? -1L : (1L << (width * 8)) - 1;
        synchronized (lockFor(ea)) {
            long old = read(b, ea, width);
            if (old == (expected & mask)) write(b, ea, width, replacement);
            return old;
        }
    }

    /** Bytes accessed by an atomic load or store. */
    private static int loadStoreWidth(int op) {
        return switch (op) {
            case Op.I32_ATOMIC_LOAD, Op.I64_ATOMIC_LOAD32_U, Op.I32_ATOMIC_STORE, Op.I64_ATOMIC_STORE32 -> 4;
            case Op.I64_ATOMIC_LOAD, Op.I64_ATOMIC_STORE -> 8;
            case Op.I32_ATOMIC_LOAD8_U, Op.I64_ATOMIC_LOAD8_U, Op.I32_ATOMIC_STORE8, Op.I64_ATOMIC_STORE8 -> 1;
            default -> 2;
        };
    }

    /** The unsigned value of {@code width} bytes at {@code ea}. */
    private static long read(byte[] b, int ea, int width) {
        return switch (width) {
            case 1 -> b[ea] & 0xFF;
            case 2 -> (short) Memory.I16.get(b, ea) & 0xFFFF;
            case 4 -> (int) I32.get(b, ea) & U32;
            default -> (long) I64.get(b, ea);
        };
    }

    private static void write(byte[] b, int ea, int width, long v) {
        switch (width) {
            case 1 -> b[ea] = (byte) v;
            case 2 -> Memory.I16.set(b, ea, (short) v);
            case 4 -> I32.set(b, ea, (int) v);
            default -> I64.set(b, ea, v);
        }
    }

    /** Effective address of an atomic access: natural alignment first, then bounds. */
    static int address(byte[] b, long base, long offset, int width) {
        long ea = (base & U32) + offset;
        if ((ea & (width - 1)) != 0) throw new Trap(TrapKind.UNALIGNED_ATOMIC);
        if (ea > b.length - width)
            throw new Trap(TrapKind.OUT_OF_BOUNDS_MEMORY, TrapKind.OUT_OF_BOUNDS_MEMORY.message() + " at " + ea + " (atomic access)", null);
        return (int) ea;
    }

    private static long widen(long old, int width, boolean i64) {
        return switch (width) {
            case 1 -> old & 0xFF;
            case 2 -> old & 0xFFFF;
            case 4 -> i64 ? old & U32 : (int) old;
            default -> old;
        };
    }


    // Opcode layout (see Op): for each operation ADD..XCHG, seven variants in the order
    // i32, i64, i32 8u, i32 16u, i64 8u, i64 16u, i64 32u; then the seven CMPXCHG variants.
    private static int variant(int op) {
        return (op - Op.I32_ATOMIC_RMW_ADD) % 7;
    }

    private static int rmwKind(int op) {
        int k = (op - Op.I32_ATOMIC_RMW_ADD) / 7;
        return k == 6 ? -1 : k;
    }

    private static int rmwWidth(int op) {
        return switch (variant(op)) {
            case 0 -> 4;
            case 1 -> 8;
            case 2, 4 -> 1;
            case 3, 5 -> 2;
            default -> 4;
        };
    }

    private static boolean isI64(int op) {
        int v = variant(op);
        return v == 1 || v >= 4;
    }
}
