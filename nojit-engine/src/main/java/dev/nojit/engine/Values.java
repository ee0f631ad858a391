package dev.nojit.engine;

/**
 * How WebAssembly values are carried as Java {@code long}s, on the operand stack, in globals, tables and
 * across the host interface.
 *
 * <ul>
 *   <li>i32: sign-extended {@code (long) intValue}; inputs from the host are normalized, so only the low
 *       32 bits of an argument matter;</li>
 *   <li>i64: the long itself; f32: {@link Float#floatToRawIntBits} sign-extended; f64:
 *       {@link Double#doubleToRawLongBits} (raw bits, so NaN payloads survive);</li>
 *   <li>funcref and externref: {@link #NULL_REF} is null; a non-null funcref is an opaque id of the store
 *       that made it; a non-null externref is whatever non-negative long the host passed in.</li>
 * </ul>
 */
public final class Values {
    public static final long NULL_REF = -1L;

    private Values() {}

    public static long i32(int v) { return v; }
    public static long f32(float v) { return Float.floatToRawIntBits(v); }
    public static long f64(double v) { return Double.doubleToRawLongBits(v); }
    public static float asF32(long v) { return Float.intBitsToFloat((int) v); }
    public static double asF64(long v) { return Double.longBitsToDouble(v); }

    /** Brings a value from the host into the engine's canonical form for its type. */
    static long normalize(ValType type, long v) {
        return switch (type) {
            case I32, F32 -> (int) v;
            default -> v;
        };
    }
}
