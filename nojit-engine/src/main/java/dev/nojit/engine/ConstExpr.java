package dev.nojit.engine;

/**
 * A constant expression of WebAssembly 2.0 (global initializers, segment offsets, element items): one
 * instruction, evaluated at instantiation.
 */
record ConstExpr(int kind, long value) {
    static final int CONST = 0;       // value: the constant, already in Values encoding
    static final int GLOBAL_GET = 1;  // value: global index
    static final int REF_NULL = 2;
    static final int REF_FUNC = 3;    // value: function index

    long evaluate(Instance instance) {
        return switch (kind) {
            case CONST -> value;
            case GLOBAL_GET -> instance.globals[(int) value].value;
            case REF_NULL -> Values.NULL_REF;
            case REF_FUNC -> instance.functions[(int) value].id;
            default -> throw new IllegalStateException("bad constant expression kind " + kind);
        };
    }
}
