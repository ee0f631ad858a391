package dev.nojit.engine;

/**
 * WebAssembly numeric semantics where Java's differ: trapping division, NaN-propagating min/max, bitwise
 * sign operations, checked and saturating float-to-int truncation, unsigned int-to-float conversion.
 * Results are in {@link Values} encoding.
 */
final class Numerics {
    private static final float TWO_31_F = 2147483648f;
    private static final float TWO_32_F = 4294967296f;
    private static final float TWO_63_F = 9223372036854775808f;
    private static final float TWO_64_F = 18446744073709551616f;
    private static final double TWO_31 = 2147483648d;
    private static final double TWO_32 = 4294967296d;
    private static final double TWO_63 = 9223372036854775808d;
    private static final double TWO_64 = 18446744073709551616d;

    private Numerics() {}

    static long i32DivS(int a, int b) {
        if (b == 0) throw new Trap(TrapKind.INTEGER_DIVIDE_BY_ZERO);
        if (a == Integer.MIN_VALUE && b == -1) throw new Trap(TrapKind.INTEGER_OVERFLOW);
        return a / b;
    }

    static long i32DivU(int a, int b) {
        if (b == 0) throw new Trap(TrapKind.INTEGER_DIVIDE_BY_ZERO);
        return Integer.divideUnsigned(a, b);
    }

    static long i32RemS(int a, int b) {
        if (b == 0) throw new Trap(TrapKind.INTEGER_DIVIDE_BY_ZERO);
        return a % b; // Java gives 0 for MIN_VALUE % -1, as WebAssembly requires
    }

    static long i32RemU(int a, int b) {
        if (b == 0) throw new Trap(TrapKind.INTEGER_DIVIDE_BY_ZERO);
        return Integer.remainderUnsigned(a, b);
    }

    static long i64DivS(long a, long b) {
        if (b == 0) throw new Trap(TrapKind.INTEGER_DIVIDE_BY_ZERO);
        if (a == Long.MIN_VALUE && b == -1) throw new Trap(TrapKind.INTEGER_OVERFLOW);
        return a / b;
    }

    static long i64DivU(long a, long b) {
        if (b == 0) throw new Trap(TrapKind.INTEGER_DIVIDE_BY_ZERO);
        return Long.divideUnsigned(a, b);
    }

    static long i64RemS(long a, long b) {
        if (b == 0) throw new Trap(TrapKind.INTEGER_DIVIDE_BY_ZERO);
        return a % b;
    }

    static long i64RemU(long a, long b) {
        if (b == 0) throw new Trap(TrapKind.INTEGER_DIVIDE_BY_ZERO);
        return Long.remainderUnsigned(a, b);
    }

    // ---- floats: a NaN operand yields a quiet NaN (adding quiets a signalling NaN) ----

    static float fmin(float a, float b) {
        if (a != a || b != b) return a + b;
        return Math.min(a, b);
    }

    static float fmax(float a, float b) {
        if (a != a || b != b) return a + b;
        return Math.max(a, b);
    }

    static double dmin(double a, double b) {
        if (a != a || b != b) return a + b;
        return Math.min(a, b);
    }

    static double dmax(double a, double b) {
        if (a != a || b != b) return a + b;
        return Math.max(a, b);
    }

    static float ftrunc(float a) {
        return (float) dtrunc(a);
    }

    static double dtrunc(double a) {
        if (a != a) return a + a;
        return a < 0 ? Math.ceil(a) : Math.floor(a);
    }

    static float fnearest(float a) {
        if (a != a) return a + a;
        return (float) Math.rint(a);
    }

    static double dnearest(double a) {
        if (a != a) return a + a;
        return Math.rint(a);
    }

    static float fceil(float a) {
        if (a != a) return a + a;
        return (float) Math.ceil(a);
    }

    static float ffloor(float a) {
        if (a != a) return a + a;
        return (float) Math.floor(a);
    }

    static double dceil(double a) {
        if (a != a) return a + a;
        return Math.ceil(a);
    }

    static double dfloor(double a) {
        if (a != a) return a + a;
        return Math.floor(a);
    }

    // ---- checked truncation: NaN is an invalid conversion, out of range an overflow ----

    private static Trap invalidOrOverflow(boolean nan) {
        return new Trap(nan ? TrapKind.INVALID_CONVERSION : TrapKind.INTEGER_OVERFLOW);
    }

    static long i32TruncF32S(float a) {
        if (!(a >= -TWO_31_F && a < TWO_31_F)) throw invalidOrOverflow(a != a);
        return (int) a;
    }

    static long i32TruncF32U(float a) {
        if (!(a > -1f && a < TWO_32_F)) throw invalidOrOverflow(a != a);
        return (int) (long) a;
    }

    static long i32TruncF64S(double a) {
        if (!(a > -TWO_31 - 1 && a < TWO_31)) throw invalidOrOverflow(a != a);
        return (int) a;
    }

    static long i32TruncF64U(double a) {
        if (!(a > -1d && a < TWO_32)) throw invalidOrOverflow(a != a);
        return (int) (long) a;
    }

    static long i64TruncF32S(float a) {
        if (!(a >= -TWO_63_F && a < TWO_63_F)) throw invalidOrOverflow(a != a);
        return (long) a;
    }

    static long i64TruncF32U(float a) {
        if (!(a > -1f && a < TWO_64_F)) throw invalidOrOverflow(a != a);
        return f2u64(a);
    }

    static long i64TruncF64S(double a) {
        if (!(a >= -TWO_63 && a < TWO_63)) throw invalidOrOverflow(a != a);
        return (long) a;
    }

    static long i64TruncF64U(double a) {
        if (!(a > -1d && a < TWO_64)) throw invalidOrOverflow(a != a);
        return f2u64(a);
    }

    /** Truncates a value in [0, 2^64) to an unsigned 64-bit integer. */
    private static long f2u64(double a) {
        if (a < TWO_63) return (long) a;
        return (long) (a - TWO_63) ^ Long.MIN_VALUE;
    }

    // ---- saturating truncation: NaN is 0, out of range clamps ----

    static long i32TruncSatS(double a) {
        return (int) a; // Java's narrowing already saturates and maps NaN to 0
    }

    static long i32TruncSatU(double a) {
        if (!(a > -1d)) return 0;
        if (a >= TWO_32) return -1; // 0xFFFFFFFF as a sign-extended i32
        return (int) (long) a;
    }

    static long i64TruncSatS(double a) {
        return (long) a;
    }

    static long i64TruncSatU(double a) {
        if (!(a > -1d)) return 0;
        if (a >= TWO_64) return -1L;
        return f2u64(a);
    }

    // ---- unsigned integer to float, rounding once ----

    static float u64ToF32(long v) {
        if (v >= 0) return (float) v;
        // halve keeping the lost bit as a sticky bit, so the single rounding stays correct
        return (float) ((v >>> 1) | (v & 1)) * 2f;
    }

    static double u64ToF64(long v) {
        if (v >= 0) return (double) v;
        return (double) ((v >>> 1) | (v & 1)) * 2d;
    }
}
