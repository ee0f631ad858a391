package dev.nojit.engine;

import java.util.Arrays;

/**
 * One thread of WebAssembly execution: the operand stack (locals included), the frame stack and the
 * interpreter loop. Frames live in this object's arrays, never on the Java stack, so a wasm call costs no Java
 * recursion, deep recursion traps cleanly at {@link EngineConfig#maxCallDepth}, and the whole state can be
 * copied ({@link Snapshot}) or rewound ({@link ResumePoint}).
 *
 * <p>A machine runs on one thread at a time; {@link #interrupt()} may be called from any thread.
 */
public final class Machine {
    private static final long U32 = 0xFFFF_FFFFL;
    private static final byte[] NO_MEMORY = new byte[0];

    final Store store;
    final EngineConfig config;

    // The operand stack: a frame's locals start at fp, its operands follow them.
    long[] stack;
    // Saved caller state, indexed by the depth at the time of the call.
    int[] framePc;
    int[] frameFp;
    FunctionCode[] frameFn;
    Instance[] frameInst;
    long[] frameSerial;
    int[] frameExpect;
    int depth;
    long serials;

    // The running frame, valid in these fields whenever control is outside the interpreter loop's locals.
    int pc;
    int sp;
    int fp;
    FunctionCode fn;
    Instance inst;

    private int runBase;
    private int nesting;
    private int entryResults;
    long fuel = unlimitedFuel();
    private boolean fuelLimited;
    volatile boolean interruptRequested;
    private volatile SafepointHandler safepointHandler;
    // The waiter queue this machine's thread sleeps in (memory.atomic.wait), so that an interrupt wakes it at once.
    private volatile WaitQueues parkedOn;
    // Set on this machine's own thread when a safepoint handler ran inside a slow instruction (see run()).
    private boolean ranHostCode;

    // AOT mode: frames of compiled code active on this thread's Java stack (they count against maxCallDepth with
    // the interpreted ones), the newest open activation with returns-twice sites, and one context per instance.
    int aotDepth;
    // Stretches of compiled code entered from outside compiled code (the interpreter, call) that are active.
    int aotEntries;
    AotFrame topFrame;
    private Instance lastCompiled;
    private AotContext lastContext;
    private java.util.Map<Instance, AotContext> contexts;

    public Machine(Store store) {
        this.store = store;
        this.config = store.config();
        this.stack = new long[Math.min(config.maxStackSlots(), 1 << 12)];
        int frames = Math.min(config.maxCallDepth(), 256);
        framePc = new int[frames];
        frameFp = new int[frames];
        frameFn = new FunctionCode[frames];
        frameInst = new Instance[frames];
        frameSerial = new long[frames];
        frameExpect = new int[frames];
    }

    public Store store() {
        return store;
    }

    /** Calls an exported function of {@code instance} on this machine and returns its results. */
    public long[] invoke(Instance instance, String exportName, long... args) {
        return call(instance.exportedFunction(exportName), args);
    }

    /** Calls a function a table element referred to (see {@link Instance#tableFunction}); re-entrant from a host call. */
    public long[] invoke(FunctionRef function, long... args) {
        return call(function.function(), args);
    }

    /** Calls a function on this machine; re-entrant from a host function running on this machine. */
    long[] call(FunctionInstance f, long[] args) {
        FuncType type = f.type;
        if (args.length != type.params().size())
            throw new IllegalArgumentException("expected " + type.params().size() + " arguments, got " + args.length);
        if (f.host != null) return HostCalls.invokeDirect(this, f, args);
        int savedPc = pc, savedSp = sp, savedFp = fp, savedDepth = depth, savedBase = runBase, savedEntry = entryResults;
        int savedAot = aotDepth;
        FunctionCode savedFn = fn;
        Instance savedInst = inst;
        nesting++;
        try {
            runBase = depth;
            entryResults = type.results().size();
            if (f.compiled != null) {
                long[] in = new long[args.length];
                for (int i = 0; i < args.length; i++) in[i] = Values.normalize(type.params().get(i), args[i]);
                AotCapture capture;
                aotEntries++;
                try {
                    return HostCalls.checkedResults(f.name, type, f.compiled.invoke(f.definedIndex, in, aotContext(f.instance)));
                } catch (AotCapture c) {
                    capture = c;
                } finally {
                    aotEntries--;
                }
                // A snapshot under these compiled frames: they continue as interpreter frames from here.
                restoreCompiledDepth(savedAot);
                fn = null;
                inst = null;
                pc = -1;
                deoptimize(capture);
            } else {
                ensureStack(sp + args.length);
                for (int i = 0; i < args.length; i++) stack[sp++] = Values.normalize(type.params().get(i), args[i]);
                fn = null;
                inst = null;
                pc = -1;
                enter(f);
            }
            run();
            int n = type.results().size();
            long[] results = Arrays.copyOfRange(stack, sp - n, sp);
            sp -= n;
            return results;
        } catch (Trap t) {
            throw t;
        } catch (Unwind u) {
            throw u;
        } catch (RuntimeException | StackOverflowError e) {
            throw fault(e);
        } finally {
            nesting--;
            restoreCompiledDepth(savedAot);
            pc = savedPc;
            sp = savedSp;
            fp = savedFp;
            depth = savedDepth;
            runBase = savedBase;
            entryResults = savedEntry;
            fn = savedFn;
            inst = savedInst;
        }
    }

    /**
     * The trap for a Java exception that escaped guest code: running out of Java stack (deep recursion of compiled
     * code, or host code nested in it) is the guest's call stack exhausted; anything else is an engine fault.
     */
    static Trap fault(Throwable e) {
        if (e instanceof StackOverflowError) return new Trap(TrapKind.CALL_STACK_EXHAUSTED);
        return new Trap(TrapKind.ENGINE_FAULT, "engine fault: " + e, e);
    }

    /** The context compiled code of {@code instance} runs with on this machine (one per instance, kept). */
    AotContext aotContext(Instance instance) {
        if (instance == lastCompiled) return lastContext;
        if (contexts == null) contexts = new java.util.IdentityHashMap<>();
        AotContext cx = contexts.computeIfAbsent(instance, i -> new AotContext(this, i));
        lastCompiled = instance;
        lastContext = cx;
        return cx;
    }

    /**
     * Back to {@code level} compiled frames after an exception left the ones above it (or an unwind was caught at
     * that level): the activations with returns-twice sites among them are closed.
     */
    void restoreCompiledDepth(int level) {
        aotDepth = level;
        AotFrame f = topFrame;
        while (f != null && f.level > level) {
            f.end();
            f = f.below;
        }
        topFrame = f;
    }

    /** The interpreter calls compiled function {@code f}: arguments popped, results pushed (or an unwind applied). */
    private void callCompiled(FunctionInstance f) {
        int n = f.type.params().size();
        long[] args = Arrays.copyOfRange(stack, sp - n, sp);
        sp -= n;
        int level = aotDepth;
        long[] results;
        aotEntries++;
        try {
            results = f.compiled.invoke(f.definedIndex, args, aotContext(f.instance));
        } catch (Unwind u) {
            restoreCompiledDepth(level);
            HostCalls.applyUnwind(this, u);
            return;
        } catch (AotCapture c) {
            // A snapshot under these compiled frames: the interpreter continues them (the loop reloads its position).
            restoreCompiledDepth(level);
            deoptimize(c);
            return;
        } finally {
            aotEntries--;
            restoreCompiledDepth(level);
        }
        HostCalls.pushResults(this, f.type, results);
    }

    /**
     * Deoptimization: pushes the compiled activations {@code c} captured (outermost first) as interpreter frames
     * above the running position, which is where their outermost one was called from. Each continues after its
     * call site, where the frame above it returns; the innermost one is positioned on its host call, with the
     * call's arguments in place, so that the interpreter makes that call again. A compiled call site maps to the
     * interpreter's call with the same position among the function's reachable calls (both translators skip the
     * same unreachable code); the operand counts are checked, and any disagreement is an engine fault (a trap),
     * never a wrong frame.
     */
    private void deoptimize(AotCapture c) {
        java.util.List<AotCapture.Frame> frames = c.frames;
        if (frames.isEmpty() || frames.size() != c.expected || c.hostArgs == null)
            throw new Trap(TrapKind.ENGINE_FAULT, "engine fault: deoptimization captured " + frames.size() + " of "
                    + c.expected + " compiled frames", null);
        for (int k = frames.size() - 1; k >= 0; k--) {
            AotCapture.Frame a = frames.get(k);
            Instance in = a.instance();
            FunctionCode code = in.image.functions[a.definedIndex()];
            int[] ops = code.code();
            int sitePc = callSitePc(ops, a.site());
            boolean direct = sitePc >= 0 && ops[sitePc] == Op.CALL;
            int params = sitePc < 0 ? 0 : direct ? in.functions[ops[sitePc + 1]].type.params().size()
                    : in.image.types[ops[sitePc + 1]].params().size();
            int argsEnd = sitePc < 0 ? 0 : ops[sitePc + (direct ? 2 : 4)];
            int tempBase = code.numLocals() + code.consts().length;
            int below = argsEnd - params - tempBase;
            // a direct call must name the function of the frame above (or, innermost, a host function)
            boolean target = !direct || (k == 0 ? in.functions[ops[sitePc + 1]].host != null
                    : frames.get(k - 1).instance() == in && ops[sitePc + 1] == in.image.importedFunctions + frames.get(k - 1).definedIndex());
            if (sitePc < 0 || below != a.below().length || a.locals().length != code.numLocals() || (k == 0 && !direct) || !target)
                throw new Trap(TrapKind.ENGINE_FAULT, "engine fault: deoptimization found no matching call site "
                        + a.site() + " in function " + (in.image.importedFunctions + a.definedIndex()), null);
            int d = depth;
            int newFp = sp;
            int frameEnd = newFp + code.frameSize();
            if (d + aotDepth >= framePc.length || frameEnd > stack.length) makeRoom(d, frameEnd);
            framePc[d] = pc;
            frameFp[d] = fp;
            frameFn[d] = fn;
            frameInst[d] = inst;
            frameSerial[d] = ++serials;
            frameExpect[d] = -1;
            depth = d + 1;
            long[] s = stack;
            System.arraycopy(a.locals(), 0, s, newFp, code.numLocals());
            System.arraycopy(code.consts(), 0, s, newFp + code.numLocals(), code.consts().length);
            System.arraycopy(a.below(), 0, s, newFp + tempBase, below);
            fp = newFp;
            fn = code;
            inst = in;
            if (a.frame() != null) a.frame().relocated = new AotFrame.Relocation(d + 1, frameSerial[d], newFp, code, in, a.returnsTwiceSites());
            if (k > 0) {
                pc = sitePc + Op.length(ops, sitePc); // where the frame above returns to
                sp = newFp + argsEnd - params;        // the frame above starts at the call's arguments
            } else {
                if (c.hostArgs.length != params) throw new Trap(TrapKind.ENGINE_FAULT, "engine fault: deoptimization: host call arguments", null);
                System.arraycopy(c.hostArgs, 0, s, newFp + argsEnd - params, params);
                pc = sitePc; // the host call runs again
                sp = frameEnd;
            }
        }
    }

    /**
     * The interpreter's resume point for one recorded at a returns-twice site of a compiled activation that
     * deoptimization rebuilt as an interpreter frame: the same frame identity, the interpreter's position after
     * that call, and the saved locals and operands laid out as the interpreter keeps them.
     */
    static ResumePoint relocatedPoint(ResumePoint p) {
        AotFrame.Relocation r = p.aotFrame.relocated;
        FunctionCode code = r.fn();
        int[] ops = code.code();
        int sitePc = p.aotSite >= 0 && p.aotSite < r.siteOrdinals().length ? callSitePc(ops, r.siteOrdinals()[p.aotSite]) : -1;
        long[] saved = p.aotSaved == null ? new long[0] : p.aotSaved;
        int tempBase = code.numLocals() + code.consts().length;
        int below = -1;
        if (sitePc >= 0 && ops[sitePc] == Op.CALL)
            below = ops[sitePc + 2] - r.inst().functions[ops[sitePc + 1]].type.params().size() - tempBase;
        if (below < 0 || saved.length != code.numLocals() + below)
            throw new Trap(TrapKind.ENGINE_FAULT, "engine fault: a deoptimized frame's resume point has no matching call site", null);
        long[] frame = new long[tempBase + below];
        System.arraycopy(saved, 0, frame, 0, code.numLocals());
        System.arraycopy(code.consts(), 0, frame, code.numLocals(), code.consts().length);
        System.arraycopy(saved, code.numLocals(), frame, tempBase, below);
        return new ResumePoint(p.machine, r.depth(), r.serial(), sitePc + Op.length(ops, sitePc), r.fp(), r.fp() + frame.length,
                code, r.inst(), frame, p.hostType);
    }

    /** The position of the {@code ordinal}-th call or call_indirect instruction of {@code code}, or -1. */
    private static int callSitePc(int[] code, int ordinal) {
        int n = 0;
        for (int pc = 0; pc < code.length; pc += Op.length(code, pc)) {
            int op = code[pc];
            if ((op == Op.CALL || op == Op.CALL_INDIRECT) && n++ == ordinal) return pc;
        }
        return -1;
    }

    /** Makes the running code trap with {@link TrapKind#INTERRUPTED} at its next call or loop back-edge. */
    public void interrupt() {
        interruptRequested = true;
        wakeParked();
    }

    /**
     * Runs {@code handler} on this machine's thread at the next call or loop back-edge (for example to deliver a
     * signal); the handler may return (execution continues), throw a {@link Trap} or unwind.
     */
    public void interrupt(SafepointHandler handler) {
        safepointHandler = handler;
        interruptRequested = true;
        wakeParked();
    }

    /** Wakes this machine's thread if it sleeps in memory.atomic.wait (it then takes the interrupt). */
    private void wakeParked() {
        WaitQueues q = parkedOn;
        if (q != null) q.wakeAll();
    }

    /** Set by a waiting thread before it checks {@link #interruptRequested()} and sleeps; null once it is awake. */
    void parkOn(WaitQueues queues) {
        parkedOn = queues;
    }

    boolean interruptRequested() {
        return interruptRequested;
    }

    /**
     * Takes a pending interrupt from inside a blocking instruction (memory.atomic.wait): a plain interrupt traps;
     * a safepoint handler runs here, on this thread, as at a call or loop back-edge. Returns true when the
     * handler unwound the machine to another point (the instruction must then not complete).
     */
    boolean takeInterruptWhileBlocked(Instance compiledCaller) {
        interruptRequested = false;
        SafepointHandler h = safepointHandler;
        safepointHandler = null;
        if (h == null) throw new Trap(TrapKind.INTERRUPTED);
        if (compiledCaller != null) {
            HostCalls.safepointInCompiled(this, h, compiledCaller); // an unwind leaves as an exception
            return false;
        }
        ranHostCode = true; // the interpreter loop takes its whole position back after this instruction
        return HostCalls.safepoint(this, h);
    }

    /** Limits execution to about {@code units} instructions from now; -1 removes the limit. */
    public void setFuel(long units) {
        fuelLimited = units >= 0;
        fuel = fuelLimited ? units : unlimitedFuel();
    }

    /** No limit: the most fuel there is, or none while profiling, so that every CHECK reports its block. */
    private static long unlimitedFuel() {
        return InstructionProfile.ENABLED ? 0 : Long.MAX_VALUE;
    }

    /** Fuel left, or -1 when unlimited. */
    public long fuel() {
        return fuelLimited ? Math.max(0, fuel) : -1;
    }

    boolean interruptPending() {
        return interruptRequested && safepointHandler == null;
    }

    Trap interruptTrap() {
        interruptRequested = false;
        return new Trap(TrapKind.INTERRUPTED);
    }

    /** Reads the next immediate of the instruction being executed out of line. */
    int stackImmediate() {
        return fn.code()[pc++];
    }

    int nesting() {
        return nesting;
    }

    int runBase() {
        return runBase;
    }

    int entryResults() {
        return entryResults;
    }

    /**
     * Called at CHECK (the interpreter, {@code compiledCaller} null) or at a compiled function's entry or loop
     * header (code of {@code compiledCaller}) when fuel ran out or an interrupt is pending.
     */
    void safepoint(Instance compiledCaller) {
        if (interruptRequested) {
            interruptRequested = false;
            SafepointHandler h = safepointHandler;
            safepointHandler = null;
            if (h == null) throw new Trap(TrapKind.INTERRUPTED);
            if (compiledCaller == null) HostCalls.safepoint(this, h);
            else HostCalls.safepointInCompiled(this, h, compiledCaller);
        }
        if (fuel < 0) {
            if (fuelLimited) {
                fuel = 0;
                throw new Trap(TrapKind.OUT_OF_FUEL);
            }
            if (InstructionProfile.ENABLED && compiledCaller == null) InstructionProfile.hit(fn, pc); // a block starts at pc
            fuel = unlimitedFuel();
        }
    }

    void ensureStack(int needed) {
        if (needed <= stack.length) return;
        if (needed > config.maxStackSlots()) throw new Trap(TrapKind.CALL_STACK_EXHAUSTED);
        int len = (int) Math.min(config.maxStackSlots(), Math.max(needed, (long) stack.length * 2));
        reserveOrTrap((len - (long) stack.length) * Long.BYTES);
        stack = Arrays.copyOf(stack, len);
    }

    /** Bytes one frame's records take (pc, fp, function, instance, serial, expected results). */
    private static final int FRAME_BYTES = 4 + 4 + 4 + 4 + 8 + 4;
    private volatile GrowthBudget growthBudget;

    /** Every later growth of the operand stack and frame records is first reserved from {@code budget}; null: none. */
    public void growthBudget(GrowthBudget budget) {
        this.growthBudget = budget;
    }

    /** The bytes this machine's stack and frame records hold (what a snapshot of it copies). */
    public long footprintBytes() {
        return (long) stack.length * Long.BYTES + (long) framePc.length * FRAME_BYTES;
    }

    /** A budget that refuses more stack is a stack overflow for the guest, as when Linux cannot grow a stack. */
    private void reserveOrTrap(long bytes) {
        GrowthBudget budget = growthBudget;
        if (budget != null && !budget.reserve(bytes)) throw new Trap(TrapKind.CALL_STACK_EXHAUSTED);
    }

    private void growFrames() {
        int len = (int) Math.min(config.maxCallDepth(), (long) framePc.length * 2);
        reserveOrTrap((len - (long) framePc.length) * FRAME_BYTES);
        framePc = Arrays.copyOf(framePc, len);
        frameFp = Arrays.copyOf(frameFp, len);
        frameFn = Arrays.copyOf(frameFn, len);
        frameInst = Arrays.copyOf(frameInst, len);
        frameSerial = Arrays.copyOf(frameSerial, len);
        frameExpect = Arrays.copyOf(frameExpect, len);
    }

    /** Enters {@code f} with its arguments on top of the stack (a host function runs to completion here). */
    void enter(FunctionInstance f) {
        FunctionCode c = f.code;
        if (c == null) {
            if (f.compiled != null) callCompiled(f);
            else HostCalls.call(this, f);
            return;
        }
        int d = depth;
        int newFp = sp - c.numParams();
        int frameEnd = newFp + c.frameSize();
        if (d + aotDepth >= framePc.length || frameEnd > stack.length) makeRoom(d, frameEnd);
        framePc[d] = pc;
        frameFp[d] = fp;
        frameFn[d] = fn;
        frameInst[d] = inst;
        frameSerial[d] = ++serials;
        frameExpect[d] = -1;
        depth = d + 1;
        long[] s = stack;
        int localsEnd = newFp + c.numLocals();
        for (int i = sp; i < localsEnd; i++) s[i] = 0L;
        int[] refs = c.refLocals();
        for (int i = 0; i < refs.length; i++) s[newFp + refs[i]] = Values.NULL_REF;
        long[] consts = c.consts();
        for (int i = 0; i < consts.length; i++) s[localsEnd + i] = consts[i];
        fp = newFp;
        sp = frameEnd;
        pc = 0;
        fn = c;
        inst = f.instance;
    }

    /**
     * Grows the frame arrays or the operand stack for one more frame, or traps at the configured bounds (frames of
     * compiled code count too: {@code d + aotDepth} frames are active).
     */
    private void makeRoom(int d, int frameEnd) {
        if (d + aotDepth >= config.maxCallDepth()) throw new Trap(TrapKind.CALL_STACK_EXHAUSTED);
        if (d + aotDepth >= framePc.length) growFrames();
        ensureStack(frameEnd);
    }

    /**
     * Resolves a call_indirect target, trapping like the specification says, and sets {@code sp} to the end of its
     * arguments. When lenient, a signature mismatch does not trap: extra arguments are dropped, missing ones are
     * zero (the callee's frame starts where the caller's arguments start either way), and frameExpect adapts the
     * results — what a native C call through a mistyped function pointer does on x86-64.
     */
    private FunctionInstance indirectTarget(int typeIndex, int tableIndex, int elementIndex, int argEnd) {
        FunctionInstance f = indirectFunction(inst, typeIndex, tableIndex, elementIndex);
        sp = argEnd;
        if (f.typeId != inst.typeIds[typeIndex]) {
            FuncType want = inst.image.types[typeIndex];
            int have = want.params().size(), need = f.type.params().size();
            if (need < have) {
                sp = argEnd - have + need;
            } else if (need > have) {
                ensureStack(argEnd + need - have);
                for (int i = argEnd; i < argEnd + need - have; i++) stack[i] = 0L;
                sp = argEnd + need - have;
            }
            pendingExpect = want.results().size();
        }
        return f;
    }

    /**
     * The function element {@code elementIndex} of table {@code tableIndex} of {@code caller} refers to, trapping as
     * call_indirect does; a signature other than type {@code typeIndex} traps unless the configuration is lenient.
     */
    FunctionInstance indirectFunction(Instance caller, int typeIndex, int tableIndex, int elementIndex) {
        Table table = caller.tables[tableIndex];
        if (elementIndex < 0 || elementIndex >= table.size) throw new Trap(TrapKind.UNDEFINED_ELEMENT);
        long ref = table.elements[elementIndex];
        if (ref == Values.NULL_REF) throw new Trap(TrapKind.UNINITIALIZED_ELEMENT);
        FunctionInstance f = store.function(ref);
        if (f.typeId != caller.typeIds[typeIndex] && !config.lenientCallIndirect()) {
            FuncType want = caller.image.types[typeIndex];
            throw new Trap(TrapKind.INDIRECT_CALL_TYPE_MISMATCH, TrapKind.INDIRECT_CALL_TYPE_MISMATCH.message()
                    + ": the call expects " + want + ", element " + elementIndex + " is " + f.type
                    + (f.name == null ? "" : " (" + f.name + ")"), null);
        }
        return f;
    }

    private int pendingExpect = -1;

    /** Lenient call_indirect returned a different number of results than the caller expects: pad or drop. */
    private int adaptResults(int frameBase, int have, int want) {
        long[] s = stack;
        for (int i = have; i < want; i++) s[frameBase + i] = 0L;
        return frameBase + want;
    }

    /**
     * The interpreter loop: runs until the frame that {@link #call} entered returns. Operands are frame slots
     * ({@code s[fp + slot]}); see {@link Op} for the encoding.
     */
    private void run() {
        long[] s = stack;
        int[] code = fn.code();
        int pc = this.pc, fp = this.fp;
        Instance inst = this.inst;
        Global[] globals = inst.globals;
        FunctionInstance[] funcs = inst.functions;
        Memory memory = inst.memory;
        byte[] mem = memory == null ? NO_MEMORY : memory.bytes;
        long fuel = this.fuel; // kept in a local while guest code runs; written back whenever host code may look
        try {
        while (true) {
            int op = code[pc++];
            switch (op) {
                case Op.MOV -> {
                    s[fp + code[pc]] = s[fp + code[pc + 1]];
                    pc += 2;
                }
                case Op.BR -> pc = code[pc];
                case Op.BR_IF -> pc = s[fp + code[pc]] != 0 ? code[pc + 1] : pc + 2;
                case Op.BR_IF_EQZ -> pc = s[fp + code[pc]] == 0 ? code[pc + 1] : pc + 2;
                case Op.BR_IF_I32_EQ -> pc = s[fp + code[pc]] == s[fp + code[pc + 1]] ? code[pc + 2] : pc + 3;
                case Op.BR_IF_I32_NE -> pc = s[fp + code[pc]] != s[fp + code[pc + 1]] ? code[pc + 2] : pc + 3;
                case Op.BR_IF_I32_LT_S -> pc = s[fp + code[pc]] < s[fp + code[pc + 1]] ? code[pc + 2] : pc + 3;
                case Op.BR_IF_I32_GT_S -> pc = s[fp + code[pc]] > s[fp + code[pc + 1]] ? code[pc + 2] : pc + 3;
                case Op.BR_IF_I32_LE_S -> pc = s[fp + code[pc]] <= s[fp + code[pc + 1]] ? code[pc + 2] : pc + 3;
                case Op.BR_IF_I32_GE_S -> pc = s[fp + code[pc]] >= s[fp + code[pc + 1]] ? code[pc + 2] : pc + 3;
                case Op.BR_IF_I32_LT_U -> pc = (s[fp + code[pc]] & U32) < (s[fp + code[pc + 1]] & U32) ? code[pc + 2] : pc + 3;
                case Op.BR_IF_I32_GT_U -> pc = (s[fp + code[pc]] & U32) > (s[fp + code[pc + 1]] & U32) ? code[pc + 2] : pc + 3;
                case Op.BR_IF_I32_LE_U -> pc = (s[fp + code[pc]] & U32) <= (s[fp + code[pc + 1]] & U32) ? code[pc + 2] : pc + 3;
                case Op.BR_IF_I32_GE_U -> pc = (s[fp + code[pc]] & U32) >= (s[fp + code[pc + 1]] & U32) ? code[pc + 2] : pc + 3;
                case Op.I32_ADD_I -> { s[fp + code[pc]] = (int) (s[fp + code[pc + 1]] + code[pc + 2]); pc += 3; }
                case Op.I32_SUB_I -> { s[fp + code[pc]] = (int) (s[fp + code[pc + 1]] - code[pc + 2]); pc += 3; }
                case Op.I32_MUL_I -> { s[fp + code[pc]] = (int) (s[fp + code[pc + 1]] * code[pc + 2]); pc += 3; }
                case Op.I32_AND_I -> { s[fp + code[pc]] = s[fp + code[pc + 1]] & code[pc + 2]; pc += 3; }
                case Op.I32_OR_I -> { s[fp + code[pc]] = s[fp + code[pc + 1]] | code[pc + 2]; pc += 3; }
                case Op.I32_XOR_I -> { s[fp + code[pc]] = s[fp + code[pc + 1]] ^ code[pc + 2]; pc += 3; }
                case Op.I32_SHL_I -> { s[fp + code[pc]] = (int) s[fp + code[pc + 1]] << code[pc + 2]; pc += 3; }
                case Op.I32_SHR_S_I -> { s[fp + code[pc]] = (int) s[fp + code[pc + 1]] >> code[pc + 2]; pc += 3; }
                case Op.I32_SHR_U_I -> { s[fp + code[pc]] = (int) s[fp + code[pc + 1]] >>> code[pc + 2]; pc += 3; }
                case Op.I32_ROTL_I -> { s[fp + code[pc]] = Integer.rotateLeft((int) s[fp + code[pc + 1]], code[pc + 2]); pc += 3; }
                case Op.I32_ROTR_I -> { s[fp + code[pc]] = Integer.rotateRight((int) s[fp + code[pc + 1]], code[pc + 2]); pc += 3; }
                case Op.BR_IF_I32_EQ_I -> pc = (int) s[fp + code[pc]] == code[pc + 1] ? code[pc + 2] : pc + 3;
                case Op.BR_IF_I32_NE_I -> pc = (int) s[fp + code[pc]] != code[pc + 1] ? code[pc + 2] : pc + 3;
                case Op.BR_IF_I32_LT_S_I -> pc = (int) s[fp + code[pc]] < code[pc + 1] ? code[pc + 2] : pc + 3;
                case Op.BR_IF_I32_GT_S_I -> pc = (int) s[fp + code[pc]] > code[pc + 1] ? code[pc + 2] : pc + 3;
                case Op.BR_IF_I32_LE_S_I -> pc = (int) s[fp + code[pc]] <= code[pc + 1] ? code[pc + 2] : pc + 3;
                case Op.BR_IF_I32_GE_S_I -> pc = (int) s[fp + code[pc]] >= code[pc + 1] ? code[pc + 2] : pc + 3;
                case Op.BR_IF_I32_LT_U_I -> pc = Integer.compareUnsigned((int) s[fp + code[pc]], code[pc + 1]) < 0 ? code[pc + 2] : pc + 3;
                case Op.BR_IF_I32_GT_U_I -> pc = Integer.compareUnsigned((int) s[fp + code[pc]], code[pc + 1]) > 0 ? code[pc + 2] : pc + 3;
                case Op.BR_IF_I32_LE_U_I -> pc = Integer.compareUnsigned((int) s[fp + code[pc]], code[pc + 1]) <= 0 ? code[pc + 2] : pc + 3;
                case Op.BR_IF_I32_GE_U_I -> pc = Integer.compareUnsigned((int) s[fp + code[pc]], code[pc + 1]) >= 0 ? code[pc + 2] : pc + 3;
                case Op.BR_TABLE -> {
                    int idx = (int) s[fp + code[pc]];
                    int n = code[pc + 1];
                    if (idx < 0 || idx >= n) idx = n;
                    pc = code[pc + 2 + idx];
                }
                case Op.SELECT -> {
                    s[fp + code[pc]] = s[fp + code[pc + 3]] != 0 ? s[fp + code[pc + 1]] : s[fp + code[pc + 2]];
                    pc += 4;
                }
                case Op.GLOBAL_GET -> {
                    s[fp + code[pc]] = globals[code[pc + 1]].value;
                    pc += 2;
                }
                case Op.GLOBAL_SET -> {
                    globals[code[pc]].value = s[fp + code[pc + 1]];
                    pc += 2;
                }
                case Op.RETURN -> {
                    int n = code[pc];
                    int src = fp + code[pc + 1];
                    if (n == 1) s[fp] = s[src];
                    else if (n > 1) System.arraycopy(s, src, s, fp, n);
                    int sp = fp + n;
                    int d = --depth;
                    int want = frameExpect[d];
                    if (want >= 0) sp = adaptResults(fp, n, want);
                    if (d == runBase) {
                        this.sp = sp;
                        return;
                    }
                    pc = framePc[d];
                    fp = frameFp[d];
                    FunctionCode caller = frameFn[d];
                    code = caller.code();
                    this.fn = caller;
                    Instance ci = frameInst[d];
                    if (ci != inst) {
                        inst = ci;
                        this.inst = ci;
                        globals = inst.globals;
                        funcs = inst.functions;
                        memory = inst.memory;
                    }
                    mem = memory == null ? NO_MEMORY : memory.bytes;
                }
                case Op.CALL, Op.CALL_INDIRECT -> {
                    FunctionInstance f;
                    if (op == Op.CALL) {
                        f = funcs[code[pc]];
                        this.sp = fp + code[pc + 1];
                        pc += 2;
                    } else {
                        this.inst = inst;
                        f = indirectTarget(code[pc], code[pc + 1], (int) s[fp + code[pc + 2]], fp + code[pc + 3]);
                        pc += 4;
                    }
                    this.pc = pc;
                    this.fp = fp;
                    this.inst = inst;
                    int before = depth;
                    this.fuel = fuel;
                    enter(f);
                    fuel = this.fuel;
                    if (pendingExpect >= 0) {
                        if (depth > before) frameExpect[before] = pendingExpect;
                        else adaptResults(this.sp - f.type.results().size(), f.type.results().size(), pendingExpect);
                        pendingExpect = -1;
                    }
                    s = stack;
                    pc = this.pc;
                    fp = this.fp;
                    code = this.fn.code();
                    if (this.inst != inst) {
                        inst = this.inst;
                        globals = inst.globals;
                        funcs = inst.functions;
                        memory = inst.memory;
                    }
                    mem = memory == null ? NO_MEMORY : memory.bytes;
                }
                case Op.CHECK -> {
                    if ((fuel -= code[pc]) < 0 || interruptRequested) {
                        this.sp = fp + code[pc + 1];
                        this.pc = pc + 2;
                        this.fp = fp;
                        this.inst = inst;
                        this.fuel = fuel;
                        safepoint(null);
                        fuel = this.fuel;
                        s = stack;
                        pc = this.pc;
                        fp = this.fp;
                        code = this.fn.code();
                        inst = this.inst;
                        globals = inst.globals;
                        funcs = inst.functions;
                        memory = inst.memory;
                        mem = memory == null ? NO_MEMORY : memory.bytes;
                    } else {
                        pc += 2;
                    }
                }
                case Op.UNREACHABLE -> throw new Trap(TrapKind.UNREACHABLE);
                // numeric: op dst a [b]
                case Op.I32_EQZ -> { s[fp + code[pc]] = s[fp + code[pc + 1]] == 0 ? 1 : 0; pc += 2; }
                case Op.I64_EQZ -> { s[fp + code[pc]] = s[fp + code[pc + 1]] == 0 ? 1 : 0; pc += 2; }
                case Op.I32_CLZ -> { s[fp + code[pc]] = Integer.numberOfLeadingZeros((int) s[fp + code[pc + 1]]); pc += 2; }
                case Op.I32_CTZ -> { s[fp + code[pc]] = Integer.numberOfTrailingZeros((int) s[fp + code[pc + 1]]); pc += 2; }
                case Op.I32_POPCNT -> { s[fp + code[pc]] = Integer.bitCount((int) s[fp + code[pc + 1]]); pc += 2; }
                case Op.I64_CLZ -> { s[fp + code[pc]] = Long.numberOfLeadingZeros(s[fp + code[pc + 1]]); pc += 2; }
                case Op.I64_CTZ -> { s[fp + code[pc]] = Long.numberOfTrailingZeros(s[fp + code[pc + 1]]); pc += 2; }
                case Op.I64_POPCNT -> { s[fp + code[pc]] = Long.bitCount(s[fp + code[pc + 1]]); pc += 2; }
                case Op.I32_WRAP_I64 -> { s[fp + code[pc]] = (int) s[fp + code[pc + 1]]; pc += 2; }
                case Op.I64_EXTEND_32_S -> { s[fp + code[pc]] = (int) s[fp + code[pc + 1]]; pc += 2; }
                case Op.I64_EXTEND_I32_S -> { s[fp + code[pc]] = s[fp + code[pc + 1]]; pc += 2; }
                case Op.I64_EXTEND_I32_U -> { s[fp + code[pc]] = s[fp + code[pc + 1]] & U32; pc += 2; }
                case Op.F64_ABS -> { s[fp + code[pc]] = s[fp + code[pc + 1]] & Long.MAX_VALUE; pc += 2; }
                case Op.F64_NEG -> { s[fp + code[pc]] = s[fp + code[pc + 1]] ^ Long.MIN_VALUE; pc += 2; }
                case Op.F64_SQRT -> { s[fp + code[pc]] = f64(Math.sqrt(d(s[fp + code[pc + 1]]))); pc += 2; }
                case Op.F64_CONVERT_I32_S -> { s[fp + code[pc]] = f64((int) s[fp + code[pc + 1]]); pc += 2; }
                case Op.F64_CONVERT_I32_U -> { s[fp + code[pc]] = f64(s[fp + code[pc + 1]] & U32); pc += 2; }
                case Op.F64_PROMOTE_F32 -> { s[fp + code[pc]] = f64(f(s[fp + code[pc + 1]])); pc += 2; }
                case Op.I32_EXTEND_8_S -> { s[fp + code[pc]] = (byte) s[fp + code[pc + 1]]; pc += 2; }
                case Op.I64_EXTEND_8_S -> { s[fp + code[pc]] = (byte) s[fp + code[pc + 1]]; pc += 2; }
                case Op.I32_EXTEND_16_S -> { s[fp + code[pc]] = (short) s[fp + code[pc + 1]]; pc += 2; }
                case Op.I64_EXTEND_16_S -> { s[fp + code[pc]] = (short) s[fp + code[pc + 1]]; pc += 2; }
                case Op.I32_EQ -> { s[fp + code[pc]] = s[fp + code[pc + 1]] == s[fp + code[pc + 2]] ? 1 : 0; pc += 3; }
                case Op.I32_NE -> { s[fp + code[pc]] = s[fp + code[pc + 1]] != s[fp + code[pc + 2]] ? 1 : 0; pc += 3; }
                case Op.I32_LT_S -> { s[fp + code[pc]] = s[fp + code[pc + 1]] < s[fp + code[pc + 2]] ? 1 : 0; pc += 3; }
                case Op.I32_GT_S -> { s[fp + code[pc]] = s[fp + code[pc + 1]] > s[fp + code[pc + 2]] ? 1 : 0; pc += 3; }
                case Op.I32_LE_S -> { s[fp + code[pc]] = s[fp + code[pc + 1]] <= s[fp + code[pc + 2]] ? 1 : 0; pc += 3; }
                case Op.I32_GE_S -> { s[fp + code[pc]] = s[fp + code[pc + 1]] >= s[fp + code[pc + 2]] ? 1 : 0; pc += 3; }
                case Op.I64_EQ -> { s[fp + code[pc]] = s[fp + code[pc + 1]] == s[fp + code[pc + 2]] ? 1 : 0; pc += 3; }
                case Op.I64_NE -> { s[fp + code[pc]] = s[fp + code[pc + 1]] != s[fp + code[pc + 2]] ? 1 : 0; pc += 3; }
                case Op.I64_LT_S -> { s[fp + code[pc]] = s[fp + code[pc + 1]] < s[fp + code[pc + 2]] ? 1 : 0; pc += 3; }
                case Op.I64_GT_S -> { s[fp + code[pc]] = s[fp + code[pc + 1]] > s[fp + code[pc + 2]] ? 1 : 0; pc += 3; }
                case Op.I64_LE_S -> { s[fp + code[pc]] = s[fp + code[pc + 1]] <= s[fp + code[pc + 2]] ? 1 : 0; pc += 3; }
                case Op.I64_GE_S -> { s[fp + code[pc]] = s[fp + code[pc + 1]] >= s[fp + code[pc + 2]] ? 1 : 0; pc += 3; }
                case Op.I32_LT_U -> { s[fp + code[pc]] = (s[fp + code[pc + 1]] & U32) < (s[fp + code[pc + 2]] & U32) ? 1 : 0; pc += 3; }
                case Op.I64_LT_U -> { s[fp + code[pc]] = Long.compareUnsigned(s[fp + code[pc + 1]], s[fp + code[pc + 2]]) < 0 ? 1 : 0; pc += 3; }
                case Op.I32_GT_U -> { s[fp + code[pc]] = (s[fp + code[pc + 1]] & U32) > (s[fp + code[pc + 2]] & U32) ? 1 : 0; pc += 3; }
                case Op.I64_GT_U -> { s[fp + code[pc]] = Long.compareUnsigned(s[fp + code[pc + 1]], s[fp + code[pc + 2]]) > 0 ? 1 : 0; pc += 3; }
                case Op.I32_LE_U -> { s[fp + code[pc]] = (s[fp + code[pc + 1]] & U32) <= (s[fp + code[pc + 2]] & U32) ? 1 : 0; pc += 3; }
                case Op.I64_LE_U -> { s[fp + code[pc]] = Long.compareUnsigned(s[fp + code[pc + 1]], s[fp + code[pc + 2]]) <= 0 ? 1 : 0; pc += 3; }
                case Op.I32_GE_U -> { s[fp + code[pc]] = (s[fp + code[pc + 1]] & U32) >= (s[fp + code[pc + 2]] & U32) ? 1 : 0; pc += 3; }
                case Op.I64_GE_U -> { s[fp + code[pc]] = Long.compareUnsigned(s[fp + code[pc + 1]], s[fp + code[pc + 2]]) >= 0 ? 1 : 0; pc += 3; }
                case Op.I32_ADD -> { s[fp + code[pc]] = (int) (s[fp + code[pc + 1]] + s[fp + code[pc + 2]]); pc += 3; }
                case Op.I32_SUB -> { s[fp + code[pc]] = (int) (s[fp + code[pc + 1]] - s[fp + code[pc + 2]]); pc += 3; }
                case Op.I32_MUL -> { s[fp + code[pc]] = (int) (s[fp + code[pc + 1]] * s[fp + code[pc + 2]]); pc += 3; }
                case Op.I32_DIV_S -> { s[fp + code[pc]] = Numerics.i32DivS((int) s[fp + code[pc + 1]], (int) s[fp + code[pc + 2]]); pc += 3; }
                case Op.I32_DIV_U -> { s[fp + code[pc]] = Numerics.i32DivU((int) s[fp + code[pc + 1]], (int) s[fp + code[pc + 2]]); pc += 3; }
                case Op.I32_REM_S -> { s[fp + code[pc]] = Numerics.i32RemS((int) s[fp + code[pc + 1]], (int) s[fp + code[pc + 2]]); pc += 3; }
                case Op.I32_REM_U -> { s[fp + code[pc]] = Numerics.i32RemU((int) s[fp + code[pc + 1]], (int) s[fp + code[pc + 2]]); pc += 3; }
                case Op.I32_AND -> { s[fp + code[pc]] = s[fp + code[pc + 1]] & s[fp + code[pc + 2]]; pc += 3; }
                case Op.I32_OR -> { s[fp + code[pc]] = s[fp + code[pc + 1]] | s[fp + code[pc + 2]]; pc += 3; }
                case Op.I32_XOR -> { s[fp + code[pc]] = s[fp + code[pc + 1]] ^ s[fp + code[pc + 2]]; pc += 3; }
                case Op.I32_SHL -> { s[fp + code[pc]] = (int) s[fp + code[pc + 1]] << (int) s[fp + code[pc + 2]]; pc += 3; }
                case Op.I32_SHR_S -> { s[fp + code[pc]] = (int) s[fp + code[pc + 1]] >> (int) s[fp + code[pc + 2]]; pc += 3; }
                case Op.I32_SHR_U -> { s[fp + code[pc]] = (int) s[fp + code[pc + 1]] >>> (int) s[fp + code[pc + 2]]; pc += 3; }
                case Op.I32_ROTL -> { s[fp + code[pc]] = Integer.rotateLeft((int) s[fp + code[pc + 1]], (int) s[fp + code[pc + 2]]); pc += 3; }
                case Op.I32_ROTR -> { s[fp + code[pc]] = Integer.rotateRight((int) s[fp + code[pc + 1]], (int) s[fp + code[pc + 2]]); pc += 3; }
                case Op.I64_ADD -> { s[fp + code[pc]] = s[fp + code[pc + 1]] + s[fp + code[pc + 2]]; pc += 3; }
                case Op.I64_SUB -> { s[fp + code[pc]] = s[fp + code[pc + 1]] - s[fp + code[pc + 2]]; pc += 3; }
                case Op.I64_MUL -> { s[fp + code[pc]] = s[fp + code[pc + 1]] * s[fp + code[pc + 2]]; pc += 3; }
                case Op.I64_DIV_S -> { s[fp + code[pc]] = Numerics.i64DivS(s[fp + code[pc + 1]], s[fp + code[pc + 2]]); pc += 3; }
                case Op.I64_DIV_U -> { s[fp + code[pc]] = Numerics.i64DivU(s[fp + code[pc + 1]], s[fp + code[pc + 2]]); pc += 3; }
                case Op.I64_REM_S -> { s[fp + code[pc]] = Numerics.i64RemS(s[fp + code[pc + 1]], s[fp + code[pc + 2]]); pc += 3; }
                case Op.I64_REM_U -> { s[fp + code[pc]] = Numerics.i64RemU(s[fp + code[pc + 1]], s[fp + code[pc + 2]]); pc += 3; }
                case Op.I64_AND -> { s[fp + code[pc]] = s[fp + code[pc + 1]] & s[fp + code[pc + 2]]; pc += 3; }
                case Op.I64_OR -> { s[fp + code[pc]] = s[fp + code[pc + 1]] | s[fp + code[pc + 2]]; pc += 3; }
                case Op.I64_XOR -> { s[fp + code[pc]] = s[fp + code[pc + 1]] ^ s[fp + code[pc + 2]]; pc += 3; }
                case Op.I64_SHL -> { s[fp + code[pc]] = s[fp + code[pc + 1]] << s[fp + code[pc + 2]]; pc += 3; }
                case Op.I64_SHR_S -> { s[fp + code[pc]] = s[fp + code[pc + 1]] >> s[fp + code[pc + 2]]; pc += 3; }
                case Op.I64_SHR_U -> { s[fp + code[pc]] = s[fp + code[pc + 1]] >>> s[fp + code[pc + 2]]; pc += 3; }
                case Op.I64_ROTL -> { s[fp + code[pc]] = Long.rotateLeft(s[fp + code[pc + 1]], (int) s[fp + code[pc + 2]]); pc += 3; }
                case Op.I64_ROTR -> { s[fp + code[pc]] = Long.rotateRight(s[fp + code[pc + 1]], (int) s[fp + code[pc + 2]]); pc += 3; }
                case Op.F64_ADD -> { s[fp + code[pc]] = f64(d(s[fp + code[pc + 1]]) + d(s[fp + code[pc + 2]])); pc += 3; }
                case Op.F32_ADD -> { s[fp + code[pc]] = f32(f(s[fp + code[pc + 1]]) + f(s[fp + code[pc + 2]])); pc += 3; }
                case Op.F64_SUB -> { s[fp + code[pc]] = f64(d(s[fp + code[pc + 1]]) - d(s[fp + code[pc + 2]])); pc += 3; }
                case Op.F32_SUB -> { s[fp + code[pc]] = f32(f(s[fp + code[pc + 1]]) - f(s[fp + code[pc + 2]])); pc += 3; }
                case Op.F64_MUL -> { s[fp + code[pc]] = f64(d(s[fp + code[pc + 1]]) * d(s[fp + code[pc + 2]])); pc += 3; }
                case Op.F32_MUL -> { s[fp + code[pc]] = f32(f(s[fp + code[pc + 1]]) * f(s[fp + code[pc + 2]])); pc += 3; }
                case Op.F64_DIV -> { s[fp + code[pc]] = f64(d(s[fp + code[pc + 1]]) / d(s[fp + code[pc + 2]])); pc += 3; }
                case Op.F32_DIV -> { s[fp + code[pc]] = f32(f(s[fp + code[pc + 1]]) / f(s[fp + code[pc + 2]])); pc += 3; }
                case Op.F64_EQ -> { s[fp + code[pc]] = d(s[fp + code[pc + 1]]) == d(s[fp + code[pc + 2]]) ? 1 : 0; pc += 3; }
                case Op.F32_EQ -> { s[fp + code[pc]] = f(s[fp + code[pc + 1]]) == f(s[fp + code[pc + 2]]) ? 1 : 0; pc += 3; }
                case Op.F64_NE -> { s[fp + code[pc]] = d(s[fp + code[pc + 1]]) != d(s[fp + code[pc + 2]]) ? 1 : 0; pc += 3; }
                case Op.F32_NE -> { s[fp + code[pc]] = f(s[fp + code[pc + 1]]) != f(s[fp + code[pc + 2]]) ? 1 : 0; pc += 3; }
                case Op.F64_LT -> { s[fp + code[pc]] = d(s[fp + code[pc + 1]]) < d(s[fp + code[pc + 2]]) ? 1 : 0; pc += 3; }
                case Op.F32_LT -> { s[fp + code[pc]] = f(s[fp + code[pc + 1]]) < f(s[fp + code[pc + 2]]) ? 1 : 0; pc += 3; }
                case Op.F64_GT -> { s[fp + code[pc]] = d(s[fp + code[pc + 1]]) > d(s[fp + code[pc + 2]]) ? 1 : 0; pc += 3; }
                case Op.F32_GT -> { s[fp + code[pc]] = f(s[fp + code[pc + 1]]) > f(s[fp + code[pc + 2]]) ? 1 : 0; pc += 3; }
                case Op.F64_LE -> { s[fp + code[pc]] = d(s[fp + code[pc + 1]]) <= d(s[fp + code[pc + 2]]) ? 1 : 0; pc += 3; }
                case Op.F32_LE -> { s[fp + code[pc]] = f(s[fp + code[pc + 1]]) <= f(s[fp + code[pc + 2]]) ? 1 : 0; pc += 3; }
                case Op.F64_GE -> { s[fp + code[pc]] = d(s[fp + code[pc + 1]]) >= d(s[fp + code[pc + 2]]) ? 1 : 0; pc += 3; }
                case Op.F32_GE -> { s[fp + code[pc]] = f(s[fp + code[pc + 1]]) >= f(s[fp + code[pc + 2]]) ? 1 : 0; pc += 3; }
                // loads: op dst addr offset; stores: op addr value offset
                case Op.I32_LOAD, Op.F32_LOAD, Op.I64_LOAD32_S -> {
                    long ea = (s[fp + code[pc + 1]] & U32) + (code[pc + 2] & U32);
                    if (ea > mem.length - 4) throw oob(ea);
                    s[fp + code[pc]] = (int) Memory.I32.get(mem, (int) ea);
                    pc += 3;
                }
                case Op.I64_LOAD, Op.F64_LOAD -> {
                    long ea = (s[fp + code[pc + 1]] & U32) + (code[pc + 2] & U32);
                    if (ea > mem.length - 8) throw oob(ea);
                    s[fp + code[pc]] = (long) Memory.I64.get(mem, (int) ea);
                    pc += 3;
                }
                case Op.I32_LOAD8_S, Op.I64_LOAD8_S -> {
                    long ea = (s[fp + code[pc + 1]] & U32) + (code[pc + 2] & U32);
                    if (ea > mem.length - 1) throw oob(ea);
                    s[fp + code[pc]] = mem[(int) ea];
                    pc += 3;
                }
                case Op.I32_LOAD8_U, Op.I64_LOAD8_U -> {
                    long ea = (s[fp + code[pc + 1]] & U32) + (code[pc + 2] & U32);
                    if (ea > mem.length - 1) throw oob(ea);
                    s[fp + code[pc]] = mem[(int) ea] & 0xFF;
                    pc += 3;
                }
                case Op.I32_LOAD16_S, Op.I64_LOAD16_S -> {
                    long ea = (s[fp + code[pc + 1]] & U32) + (code[pc + 2] & U32);
                    if (ea > mem.length - 2) throw oob(ea);
                    s[fp + code[pc]] = (short) Memory.I16.get(mem, (int) ea);
                    pc += 3;
                }
                case Op.I32_LOAD16_U, Op.I64_LOAD16_U -> {
                    long ea = (s[fp + code[pc + 1]] & U32) + (code[pc + 2] & U32);
                    if (ea > mem.length - 2) throw oob(ea);
                    s[fp + code[pc]] = (short) Memory.I16.get(mem, (int) ea) & 0xFFFF;
                    pc += 3;
                }
                case Op.I64_LOAD32_U -> {
                    long ea = (s[fp + code[pc + 1]] & U32) + (code[pc + 2] & U32);
                    if (ea > mem.length - 4) throw oob(ea);
                    s[fp + code[pc]] = (int) Memory.I32.get(mem, (int) ea) & U32;
                    pc += 3;
                }
                case Op.I32_STORE, Op.F32_STORE, Op.I64_STORE32 -> {
                    long ea = (s[fp + code[pc]] & U32) + (code[pc + 2] & U32);
                    if (ea > mem.length - 4) throw oob(ea);
                    Memory.I32.set(mem, (int) ea, (int) s[fp + code[pc + 1]]);
                    pc += 3;
                }
                case Op.I64_STORE, Op.F64_STORE -> {
                    long ea = (s[fp + code[pc]] & U32) + (code[pc + 2] & U32);
                    if (ea > mem.length - 8) throw oob(ea);
                    Memory.I64.set(mem, (int) ea, s[fp + code[pc + 1]]);
                    pc += 3;
                }
                case Op.I32_STORE8, Op.I64_STORE8 -> {
                    long ea = (s[fp + code[pc]] & U32) + (code[pc + 2] & U32);
                    if (ea > mem.length - 1) throw oob(ea);
                    mem[(int) ea] = (byte) s[fp + code[pc + 1]];
                    pc += 3;
                }
                case Op.I32_STORE16, Op.I64_STORE16 -> {
                    long ea = (s[fp + code[pc]] & U32) + (code[pc + 2] & U32);
                    if (ea > mem.length - 2) throw oob(ea);
                    Memory.I16.set(mem, (int) ea, (short) s[fp + code[pc + 1]]);
                    pc += 3;
                }
                default -> {
                    this.sp = fp + code[pc++];
                    this.pc = pc;
                    this.fp = fp;
                    this.inst = inst;
                    this.fuel = fuel;
                    SlowPath.execute(this, op);
                    s = stack;
                    pc = this.pc;
                    if (ranHostCode) {
                        // A signal handler ran inside the instruction (memory.atomic.wait): it spent fuel and may have
                        // unwound the machine elsewhere, so the whole position is taken back, not only pc.
                        ranHostCode = false;
                        fuel = this.fuel;
                        fp = this.fp;
                        code = this.fn.code();
                        if (this.inst != inst) {
                            inst = this.inst;
                            globals = inst.globals;
                            funcs = inst.functions;
                            memory = inst.memory;
                        }
                    }
                    mem = memory == null ? NO_MEMORY : memory.bytes;
                }
            }
        }
        } finally {
            // The lower of the two: an exception out of a call (compiled code, a nested run) has spent fuel in the
            // field beyond this loop's copy; one out of an instruction here left the field behind the copy.
            this.fuel = Math.min(fuel, this.fuel);
        }
    }

    /** The trap of an access at effective address {@code ea} (up to 2^33 - 2: address plus offset, unwrapped). */
    static Trap oob(long ea) {
        return new Trap(TrapKind.OUT_OF_BOUNDS_MEMORY, TrapKind.OUT_OF_BOUNDS_MEMORY.message() + " at " + ea, null);
    }

    private static double d(long bits) {
        return Double.longBitsToDouble(bits);
    }

    private static float f(long bits) {
        return Float.intBitsToFloat((int) bits);
    }

    private static long f64(double v) {
        return Double.doubleToRawLongBits(v);
    }

    private static long f32(float v) {
        return Float.floatToRawIntBits(v);
    }

    /** A copy of this machine for a snapshot: same frames and stack, instances mapped to their copies. */
    Machine copyFor(Store copy, java.util.Map<Object, Object> map) {
        Machine m = new Machine(copy);
        m.stack = new long[stack.length];
        System.arraycopy(stack, 0, m.stack, 0, sp); // nothing above the paused host call is live
        m.framePc = framePc.clone();
        m.frameFp = frameFp.clone();
        m.frameFn = frameFn.clone();
        m.frameInst = new Instance[frameInst.length];
        for (int i = 0; i < depth; i++) m.frameInst[i] = frameInst[i] == null ? null : (Instance) map.get(frameInst[i]);
        m.frameSerial = frameSerial.clone();
        m.frameExpect = frameExpect.clone();
        m.depth = depth;
        m.serials = serials;
        m.pc = pc;
        m.sp = sp;
        m.fp = fp;
        m.fn = fn;
        m.inst = (Instance) map.get(inst);
        m.runBase = 0;
        m.entryResults = entryResults;
        m.fuel = fuel;
        m.fuelLimited = fuelLimited;
        return m;
    }

    /** Continues a snapshot copy after its host call returned {@code results}: runs to the outermost return. */
    long[] resume(long[] hostResults, FuncType hostType) {
        nesting++;
        try {
            HostCalls.pushResults(this, hostType, hostResults);
            run();
            int n = entryResults;
            long[] results = Arrays.copyOfRange(stack, sp - n, sp);
            sp -= n;
            return results;
        } catch (Trap | Unwind t) {
            throw t;
        } catch (RuntimeException | StackOverflowError e) {
            throw fault(e);
        } finally {
            nesting--;
            depth = 0;
        }
    }
}
