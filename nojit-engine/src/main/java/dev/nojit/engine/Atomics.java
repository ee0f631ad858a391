package dev.nojit.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The threads proposal's atomic instructions on a {@link Memory}'s byte array. 32- and 64-bit accesses use the
 * JDK's atomic byte-array views; 8- and 16-bit read-modify-writes compare-and-set the aligned 32-bit word that
 * contains them, so every access is sequentially consistent as the proposal requires.
 */
final class Atomics {
    private static final long U32 = 0xFFFF_FFFFL;
    private static final VarHandle I32 = Memory.I32;
    private static final VarHandle I64 = Memory.I64;
    private static final VarHandle BYTE = MethodHandles.arrayElementVarHandle(byte[].class);

    private static final int ADD = 0, SUB = 1, AND = 2, OR = 3, XOR = 4, XCHG = 5;

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
            case Op.I32_ATOMIC_LOAD -> s[sp - 1] = (int) I32.getVolatile(b, address(b, s[sp - 1], offset, 4));
            case Op.I64_ATOMIC_LOAD -> s[sp - 1] = (long) I64.getVolatile(b, address(b, s[sp - 1], offset, 8));
            case Op.I32_ATOMIC_LOAD8_U, Op.I64_ATOMIC_LOAD8_U ->
                    s[sp - 1] = (byte) BYTE.getVolatile(b, address(b, s[sp - 1], offset, 1)) & 0xFF;
            case Op.I32_ATOMIC_LOAD16_U, Op.I64_ATOMIC_LOAD16_U -> s[sp - 1] = load16(b, address(b, s[sp - 1], offset, 2));
            case Op.I64_ATOMIC_LOAD32_U -> s[sp - 1] = (int) I32.getVolatile(b, address(b, s[sp - 1], offset, 4)) & U32;
            case Op.I32_ATOMIC_STORE, Op.I64_ATOMIC_STORE32 -> { sp -= 2; I32.setVolatile(b, address(b, s[sp], offset, 4), (int) s[sp + 1]); }
            case Op.I64_ATOMIC_STORE -> { sp -= 2; I64.setVolatile(b, address(b, s[sp], offset, 8), s[sp + 1]); }
            case Op.I32_ATOMIC_STORE8, Op.I64_ATOMIC_STORE8 -> { sp -= 2; BYTE.setVolatile(b, address(b, s[sp], offset, 1), (byte) s[sp + 1]); }
            case Op.I32_ATOMIC_STORE16, Op.I64_ATOMIC_STORE16 -> { sp -= 2; narrow(b, address(b, s[sp], offset, 2), 2, XCHG, s[sp + 1]); }
            case Op.MEM_ATOMIC_NOTIFY -> {
                sp--;
                int ea = address(b, s[sp - 1], offset, 4);
                s[sp - 1] = memory.shared() ? memory.waiters.notify(ea, s[sp] & U32) : 0;
            }
            case Op.MEM_ATOMIC_WAIT32, Op.MEM_ATOMIC_WAIT64 -> {
                sp -= 2;
                int width = op == Op.MEM_ATOMIC_WAIT32 ? 4 : 8;
                int ea = address(b, s[sp - 1], offset, width);
                if (!memory.shared()) throw new Trap(TrapKind.EXPECTED_SHARED_MEMORY);
                long expected = s[sp];
                long timeout = s[sp + 1];
                m.sp = sp;
                s[sp - 1] = memory.waiters.await(ea, () -> width == 4
                        ? (int) I32.getVolatile(memory.bytes, ea) == (int) expected
                        : (long) I64.getVolatile(memory.bytes, ea) == expected, timeout, m);
            }
            default -> {
                int kind = rmwKind(op);
                int width = rmwWidth(op);
                boolean i64 = isI64(op);
                if (kind < 0) {
                    sp -= 2;
                    int ea = address(b, s[sp - 1], offset, width);
                    s[sp - 1] = widen(cmpxchg(b, ea, width, s[sp], s[sp + 1]), width, i64);
                } else {
                    sp--;
                    int ea = address(b, s[sp - 1], offset, width);
                    s[sp - 1] = widen(rmw(b, ea, width, kind, s[sp]), width, i64);
                }
            }
        }
        m.sp = sp;
    }

    /** Effective address of an atomic access: natural alignment first, then bounds. */
    private static int address(byte[] b, long base, long offset, int width) {
        long ea = (base & U32) + offset;
        if ((ea & (width - 1)) != 0) throw new Trap(TrapKind.UNALIGNED_ATOMIC);
        if (ea > b.length - width) throw new Trap(TrapKind.OUT_OF_BOUNDS_MEMORY);
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

    private static long load16(byte[] b, int ea) {
        int word = (int) I32.getVolatile(b, ea & ~3);
        return (word >>> ((ea & 3) * 8)) & 0xFFFF;
    }

    private static long rmw(byte[] b, int ea, int width, int kind, long v) {
        if (width == 4) {
            int x = (int) v;
            return switch (kind) {
                case ADD -> (int) I32.getAndAdd(b, ea, x);
                case SUB -> (int) I32.getAndAdd(b, ea, -x);
                case AND -> (int) I32.getAndBitwiseAnd(b, ea, x);
                case OR -> (int) I32.getAndBitwiseOr(b, ea, x);
                case XOR -> (int) I32.getAndBitwiseXor(b, ea, x);
                default -> (int) I32.getAndSet(b, ea, x);
            };
        }
        if (width == 8) {
            return switch (kind) {
                case ADD -> (long) I64.getAndAdd(b, ea, v);
                case SUB -> (long) I64.getAndAdd(b, ea, -v);
                case AND -> (long) I64.getAndBitwiseAnd(b, ea, v);
                case OR -> (long) I64.getAndBitwiseOr(b, ea, v);
                case XOR -> (long) I64.getAndBitwiseXor(b, ea, v);
                default -> (long) I64.getAndSet(b, ea, v);
            };
        }
        return narrow(b, ea, width, kind, v);
    }

    /** An 8- or 16-bit read-modify-write as a compare-and-set loop on the containing aligned word. */
    private static long narrow(byte[] b, int ea, int width, int kind, long v) {
        int word = ea & ~3;
        int shift = (ea & 3) * 8;
        int lane = width == 1 ? 0xFF : 0xFFFF;
        int mask = lane << shift;
        while (true) {
            int w = (int) I32.getVolatile(b, word);
            int old = (w >>> shift) & lane;
            int x = (int) v;
            int updated = switch (kind) {
                case ADD -> old + x;
                case SUB -> old - x;
                case AND -> old & x;
                case OR -> old | x;
                case XOR -> old ^ x;
                default -> x;
            } & lane;
            if (I32.compareAndSet(b, word, w, (w & ~mask) | (updated << shift))) return old;
        }
    }

    private static long cmpxchg(byte[] b, int ea, int width, long expected, long replacement) {
        if (width == 4) return (int) I32.compareAndExchange(b, ea, (int) expected, (int) replacement);
        if (width == 8) return (long) I64.compareAndExchange(b, ea, expected, replacement);
        int word = ea & ~3;
        int shift = (ea & 3) * 8;
        int lane = width == 1 ? 0xFF : 0xFFFF;
        int mask = lane << shift;
        int want = (int) expected & lane;
        while (true) {
            int w = (int) I32.getVolatile(b, word);
            int old = (w >>> shift) & lane;
            if (old != want) return old;
            int nw = (w & ~mask) | (((int) replacement & lane) << shift);
            if (I32.compareAndSet(b, word, w, nw)) return old;
        }
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
