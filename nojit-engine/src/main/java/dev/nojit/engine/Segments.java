package dev.nojit.engine;

/** Definitions of a module's tables, memories, globals and segments, as the image stores them. */
final class Segments {
    static final int ACTIVE = 0;
    static final int PASSIVE = 1;
    static final int DECLARATIVE = 2;

    record TableDef(ValType elemType, Limits limits) {}

    record MemoryDef(Limits limits, boolean shared) {}

    record GlobalDef(ValType type, boolean mutable, ConstExpr init) {}

    /** An element segment: items are constant expressions yielding references. */
    record ElemSegment(int mode, int table, ConstExpr offset, ValType type, ConstExpr[] items) {}

    record DataSegment(int mode, ConstExpr offset, byte[] bytes) {}

    private Segments() {}
}
