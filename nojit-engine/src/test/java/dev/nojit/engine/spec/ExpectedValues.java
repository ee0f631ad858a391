package dev.nojit.engine.spec;

import dev.nojit.engine.Values;
import tools.jackson.databind.JsonNode;

/**
 * Reads wast2json's typed values ({@code {"type": "i32", "value": "4294967295"}}, numbers as unsigned decimal
 * bit patterns) into the engine's long form, and compares results with expected values, NaN patterns included.
 */
final class ExpectedValues {
    private static final int F32_QUIET = 0x0040_0000;
    private static final long F64_QUIET = 0x0008_0000_0000_0000L;

    private ExpectedValues() {}

    /** An argument in the engine's representation. */
    static long argument(JsonNode v) {
        String type = v.get("type").asString();
        String text = v.get("value").asString();
        return switch (type) {
            case "i32", "f32" -> (int) Long.parseUnsignedLong(text);
            case "i64", "f64" -> Long.parseUnsignedLong(text);
            case "funcref", "externref" -> text.equals("null") ? Values.NULL_REF : Long.parseLong(text);
            default -> throw new IllegalArgumentException("unsupported argument type " + type);
        };
    }

    /** Null when {@code actual} matches {@code expected}, else what differs. */
    static String mismatch(JsonNode expected, long actual) {
        String type = expected.get("type").asString();
        String text = expected.path("value").asString();
        return switch (type) {
            case "i32" -> narrow(actual) != null ? narrow(actual)
                    : (int) Long.parseUnsignedLong(text) == (int) actual ? null
                    : "expected i32 " + (int) Long.parseUnsignedLong(text) + ", got " + (int) actual;
            case "i64" -> Long.parseUnsignedLong(text) == actual ? null : "expected i64 " + Long.parseUnsignedLong(text) + ", got " + actual;
            case "f32" -> narrow(actual) != null ? narrow(actual) : f32(text, (int) actual);
            case "f64" -> f64(text, actual);
            case "funcref" -> text.equals("null")
                    ? (actual == Values.NULL_REF ? null : "expected null funcref, got " + actual)
                    : (actual >= 0 ? null : "expected a function reference, got " + actual);
            case "externref" -> {
                long want = text.equals("null") ? Values.NULL_REF : Long.parseLong(text);
                yield want == actual ? null : "expected externref " + text + ", got " + actual;
            }
            default -> "unsupported result type " + type;
        };
    }

    /** The API promises i32 and f32 results sign-extended from their 32 bits. */
    private static String narrow(long actual) {
        return actual == (int) actual ? null : "32-bit result not sign-extended: 0x" + Long.toHexString(actual);
    }

    private static String f32(String text, int bits) {
        boolean nan = Float.isNaN(Float.intBitsToFloat(bits));
        return switch (text) {
            case "nan:canonical" -> (bits & 0x7FFF_FFFF) == 0x7FC0_0000 ? null : "expected canonical f32 NaN, got 0x" + Integer.toHexString(bits);
            case "nan:arithmetic" -> nan && (bits & F32_QUIET) != 0 ? null : "expected arithmetic f32 NaN, got 0x" + Integer.toHexString(bits);
            default -> {
                int want = (int) Long.parseUnsignedLong(text);
                yield want == bits ? null : "expected f32 0x" + Integer.toHexString(want) + " (" + Float.intBitsToFloat(want)
                        + "), got 0x" + Integer.toHexString(bits) + " (" + Float.intBitsToFloat(bits) + ")";
            }
        };
    }

    private static String f64(String text, long bits) {
        boolean nan = Double.isNaN(Double.longBitsToDouble(bits));
        return switch (text) {
            case "nan:canonical" -> (bits & Long.MAX_VALUE) == 0x7FF8_0000_0000_0000L ? null : "expected canonical f64 NaN, got 0x" + Long.toHexString(bits);
            case "nan:arithmetic" -> nan && (bits & F64_QUIET) != 0 ? null : "expected arithmetic f64 NaN, got 0x" + Long.toHexString(bits);
            default -> {
                long want = Long.parseUnsignedLong(text);
                yield want == bits ? null : "expected f64 0x" + Long.toHexString(want) + " (" + Double.longBitsToDouble(want)
                        + "), got 0x" + Long.toHexString(bits) + " (" + Double.longBitsToDouble(bits) + ")";
            }
        };
    }
}
