package dev.nojit.engine;

/**
 * What compiled code ({@link CompiledModule}) reaches of the engine: one object per (machine, instance), passed
 * as the last argument of every compiled function. Everything a compiled function cannot do with plain JVM
 * bytecode on its own locals and the memory array goes through here, so that AOT and interpreted code share one
 * implementation of calls, host calls, traps, fuel, interruption, memory growth, tables and setjmp/longjmp.
 *
 * <p>Conventions for generated code:
 * <ul>
 *   <li>{@link #memory()} is the current memory array (an empty array when the instance has none). Reload it
 *       after every call of any kind, every {@code memory.grow}, {@code memory.init/copy/fill} and every
 *       {@link #poll}/{@link #enter} (a safepoint handler may have grown the memory).</li>
 *   <li>A compiled function calls {@link #enter} first and {@link #leave} before each normal return; an
 *       exception leaving it needs no {@code leave} (whoever catches it restores the depth).</li>
 *   <li>{@link #poll} at every loop header, charging the instructions run since the previous check.</li>
 *   <li>Traps are thrown as {@link Trap}; host exceptions pass through compiled code untouched.</li>
 * </ul>
 */
public final class AotContext {
    AotContext() {}

    // ---- frames, fuel and interruption ----

    /** Function entry: counts a frame (traps "call stack exhausted" past the limit), charges fuel, takes a pending interrupt. */
    public void enter(int units) { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    /** Normal function exit: uncounts the frame. */
    public void leave() { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    /** Loop header: charges fuel, takes a pending interrupt (a safepoint handler may run, trap or unwind). */
    public void poll(int units) { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    // ---- memory ----

    /** The current memory array. */
    public byte[] memory() { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    /** memory.size, in pages. */
    public int memorySize() { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    /** memory.grow: the old size in pages, or -1. */
    public int memoryGrow(int deltaPages) { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    public void memoryFill(int dst, int value, int len) { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    public void memoryCopy(int dst, int src, int len) { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    public void memoryInit(int dataIndex, int dst, int src, int len) { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    public void dataDrop(int dataIndex) { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    /** memory.atomic.wait32/wait64 (expected as raw bits); returns 0 ok, 1 not-equal, 2 timed-out. */
    public int atomicWait(int addr, long expected, long timeoutNanos, boolean wide) { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    /** memory.atomic.notify: the number of waiters woken. */
    public int atomicNotify(int addr, int count) { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    // ---- globals ----

    /** The raw bits of global {@code index} (imports first). */
    public long global(int index) { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    /** global.set with raw bits (validation has checked mutability). */
    public void setGlobal(int index, long raw) { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    // ---- tables and references ----

    public long tableGet(int table, int index) { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    public void tableSet(int table, int index, long ref) { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    public int tableSize(int table) { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    public int tableGrow(int table, long init, int delta) { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    public void tableFill(int table, int index, long ref, int len) { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    public void tableCopy(int dstTable, int srcTable, int dst, int src, int len) { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    public void tableInit(int table, int elemIndex, int dst, int src, int len) { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    public void elemDrop(int elemIndex) { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    /** ref.func: the funcref value of function {@code funcIndex} (imports first). */
    public long refFunc(int funcIndex) { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    // ---- calls ----

    /**
     * Calls any function of this instance by function index (imports first) with raw arguments: an import (host
     * function or another instance's function) or a defined function left to the interpreter. Returns raw results.
     */
    public long[] call(int funcIndex, long[] args) { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    /**
     * call_indirect, first step: resolves element {@code element} of table {@code table} against type
     * {@code typeIndex} (this module's type index). Returns the defined index (imports excluded) of a compiled
     * function of this same instance, for the generated code to call directly; or -1, when the target must go
     * through {@link #callIndirect} (a host function, another instance's function, an interpreted function, or
     * a tolerated signature mismatch). Traps as call_indirect does (undefined element, uninitialized element,
     * indirect call type mismatch).
     */
    public int resolveIndirect(int table, int typeIndex, int element) { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    /** call_indirect, slow path: calls the element with raw arguments of type {@code typeIndex}; raw results. */
    public long[] callIndirect(int table, int typeIndex, int element, long[] args) { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    // ---- returns-twice imports (setjmp) ----

    /**
     * Opens the frame record of a compiled function that contains call sites of returns-twice imports (the
     * translator is told which imports return twice). Called after {@link #enter}.
     */
    public AotFrame openFrame() { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    /**
     * Calls returns-twice import {@code funcIndex} from call site {@code site} of {@code frame}. {@code saved}
     * holds the frame's locals and the operands below the call, as raw bits, in the order the generated code
     * chose; a later unwind to this call site hands the same array back ({@link AotResume#saved()}).
     */
    public long[] callReturnsTwice(int funcIndex, long[] args, AotFrame frame, int site, long[] saved) {
        throw new UnsupportedOperationException("AOT runtime not yet built");
    }
}
