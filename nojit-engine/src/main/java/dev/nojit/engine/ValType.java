package dev.nojit.engine;

/** WebAssembly value types. Every value travels through the engine as a {@code long} (see {@link Values}). */
public enum ValType {
    I32, I64, F32, F64, V128, FUNCREF, EXTERNREF;

    public boolean isReference() {
        return this == FUNCREF || this == EXTERNREF;
    }

    /** The value a local, global or table slot of this type holds before it is written. */
    public long defaultValue() {
        return isReference() ? Values.NULL_REF : 0L;
    }

    /** The binary-format type code (WebAssembly core 2.0, section 5.3). */
    public int code() {
        return switch (this) {
            case I32 -> 0x7F;
            case I64 -> 0x7E;
            case F32 -> 0x7D;
            case F64 -> 0x7C;
            case V128 -> 0x7B;
            case FUNCREF -> 0x70;
            case EXTERNREF -> 0x6F;
        };
    }

    public static ValType ofCode(int code) {
        return switch (code) {
            case 0x7F -> I32;
            case 0x7E -> I64;
            case 0x7D -> F32;
            case 0x7C -> F64;
            case 0x7B -> V128;
            case 0x70 -> FUNCREF;
            case 0x6F -> EXTERNREF;
            default -> throw new IllegalArgumentException("unknown value type 0x" + Integer.toHexString(code));
        };
    }
}
