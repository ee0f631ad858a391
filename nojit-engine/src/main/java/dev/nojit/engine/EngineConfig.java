package dev.nojit.engine;

/**
 * Bounds that keep a guest from exhausting the host.
 *
 * @param maxCallDepth        wasm frames per machine; deeper recursion traps with "call stack exhausted"
 * @param maxStackSlots       operand-stack and locals slots (8 bytes each) per machine
 * @param maxMemoryPages      64 KiB pages per memory; memory.grow beyond returns -1. At most 32767, because a
 *                            memory is one Java array
 * @param maxTableElements    elements per table; table.grow beyond returns -1
 * @param lenientCallIndirect tolerate a call_indirect whose signature differs from the callee's: extra arguments
 *                            are dropped, missing ones are zero, missing results read zero, extra ones are dropped
 *                            (missing results read as zero, extra ones are dropped); off by default
 */
public record EngineConfig(int maxCallDepth, int maxStackSlots, int maxMemoryPages, int maxTableElements,
                           boolean lenientCallIndirect) {
    public static final int MAX_ARRAY_PAGES = 32767;

    public EngineConfig {
        if (maxCallDepth < 1) throw new IllegalArgumentException("maxCallDepth must be positive");
        if (maxStackSlots < 1024) throw new IllegalArgumentException("maxStackSlots must be at least 1024");
        if (maxMemoryPages < 0 || maxMemoryPages > MAX_ARRAY_PAGES)
            throw new IllegalArgumentException("maxMemoryPages must be within 0.." + MAX_ARRAY_PAGES);
        if (maxTableElements < 0) throw new IllegalArgumentException("maxTableElements must not be negative");
    }

    /** 50,000 frames, 4 Mi stack slots (32 MiB), 1 GiB memories, 10 Mi table elements, strict call_indirect. */
    public static EngineConfig defaults() {
        return new EngineConfig(50_000, 1 << 22, 16384, 10_000_000, false);
    }

    public EngineConfig withMaxCallDepth(int v) {
        return new EngineConfig(v, maxStackSlots, maxMemoryPages, maxTableElements, lenientCallIndirect);
    }

    public EngineConfig withMaxStackSlots(int v) {
        return new EngineConfig(maxCallDepth, v, maxMemoryPages, maxTableElements, lenientCallIndirect);
    }

    public EngineConfig withMaxMemoryPages(int v) {
        return new EngineConfig(maxCallDepth, maxStackSlots, v, maxTableElements, lenientCallIndirect);
    }

    public EngineConfig withMaxTableElements(int v) {
        return new EngineConfig(maxCallDepth, maxStackSlots, maxMemoryPages, v, lenientCallIndirect);
    }

    public EngineConfig withLenientCallIndirect(boolean v) {
        return new EngineConfig(maxCallDepth, maxStackSlots, maxMemoryPages, maxTableElements, v);
    }
}
