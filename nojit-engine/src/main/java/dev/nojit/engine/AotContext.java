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
 *
 * <p>Fuel: the interpreter charges each block's instruction count at its check; compiled code charges
 * {@link #enter}'s and {@link #poll}'s {@code units} (the wasm instructions of the straight-line code up to the
 * next check, as the translator counts them), so a fuel limit stops compiled code about as early as interpreted
 * code, not at the same instruction. The machine's fuel, interrupt flag and safepoint handler are shared: an
 * interrupt reaches interpreted and compiled frames alike.
 */
public final class AotContext {
    private static final long U32 = 0xFFFF_FFFFL;
    private static final byte[] NO_MEMORY = new byte[0];

    private final Machine machine;
    private final Instance inst;
    private final int maxCallDepth;

    AotContext(Machine machine, Instance inst) {
        this.machine = machine;
        this.inst = inst;
        this.maxCallDepth = machine.config.maxCallDepth();
    }

    // ---- frames, fuel and interruption ----

    /** Function entry: counts a frame (traps "call stack exhausted" past the limit), charges fuel, takes a pending interrupt. */
    public void enter(int units) {
        Machine m = machine;
        if (m.depth + m.aotDepth >= maxCallDepth) throw new Trap(TrapKind.CALL_STACK_EXHAUSTED);
        m.aotDepth++;
        if ((m.fuel -= units) < 0 || m.interruptRequested) m.safepoint(inst);
    }

    /** Normal function exit: uncounts the frame. */
    public void leave() {
        machine.aotDepth--;
    }

    /** Loop header: charges fuel, takes a pending interrupt (a safepoint handler may run, trap or unwind). */
    public void poll(int units) {
        Machine m = machine;
        if ((m.fuel -= units) < 0 || m.interruptRequested) m.safepoint(inst);
    }

    // ---- memory ----

    /** The current memory array. */
    public byte[] memory() {
        Memory mem = inst.memory;
        return mem == null ? NO_MEMORY : mem.bytes;
    }

    /** memory.size, in pages. */
    public int memorySize() {
        return inst.memory.pages();
    }

    /** memory.grow: the old size in pages, or -1. */
    public int memoryGrow(int deltaPages) {
        return (int) SlowPath.grow(machine, inst.memory, deltaPages & U32);
    }

    public void memoryFill(int dst, int value, int len) {
        SlowPath.memoryFill(inst.memory, dst & U32, value, len & U32);
    }

    public void memoryCopy(int dst, int src, int len) {
        SlowPath.memoryCopy(inst.memory, dst & U32, src & U32, len & U32);
    }

    public void memoryInit(int dataIndex, int dst, int src, int len) {
        SlowPath.memoryInit(inst, dataIndex, dst & U32, src & U32, len & U32);
    }

    public void dataDrop(int dataIndex) {
        inst.datas[dataIndex] = null;
    }

    /**
     * memory.atomic.wait32/wait64 (expected as raw bits); returns 0 ok, 1 not-equal, 2 timed-out. {@code addr} is
     * the effective address (address operand plus the instruction's offset), taken as unsigned; it is checked for
     * alignment and bounds as the interpreter checks it. Generated code whose sum does not fit 32 bits traps
     * itself as for any atomic access beyond the memory. A safepoint handler run during the wait may unwind
     * (the exception leaves this method).
     */
    public int atomicWait(int addr, long expected, long timeoutNanos, boolean wide) {
        return Atomics.await(machine, inst, inst.memory, addr & U32, 0, expected, timeoutNanos, wide ? 8 : 4);
    }

    /** memory.atomic.notify: the number of waiters woken. {@code addr} as for {@link #atomicWait}. */
    public int atomicNotify(int addr, int count) {
        return Atomics.notify(inst.memory, addr & U32, 0, count & U32);
    }

    // ---- globals ----

    /** The raw bits of global {@code index} (imports first). */
    public long global(int index) {
        return inst.globals[index].value;
    }

    /** global.set with raw bits (validation has checked mutability). */
    public void setGlobal(int index, long raw) {
        inst.globals[index].value = raw;
    }

    // ---- tables and references ----

    public long tableGet(int table, int index) {
        return SlowPath.tableGet(inst.tables[table], index & U32);
    }

    public void tableSet(int table, int index, long ref) {
        SlowPath.tableSet(inst.tables[table], index & U32, ref);
    }

    public int tableSize(int table) {
        return inst.tables[table].size;
    }

    public int tableGrow(int table, long init, int delta) {
        return inst.tables[table].grow(delta & U32, init, machine.config.maxTableElements());
    }

    public void tableFill(int table, int index, long ref, int len) {
        SlowPath.tableFill(inst.tables[table], index & U32, ref, len & U32);
    }

    public void tableCopy(int dstTable, int srcTable, int dst, int src, int len) {
        SlowPath.tableCopy(inst.tables[dstTable], inst.tables[srcTable], dst & U32, src & U32, len & U32);
    }

    public void tableInit(int table, int elemIndex, int dst, int src, int len) {
        SlowPath.tableInit(inst.tables[table], inst.elems[elemIndex], dst & U32, src & U32, len & U32);
    }

    public void elemDrop(int elemIndex) {
        inst.elems[elemIndex] = null;
    }

    /** ref.func: the funcref value of function {@code funcIndex} (imports first). */
    public long refFunc(int funcIndex) {
        return inst.functions[funcIndex].id;
    }

    // ---- calls ----

    /**
     * Calls any function of this instance by function index (imports first) with raw arguments: an import (host
     * function or another instance's function) or a defined function left to the interpreter. Returns raw results.
     */
    public long[] call(int funcIndex, long[] args) {
        FunctionInstance f = inst.functions[funcIndex];
        if (f.host != null) return HostCalls.callFromCompiled(machine, f, args, inst, null, -1, null, deoptimizable());
        return call(f, args, null, -1, null);
    }

    /** Calls {@code f} from compiled code of this instance; a host function sees the returns-twice site, if any. */
    private long[] call(FunctionInstance f, long[] args, AotFrame frame, int site, long[] saved) {
        if (f.host != null) return HostCalls.callFromCompiled(machine, f, args, inst, frame, site, saved, false);
        if (f.compiled != null) return f.compiled.invoke(f.definedIndex, args, machine.aotContext(f.instance));
        return machine.call(f, args); // interpreted: a nested run, as a host function calling back
    }

    /**
     * call_indirect, first step: resolves element {@code element} of table {@code table} against type
     * {@code typeIndex} (this module's type index). Returns the defined index (imports excluded) of a compiled
     * function of this same instance, for the generated code to call directly; or -1, when the target must go
     * through {@link #callIndirect} (a host function, another instance's function, an interpreted function, or
     * a tolerated signature mismatch). Traps as call_indirect does (undefined element, uninitialized element,
     * indirect call type mismatch).
     */
    public int resolveIndirect(int table, int typeIndex, int element) {
        FunctionInstance f = machine.indirectFunction(inst, typeIndex, table, element);
        if (f.instance != inst || f.compiled == null || f.typeId != inst.typeIds[typeIndex]) return -1;
        return f.definedIndex;
    }

    /**
     * call_indirect, slow path: calls the element with raw arguments of type {@code typeIndex}; raw results. With
     * {@link EngineConfig#lenientCallIndirect} a callee of another signature gets the arguments cut or padded with
     * zeros to its own count, and its results are cut or padded to the count type {@code typeIndex} declares.
     */
    public long[] callIndirect(int table, int typeIndex, int element, long[] args) {
        FunctionInstance f = machine.indirectFunction(inst, typeIndex, table, element);
        if (f.typeId == inst.typeIds[typeIndex]) return call(f, args, null, -1, null);
        FuncType want = inst.image.types[typeIndex];
        long[] results = call(f, java.util.Arrays.copyOf(args, f.type.params().size()), null, -1, null);
        return java.util.Arrays.copyOf(results, want.results().size());
    }

    // ---- deoptimization (fork from compiled code) ----

    private int deopt = -1; // unknown, 0 no, 1 yes

    /** Whether this instance's compiled code was translated with deoptimization handlers at its call sites. */
    private boolean deoptimizable() {
        if (deopt < 0) {
            deopt = 0;
            for (FunctionInstance f : inst.functions) {
                if (f.compiled != null && f.instance == inst) {
                    deopt = f.compiled.deoptimizable() ? 1 : 0;
                    break;
                }
            }
        }
        return deopt == 1;
    }

    /**
     * Called by the deoptimization handler of a compiled function as {@code capture} passes through it: records the
     * activation of defined function {@code definedIndex}, paused at its {@code site}-th call (in code order), with
     * its {@code locals} (raw bits). {@code pool} holds the function's capture locals (raw bits) and {@code layout}
     * says, per call site whose operands below its arguments wait in them, which ones, bottom up:
     * {@code "site:i,j,...;"} for each such site. {@code frame}: the activation's record when it has
     * returns-twice sites (else null), {@code returnsTwiceSites} the call ordinal of each of those sites: resume
     * points recorded there become the interpreter frame's. The handler then rethrows.
     */
    public void captured(AotCapture capture, int definedIndex, int site, long[] locals, long[] pool, String layout,
                         AotFrame frame, int[] returnsTwiceSites) {
        capture.frames.add(new AotCapture.Frame(inst, definedIndex, site, locals, below(site, pool, layout), frame,
                returnsTwiceSites));
    }

    /** The operands below call {@code site}, picked out of the capture locals as the layout says (none if unlisted). */
    private static long[] below(int site, long[] pool, String layout) {
        String key = site + ":";
        int at = layout.startsWith(key) ? 0 : layout.indexOf(";" + key);
        if (at < 0) return new long[0];
        if (at > 0) at++;
        int from = at + key.length(), to = layout.indexOf(';', from);
        String[] idx = layout.substring(from, to < 0 ? layout.length() : to).split(",");
        long[] out = new long[idx.length];
        for (int i = 0; i < idx.length; i++) out[i] = pool[Integer.parseInt(idx[i])];
        return out;
    }

    // ---- returns-twice imports (setjmp) ----

    /**
     * Opens the frame record of a compiled function that contains call sites of returns-twice imports (the
     * translator is told which imports return twice). Called after {@link #enter}.
     */
    public AotFrame openFrame() {
        Machine m = machine;
        AotFrame f = new AotFrame(m, m.aotDepth, m.topFrame);
        m.topFrame = f;
        return f;
    }

    /**
     * Calls returns-twice import {@code funcIndex} from call site {@code site} of {@code frame}. {@code saved}
     * holds the frame's locals and the operands below the call, as raw bits, in the order the generated code
     * chose; a later unwind to this call site hands the same values back ({@link AotResume#saved()}): a host
     * function's {@link HostCall#resumePoint()} records (frame, site, saved).
     */
    public long[] callReturnsTwice(int funcIndex, long[] args, AotFrame frame, int site, long[] saved) {
        return call(inst.functions[funcIndex], args, frame, site, saved);
    }
}
