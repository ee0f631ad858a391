package dev.nojit.engine;

import static dev.nojit.engine.Numerics.*;

import java.util.Arrays;

/**
 * The instructions the interpreter runs out of line: float rounding and conversions, reference, table and
 * bulk-memory instructions, and atomics. On entry {@code m.pc} points at the instruction's immediates and
 * {@code m.sp} at the top of the operand stack; both are updated in place.
 */
final class SlowPath {
    private static final long U32 = 0xFFFF_FFFFL;

    private SlowPath() {}

    static void execute(Machine m, int op) {
        long[] s = m.stack;
        int sp = m.sp;
        switch (op) {
            case Op.F32_ABS -> s[sp - 1] = (int) s[sp - 1] & 0x7FFF_FFFF;
            case Op.F32_NEG -> s[sp - 1] = (int) s[sp - 1] ^ 0x8000_0000;
            case Op.F32_CEIL -> s[sp - 1] = f32(fceil(f(s[sp - 1])));
            case Op.F32_FLOOR -> s[sp - 1] = f32(ffloor(f(s[sp - 1])));
            case Op.F32_TRUNC -> s[sp - 1] = f32(ftrunc(f(s[sp - 1])));
            case Op.F32_NEAREST -> s[sp - 1] = f32(fnearest(f(s[sp - 1])));
            case Op.F32_SQRT -> s[sp - 1] = f32((float) Math.sqrt(f(s[sp - 1])));
            case Op.F64_CEIL -> s[sp - 1] = f64(dceil(d(s[sp - 1])));
            case Op.F64_FLOOR -> s[sp - 1] = f64(dfloor(d(s[sp - 1])));
            case Op.F64_TRUNC -> s[sp - 1] = f64(dtrunc(d(s[sp - 1])));
            case Op.F64_NEAREST -> s[sp - 1] = f64(dnearest(d(s[sp - 1])));
            case Op.F32_MIN -> { sp--; s[sp - 1] = f32(fmin(f(s[sp - 1]), f(s[sp]))); }
            case Op.F32_MAX -> { sp--; s[sp - 1] = f32(fmax(f(s[sp - 1]), f(s[sp]))); }
            case Op.F32_COPYSIGN -> { sp--; s[sp - 1] = ((int) s[sp - 1] & 0x7FFF_FFFF) | ((int) s[sp] & 0x8000_0000); }
            case Op.F64_MIN -> { sp--; s[sp - 1] = f64(dmin(d(s[sp - 1]), d(s[sp]))); }
            case Op.F64_MAX -> { sp--; s[sp - 1] = f64(dmax(d(s[sp - 1]), d(s[sp]))); }
            case Op.F64_COPYSIGN -> { sp--; s[sp - 1] = (s[sp - 1] & Long.MAX_VALUE) | (s[sp] & Long.MIN_VALUE); }
            case Op.I32_TRUNC_F32_S -> s[sp - 1] = i32TruncF32S(f(s[sp - 1]));
            case Op.I32_TRUNC_F32_U -> s[sp - 1] = i32TruncF32U(f(s[sp - 1]));
            case Op.I32_TRUNC_F64_S -> s[sp - 1] = i32TruncF64S(d(s[sp - 1]));
            case Op.I32_TRUNC_F64_U -> s[sp - 1] = i32TruncF64U(d(s[sp - 1]));
            case Op.I64_TRUNC_F32_S -> s[sp - 1] = i64TruncF32S(f(s[sp - 1]));
            case Op.I64_TRUNC_F32_U -> s[sp - 1] = i64TruncF32U(f(s[sp - 1]));
            case Op.I64_TRUNC_F64_S -> s[sp - 1] = i64TruncF64S(d(s[sp - 1]));
            case Op.I64_TRUNC_F64_U -> s[sp - 1] = i64TruncF64U(d(s[sp - 1]));
            case Op.F32_CONVERT_I32_S -> s[sp - 1] = f32((float) (int) s[sp - 1]);
            case Op.F32_CONVERT_I32_U -> s[sp - 1] = f32((float) (s[sp - 1] & U32));
            case Op.F32_CONVERT_I64_S -> s[sp - 1] = f32((float) s[sp - 1]);
            case Op.F32_CONVERT_I64_U -> s[sp - 1] = f32(u64ToF32(s[sp - 1]));
            case Op.F32_DEMOTE_F64 -> s[sp - 1] = f32((float) d(s[sp - 1]));
            case Op.F64_CONVERT_I64_S -> s[sp - 1] = f64((double) s[sp - 1]);
            case Op.F64_CONVERT_I64_U -> s[sp - 1] = f64(u64ToF64(s[sp - 1]));
            case Op.I32_TRUNC_SAT_F32_S -> s[sp - 1] = i32TruncSatS(f(s[sp - 1]));
            case Op.I32_TRUNC_SAT_F32_U -> s[sp - 1] = i32TruncSatU(f(s[sp - 1]));
            case Op.I32_TRUNC_SAT_F64_S -> s[sp - 1] = i32TruncSatS(d(s[sp - 1]));
            case Op.I32_TRUNC_SAT_F64_U -> s[sp - 1] = i32TruncSatU(d(s[sp - 1]));
            case Op.I64_TRUNC_SAT_F32_S -> s[sp - 1] = i64TruncSatS(f(s[sp - 1]));
            case Op.I64_TRUNC_SAT_F32_U -> s[sp - 1] = i64TruncSatU(f(s[sp - 1]));
            case Op.I64_TRUNC_SAT_F64_S -> s[sp - 1] = i64TruncSatS(d(s[sp - 1]));
            case Op.I64_TRUNC_SAT_F64_U -> s[sp - 1] = i64TruncSatU(d(s[sp - 1]));
            case Op.REF_IS_NULL -> s[sp - 1] = s[sp - 1] == Values.NULL_REF ? 1 : 0;
            case Op.REF_FUNC -> s[sp++] = m.inst.functions[m.stackImmediate()].id;
            case Op.MEMORY_SIZE -> s[sp++] = m.inst.memory.pages();
            case Op.MEMORY_GROW -> s[sp - 1] = grow(m, m.inst.memory, s[sp - 1] & U32);
            case Op.MEMORY_FILL -> { sp -= 3; memoryFill(m.inst.memory, s[sp] & U32, (int) s[sp + 1], s[sp + 2] & U32); }
            case Op.MEMORY_COPY -> { sp -= 3; memoryCopy(m.inst.memory, s[sp] & U32, s[sp + 1] & U32, s[sp + 2] & U32); }
            case Op.MEMORY_INIT -> { sp -= 3; memoryInit(m.inst, m.stackImmediate(), s[sp] & U32, s[sp + 1] & U32, s[sp + 2] & U32); }
            case Op.DATA_DROP -> m.inst.datas[m.stackImmediate()] = null;
            case Op.TABLE_GET -> {
                Table t = m.inst.tables[m.stackImmediate()];
                s[sp - 1] = tableGet(t, s[sp - 1] & U32);
            }
            case Op.TABLE_SET -> {
                Table t = m.inst.tables[m.stackImmediate()];
                sp -= 2;
                tableSet(t, s[sp] & U32, s[sp + 1]);
            }
            case Op.TABLE_SIZE -> s[sp++] = m.inst.tables[m.stackImmediate()].size;
            case Op.TABLE_GROW -> {
                Table t = m.inst.tables[m.stackImmediate()];
                sp--;
                s[sp - 1] = t.grow(s[sp] & U32, s[sp - 1], m.config.maxTableElements());
            }
            case Op.TABLE_FILL -> {
                Table t = m.inst.tables[m.stackImmediate()];
                sp -= 3;
                tableFill(t, s[sp] & U32, s[sp + 1], s[sp + 2] & U32);
            }
            case Op.TABLE_COPY -> {
                Table dst = m.inst.tables[m.stackImmediate()];
                Table src = m.inst.tables[m.stackImmediate()];
                sp -= 3;
                tableCopy(dst, src, s[sp] & U32, s[sp + 1] & U32, s[sp + 2] & U32);
            }
            case Op.TABLE_INIT -> {
                int elem = m.stackImmediate();
                Table t = m.inst.tables[m.stackImmediate()];
                sp -= 3;
                tableInit(t, m.inst.elems[elem], s[sp] & U32, s[sp + 1] & U32, s[sp + 2] & U32);
            }
            case Op.ELEM_DROP -> m.inst.elems[m.stackImmediate()] = null;
            default -> {
                m.sp = sp;
                Atomics.execute(m, op);
                return;
            }
        }
        m.sp = sp;
    }

    static long tableGet(Table t, long i) {
        if (i >= t.size) throw new Trap(TrapKind.OUT_OF_BOUNDS_TABLE);
        return t.elements[(int) i];
    }

    static void tableSet(Table t, long i, long ref) {
        if (i >= t.size) throw new Trap(TrapKind.OUT_OF_BOUNDS_TABLE);
        t.elements[(int) i] = ref;
    }

    static void tableFill(Table t, long i, long ref, long n) {
        if (i + n > t.size) throw new Trap(TrapKind.OUT_OF_BOUNDS_TABLE);
        Arrays.fill(t.elements, (int) i, (int) (i + n), ref);
    }

    static void tableCopy(Table dst, Table src, long d, long from, long n) {
        if (from + n > src.size || d + n > dst.size) throw new Trap(TrapKind.OUT_OF_BOUNDS_TABLE);
        System.arraycopy(src.elements, (int) from, dst.elements, (int) d, (int) n);
    }

    /** memory.grow: the old size in pages, or -1. */
    static long grow(Machine m, Memory memory, long delta) {
        try {
            return memory.grow(delta, m.config.maxMemoryPages());
        } catch (OutOfMemoryError e) {
            return -1; // the JVM could not allocate the larger array: the guest sees a failed grow
        }
    }

    static void memoryFill(Memory memory, long dst, int value, long n) {
        byte[] b = memory.bytes;
        if (dst + n > b.length) throw new Trap(TrapKind.OUT_OF_BOUNDS_MEMORY);
        Arrays.fill(b, (int) dst, (int) (dst + n), (byte) value);
    }

    static void memoryCopy(Memory memory, long dst, long src, long n) {
        byte[] b = memory.bytes;
        if (src + n > b.length || dst + n > b.length) throw new Trap(TrapKind.OUT_OF_BOUNDS_MEMORY);
        System.arraycopy(b, (int) src, b, (int) dst, (int) n);
    }

    /** memory.init and active data segments; a dropped segment behaves as empty. */
    static void memoryInit(Instance inst, int segment, long dst, long src, long n) {
        byte[] data = inst.datas[segment];
        int len = data == null ? 0 : data.length;
        byte[] b = inst.memory.bytes;
        if (src + n > len || dst + n > b.length) throw new Trap(TrapKind.OUT_OF_BOUNDS_MEMORY);
        if (n > 0) System.arraycopy(data, (int) src, b, (int) dst, (int) n);
    }

    /** table.init and active element segments; a dropped segment behaves as empty. */
    static void tableInit(Table t, long[] items, long dst, long src, long n) {
        int len = items == null ? 0 : items.length;
        if (src + n > len || dst + n > t.size) throw new Trap(TrapKind.OUT_OF_BOUNDS_TABLE);
        if (n > 0) System.arraycopy(items, (int) src, t.elements, (int) dst, (int) n);
    }

    private static double d(long bits) { return Double.longBitsToDouble(bits); }
    private static float f(long bits) { return Float.intBitsToFloat((int) bits); }
    private static long f64(double v) { return Double.doubleToRawLongBits(v); }
    private static long f32(float v) { return Float.floatToRawIntBits(v); }
}
