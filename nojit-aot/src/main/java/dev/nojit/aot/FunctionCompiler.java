package dev.nojit.aot;

import static dev.nojit.aot.ModuleInfo.CD_CONTEXT;
import static dev.nojit.aot.ModuleInfo.CD_FRAME;
import static dev.nojit.aot.ModuleInfo.CD_LONG_ARRAY;
import static dev.nojit.aot.ModuleInfo.CD_OPS;
import static dev.nojit.aot.ModuleInfo.CD_RESUME;
import static java.lang.constant.ConstantDescs.CD_Double;
import static java.lang.constant.ConstantDescs.CD_Float;
import static java.lang.constant.ConstantDescs.CD_double;
import static java.lang.constant.ConstantDescs.CD_float;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;

import com.dylibso.chicory.wasm.types.AnnotatedInstruction;
import com.dylibso.chicory.wasm.types.FunctionBody;
import com.dylibso.chicory.wasm.types.OpCode;
import dev.nojit.engine.FuncType;
import dev.nojit.engine.UnreachableCode;
import dev.nojit.engine.ValType;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.Opcode;
import java.lang.classfile.TypeKind;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates one validated function body into the code of one static JVM method. The WebAssembly operand stack
 * is the JVM operand stack ({@link #stack} mirrors its types); locals are JVM locals; blocks are labels. A branch
 * that leaves values under the label's results moves the results through temporary locals and drops the rest.
 * Unreachable code is not translated. See nojit-aot/README.md for what each construct becomes.
 */
final class FunctionCompiler {
    private static final int BLOCK = 0, LOOP = 1, IF = 2, FUNCTION = 3;
    private static final ClassDesc CD_RUNTIME_EXCEPTION = ClassDesc.of("java.lang.RuntimeException");
    private static final ClassDesc CD_FLOAT_CLASS = CD_Float, CD_DOUBLE_CLASS = CD_Double;
    static final ClassDesc CD_BYTE_ARRAY = ClassDesc.ofDescriptor("[B");

    /** One entered block: the label a branch can target. */
    private static final class Control {
        final int kind;
        final int height;
        final List<ValType> params;
        final List<ValType> results;
        final Label label;      // loop: its start; otherwise its end
        Label elseLabel;        // if: the false branch, until ELSE binds it
        boolean unreachable;
        boolean branchedTo;

        Control(int kind, int height, List<ValType> params, List<ValType> results, Label label) {
            this.kind = kind;
            this.height = height;
            this.params = params;
            this.results = results;
            this.label = label;
        }

        List<ValType> labelTypes() {
            return kind == LOOP ? params : results;
        }
    }

    /** A returns-twice call site: where it continues and the operand types saved under the call. */
    private record Site(Label continuation, List<ValType> below) {}

    /** A deoptimization site: a call's position among the function's calls, and the locals its operands below wait in. */
    private record CaptureSite(int ordinal, int[] slots) {}

    private final ModuleInfo module;
    private final int definedIndex;
    private final FuncType type;
    private final FunctionBody body;
    private final CodeBuilder cb;
    private final List<ValType> stack = new ArrayList<>();
    private final List<Control> controls = new ArrayList<>();
    private final List<ValType> localTypes = new ArrayList<>();
    private final int[] localSlots;
    private final Map<TypeKind, List<Integer>> tempPool = new EnumMap<>(TypeKind.class);
    private final Map<TypeKind, Integer> tempUsed = new EnumMap<>(TypeKind.class);
    private final Map<Integer, Integer> loopUnits = new HashMap<>();
    private final List<Site> sites = new ArrayList<>();
    private final List<CaptureSite> captureSites = new ArrayList<>();
    /** JVM locals, per type, that hold the operands below a call while it runs (deoptimization only). */
    private final Map<TypeKind, List<Integer>> capturePool = new EnumMap<>(TypeKind.class);
    private int callOrdinal;
    /** The call ordinal of each returns-twice site, by site number (so a deoptimized frame's sites can be found). */
    private final List<Integer> returnsTwiceOrdinals = new ArrayList<>();
    private int siteSlot = -1;
    private final boolean trial;
    private int cxSlot;
    private int memSlot = -1;
    private int frameSlot = -1;
    /** A comparison whose operands are on the JVM stack, waiting for the IF/BR_IF that consumes it (or null). */
    private Opcode pendingCondition;
    /** Split functions ({@link Regions}): the regions outlined from this main method, or null. */
    private List<Regions.Region> regions;
    /** Split functions: the region this method is, or null (the main method). */
    private Regions.Region region;
    /** Split functions: the slot of the locals array (locals live there, not in JVM locals), or -1. */
    private int arraySlot = -1;
    /** When set, the operand stack height before each instruction, -1 where unreachable (for {@link Regions}). */
    private int[] heights;

    /**
     * @param trial a trial translation that decides whether the function fits a JVM method: every call is one
     *              invokestatic (as a direct call or a call stub is) and every call_indirect has a dispatcher
     */
    FunctionCompiler(ModuleInfo module, int definedIndex, FunctionBody body, CodeBuilder cb, boolean trial) {
        this.module = module;
        this.definedIndex = definedIndex;
        this.type = module.funcTypes[module.imported + definedIndex];
        this.body = body;
        this.cb = cb;
        this.trial = trial;
        localTypes.addAll(type.params());
        for (var t : body.localTypes()) localTypes.add(ModuleInfo.of(t));
        localSlots = new int[localTypes.size()];
    }

    /** Records the operand stack height before each instruction into {@code into} (sized to the body). */
    FunctionCompiler recordingHeights(int[] into) {
        this.heights = into;
        return this;
    }

    /** Compiles the main method of a split function: {@code regions} become calls of their methods. */
    FunctionCompiler splitInto(List<Regions.Region> regions) {
        this.regions = regions;
        return this;
    }

    /** Compiles region {@code r} of a split function as its own method. */
    FunctionCompiler asRegion(Regions.Region r) {
        this.region = r;
        return this;
    }

    /** Whether the function may be split: no setjmp sites (their resume handler needs the locals in one frame). */
    static boolean splittable(ModuleInfo module, FunctionBody body) {
        return !hasReturnsTwiceSites(module, body);
    }

    /** Whether the function gets deoptimization sites: the module forks and the function has calls. */
    static boolean deoptSites(ModuleInfo module, FunctionBody body) {
        return module.deopt && hasCalls(body);
    }

    /** Whether the function has a call or call_indirect (with deoptimization, each is a capture point). */
    static boolean hasCalls(FunctionBody body) {
        return hasCalls(body.instructions(), 0, body.instructions().size());
    }

    private static boolean hasCalls(List<AnnotatedInstruction> code, int from, int to) {
        for (int pc = from; pc < to; pc++) {
            OpCode op = code.get(pc).opcode();
            if (op == OpCode.CALL || op == OpCode.CALL_INDIRECT) return true;
        }
        return false;
    }

    /** Whether the function calls a returns-twice import (it then needs a frame record and a resume handler). */
    static boolean hasReturnsTwiceSites(ModuleInfo module, FunctionBody body) {
        for (AnnotatedInstruction ins : body.instructions()) {
            if (ins.opcode() == OpCode.CALL && ins.operand(0) < module.imported && module.returnsTwice[(int) ins.operand(0)]) return true;
        }
        return false;
    }

    void compile() {
        List<AnnotatedInstruction> code = body.instructions();
        int from = 0, to = code.size();
        boolean deopt;
        if (region != null) {
            from = region.start();
            to = region.end();
            deopt = module.deopt && hasCalls(code, from, to);
            regionEntry(code, deopt);
        } else {
            deopt = deoptSites(module, body);
            functionEntry(code, deopt);
        }
        boolean setjmp = region == null && hasReturnsTwiceSites(module, body);
        Label tryStart = cb.newLabel(), tryEnd = cb.newLabel(), handler = cb.newLabel();
        Label captureInit = cb.newLabel(), captureHandler = cb.newLabel();
        if (setjmp) {
            frameSlot = cb.allocateLocal(TypeKind.REFERENCE);
            cb.aload(cxSlot).invokevirtual(CD_CONTEXT, "openFrame", MethodTypeDesc.of(CD_FRAME)).astore(frameSlot);
        }
        if (deopt) {
            // the capture slots are known only at the end: they are zeroed there, before the body runs
            captureBody = cb.newLabel();
            cb.goto_(captureInit);
            cb.labelBinding(captureBody);
        }
        if (setjmp || deopt) cb.labelBinding(tryStart);
        controls.add(new Control(FUNCTION, 0, List.of(), type.results(), cb.newLabel()));
        if (region != null) {
            for (int i = 1; i <= region.parent(); i++) controls.add(new Control(BLOCK, 0, List.of(), List.of(), cb.newLabel()));
        }
        instructions(code, from, to);
        if (region != null) regionExits();
        if (setjmp || deopt) cb.labelBinding(tryEnd);
        if (deopt) {
            // first in the exception table: a capture passes the setjmp handler's frame closing (the engine closes it)
            cb.exceptionCatch(tryStart, tryEnd, captureHandler, ModuleInfo.CD_CAPTURE);
        }
        if (setjmp) {
            cb.exceptionCatch(tryStart, tryEnd, handler, CD_RUNTIME_EXCEPTION);
            resumeHandler(handler);
        }
        if (deopt) {
            captureHandler(captureHandler);
            cb.labelBinding(captureInit);
            cb.iconst_0().istore(siteSlot);
            for (var e : capturePool.entrySet()) {
                for (int slot : e.getValue()) {
                    switch (e.getKey()) {
                        case INT -> cb.iconst_0();
                        case LONG -> cb.lconst_0();
                        case FLOAT -> cb.fconst_0();
                        default -> cb.dconst_0();
                    }
                    cb.storeLocal(e.getKey(), slot);
                }
            }
            cb.goto_(captureBody);
        }
    }

    /** A function's (or a split function's main method's) entry: its locals set up, enter, the memory array. */
    private void functionEntry(List<AnnotatedInstruction> code, boolean deopt) {
        int params = type.params().size();
        if (regions != null) {
            splitEntry(deopt);
        } else {
            assignSlots(code);
            // the parameters (and the context) move from the JVM's calling layout to their assigned slots
            for (int i = 0; i < params; i++) cb.loadLocal(kind(localTypes.get(i)), cb.parameterSlot(i));
            cb.aload(cb.parameterSlot(params));
            cb.astore(cxSlot);
            for (int i = params - 1; i >= 0; i--) cb.storeLocal(kind(localTypes.get(i)), localSlots[i]);
            for (int i = params; i < localTypes.size(); i++) {
                ValType t = localTypes.get(i);
                zero(t);
                cb.storeLocal(kind(t), localSlots[i]);
            }
        }
        int entryUnits = fuelUnits(code);
        cb.aload(cxSlot).loadConstant(entryUnits).invokevirtual(CD_CONTEXT, "enter", MethodTypeDesc.of(CD_void, CD_int));
        reloadMemory();
    }

    /** Translates instructions {@code [from, to)}; in a split function's main method, regions become calls. */
    private void instructions(List<AnnotatedInstruction> code, int from, int to) {
        UnreachableCode unreachable = new UnreachableCode();
        int nextRegion = 0;
        for (int pc = from; pc < to; pc++) {
            AnnotatedInstruction ins = code.get(pc);
            OpCode op = ins.opcode();
            Control top = controls.getLast();
            if (heights != null) heights[pc] = top.unreachable ? -1 : stack.size();
            if (top.unreachable) {
                switch (unreachable.next(op)) {
                    case ELSE -> elseBranch(top);
                    case END -> end();
                    case SKIP -> { }
                }
                continue;
            }
            resetTemps();
            if (regions != null) {
                while (nextRegion < regions.size() && regions.get(nextRegion).start() < pc) nextRegion++;
                if (nextRegion < regions.size() && regions.get(nextRegion).start() == pc) {
                    Regions.Region r = regions.get(nextRegion);
                    regionCall(r, nextRegion++);
                    pc = r.end() - 1; // P's end comes next
                    continue;
                }
            }
            OpCode next = pc + 1 < code.size() ? code.get(pc + 1).opcode() : OpCode.END;
            instruction(ins, op, top, next == OpCode.IF || next == OpCode.BR_IF, pc);
        }
    }

    // ---- split functions (Regions) ----

    /** A split main method's entry: the context stays in its parameter slot, the locals move into a new array. */
    private void splitEntry(boolean deopt) {
        int params = type.params().size();
        cxSlot = cb.parameterSlot(params);
        if (module.hasMemory) memSlot = cb.allocateLocal(TypeKind.REFERENCE);
        arraySlot = cb.allocateLocal(TypeKind.REFERENCE);
        if (deopt) siteSlot = cb.allocateLocal(TypeKind.INT);
        cb.loadConstant(localTypes.size() + type.results().size()).newarray(TypeKind.LONG).astore(arraySlot);
        for (int i = 0; i < localTypes.size(); i++) {
            ValType t = localTypes.get(i);
            if (i < params) {
                cb.aload(arraySlot).loadConstant(i).loadLocal(kind(t), cb.parameterSlot(i));
                toRaw(t);
                cb.lastore();
            } else if (kind(t) == TypeKind.LONG && t != ValType.I64) { // a reference local starts null (-1)
                cb.aload(arraySlot).loadConstant(i).loadConstant(-1L).lastore();
            }
        }
    }

    /** A region's method: the locals array and the context are its parameters; no enter (it is not a wasm frame). */
    private void regionEntry(List<AnnotatedInstruction> code, boolean deopt) {
        arraySlot = cb.parameterSlot(0);
        cxSlot = cb.parameterSlot(1);
        if (module.hasMemory) memSlot = cb.allocateLocal(TypeKind.REFERENCE);
        if (deopt) siteSlot = cb.allocateLocal(TypeKind.INT);
        callOrdinal = region.firstCall();
        fuelUnits(code); // the loop headers' units, as the whole function counts them
        reloadMemory();
    }

    /** After a region's instructions: falling off its end is exit 0; then the exits to the controls around it. */
    private void regionExits() {
        if (callOrdinal != region.firstCall() + region.calls()) {
            throw new IllegalStateException("region of function " + definedIndex + " numbered " + (callOrdinal - region.firstCall())
                    + " calls, expected " + region.calls());
        }
        if (!controls.getLast().unreachable) cb.iconst_0().ireturn();
        for (int i = 1; i <= region.parent(); i++) {
            Control exit = controls.get(i);
            if (exit.branchedTo) cb.labelBinding(exit.label).loadConstant(i + 1).ireturn();
        }
    }

    /** In the main method: calls region {@code k}, then goes where its exit code says (0: on, after it). */
    private void regionCall(Regions.Region r, int k) {
        ClassDesc owner = trial ? module.classDesc(0) : module.classDesc(module.classOf[definedIndex]);
        if (siteSlot >= 0) cb.iconst_m1().istore(siteSlot); // a capture through the region: the region records it
        cb.aload(arraySlot).aload(cxSlot).invokestatic(owner, Regions.name(definedIndex, k), Regions.DESCRIPTOR);
        callOrdinal += r.calls();
        reloadMemory();
        int[] exits = r.exits();
        if (exits.length == 0) {
            cb.pop();
            return;
        }
        Label on = cb.newLabel();
        List<SwitchCase> cases = new ArrayList<>();
        Label[] stubs = new Label[exits.length];
        for (int i = 0; i < exits.length; i++) {
            stubs[i] = cb.newLabel();
            cases.add(SwitchCase.of(exits[i], stubs[i]));
        }
        cb.lookupswitch(on, cases);
        List<ValType> saved = new ArrayList<>(stack);
        for (int i = 0; i < exits.length; i++) {
            cb.labelBinding(stubs[i]);
            resetTemps();
            Control target = controls.get(exits[i] - 1);
            if (target.kind == FUNCTION) {
                for (int j = 0; j < type.results().size(); j++) {
                    ValType t = type.results().get(j);
                    cb.aload(arraySlot).loadConstant(localTypes.size() + j).laload();
                    fromRaw(t);
                    push(t);
                }
            }
            branch(target);
            stack.clear();
            stack.addAll(saved);
        }
        cb.labelBinding(on);
    }

    /** A region's return: the results on top go into the locals array after the locals, and exit code 1. */
    private void regionReturn() {
        List<ValType> results = type.results();
        int[] slots = spill(results);
        for (int j = 0; j < results.size(); j++) {
            cb.aload(arraySlot).loadConstant(localTypes.size() + j).loadLocal(kind(results.get(j)), slots[j]);
            toRaw(results.get(j));
            cb.lastore();
        }
        cb.iconst_1().ireturn();
    }

    private void loadLocalValue(int i) {
        ValType t = localTypes.get(i);
        if (arraySlot >= 0) {
            cb.aload(arraySlot).loadConstant(i).laload();
            fromRaw(t);
        } else {
            cb.loadLocal(kind(t), localSlots[i]);
        }
    }

    /** Stores the typed value on top of the JVM stack into local {@code i}. */
    private void storeLocalValue(int i) {
        ValType t = localTypes.get(i);
        if (arraySlot >= 0) {
            int slot = spillOne(t);
            cb.aload(arraySlot).loadConstant(i).loadLocal(kind(t), slot);
            toRaw(t);
            cb.lastore();
        } else {
            cb.storeLocal(kind(t), localSlots[i]);
        }
    }

    /** Where the capture slots' initialisation (emitted last) continues: the body. */
    private Label captureBody;

    /**
     * Gives the locals, the context and the memory array JVM slots by how often the body uses them, most used
     * first, so the busiest get the one-byte load/store forms (slots 0-3) and the rest short ones; slots are
     * reserved with the builder so temporaries come after them.
     */
    private void assignSlots(List<AnnotatedInstruction> code) {
        int n = localTypes.size();
        // locals, then the context (n), the memory array (n + 1) and the deoptimization site (n + 2, a store per call)
        long[] uses = new long[n + 3];
        boolean deoptSite = deoptSites(module, body);
        for (AnnotatedInstruction ins : code) {
            OpCode op = ins.opcode();
            if (deoptSite && (op == OpCode.CALL || op == OpCode.CALL_INDIRECT)) uses[n + 2]++;
            switch (op) {
                case LOCAL_GET, LOCAL_SET, LOCAL_TEE -> uses[(int) ins.operand(0)]++;
                case CALL, CALL_INDIRECT, LOOP, MEMORY_GROW, MEMORY_FILL, MEMORY_COPY, MEMORY_INIT, MEM_ATOMIC_WAIT32,
                     MEM_ATOMIC_WAIT64 -> { uses[n]++; uses[n + 1]++; }
                default -> {
                    String name = op.name();
                    if (name.contains("LOAD") || name.contains("STORE") || name.contains("ATOMIC")) uses[n + 1]++;
                    else if (name.startsWith("GLOBAL_") || name.startsWith("TABLE_") || name.startsWith("ELEM_")
                            || name.startsWith("REF_FUNC") || name.startsWith("MEMORY_") || name.startsWith("DATA_")) uses[n]++;
                }
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n + 3; i++) if ((i != n + 1 || module.hasMemory) && (i != n + 2 || deoptSite)) order.add(i);
        order.sort((a, b) -> Long.compare(uses[b], uses[a]));
        int next = 0;
        for (int v : order) {
            if (v < n) {
                localSlots[v] = next;
                next += kind(localTypes.get(v)).slotSize();
            } else if (v == n) {
                cxSlot = next++;
            } else if (v == n + 1) {
                memSlot = next++;
            } else {
                siteSlot = next++;
            }
        }
        int end = cb.parameterSlot(type.params().size()) + 1; // the first slot the builder would allocate
        while (end < next) end = cb.allocateLocal(TypeKind.INT) + 1;
    }

    /**
     * Fuel units of the straight-line stretches: the entry's count is returned, each loop's is recorded for its
     * header (the instructions from that check to the next one in code order; approximate, as documented).
     */
    private int fuelUnits(List<AnnotatedInstruction> code) {
        int entry = -1, lastLoop = -1, count = 0;
        for (int pc = 0; pc < code.size(); pc++) {
            if (code.get(pc).opcode() == OpCode.LOOP) {
                if (lastLoop < 0) entry = count;
                else loopUnits.put(lastLoop, Math.max(1, count));
                lastLoop = pc;
                count = 0;
            }
            count++;
        }
        if (lastLoop < 0) entry = count;
        else loopUnits.put(lastLoop, Math.max(1, count));
        return Math.max(1, entry);
    }

    // ---- the instructions ----

    private void instruction(AnnotatedInstruction ins, OpCode op, Control top, boolean branchNext, int pc) {
        switch (op) {
            case NOP -> { }
            case UNREACHABLE -> {
                cb.invokestatic(CD_OPS, "unreachable", MethodTypeDesc.of(ModuleInfo.CD_TRAP)).athrow();
                markUnreachable(top);
            }
            case BLOCK -> {
                FuncType bt = module.blockType(ins.address() + 1);
                controls.add(new Control(BLOCK, stack.size() - bt.params().size(), bt.params(), bt.results(), cb.newLabel()));
            }
            case LOOP -> {
                FuncType bt = module.blockType(ins.address() + 1);
                Control c = new Control(LOOP, stack.size() - bt.params().size(), bt.params(), bt.results(), cb.newLabel());
                controls.add(c);
                cb.labelBinding(c.label);
                int units = loopUnits.getOrDefault(pc, 1);
                if (memSlot >= 0) {
                    cb.aload(cxSlot).loadConstant(units).aload(memSlot)
                            .invokevirtual(CD_CONTEXT, "poll", MethodTypeDesc.of(CD_BYTE_ARRAY, CD_int, CD_BYTE_ARRAY)).astore(memSlot);
                } else {
                    cb.aload(cxSlot).loadConstant(units).invokevirtual(CD_CONTEXT, "poll", MethodTypeDesc.of(CD_void, CD_int));
                }
            }
            case IF -> {
                FuncType bt = module.blockType(ins.address() + 1);
                Opcode cond = takeCondition();
                Control c = new Control(IF, stack.size() - bt.params().size(), bt.params(), bt.results(), cb.newLabel());
                c.elseLabel = cb.newLabel();
                cb.branch(negate(cond), c.elseLabel);
                controls.add(c);
            }
            case ELSE -> elseBranch(top);
            case END -> end();
            case BR -> {
                branch(label(ins.operand(0)));
                markUnreachable(top);
            }
            case BR_IF -> brIf(label(ins.operand(0)));
            case BR_TABLE -> brTable(ins.operands());
            case RETURN -> {
                emitReturn();
                markUnreachable(top);
            }
            case CALL -> call((int) ins.operand(0));
            case CALL_INDIRECT -> callIndirect((int) ins.operand(0), (int) ins.operand(1));
            case DROP -> popValue(pop());
            case SELECT, SELECT_T -> select();
            case LOCAL_GET -> {
                int i = (int) ins.operand(0);
                loadLocalValue(i);
                push(localTypes.get(i));
            }
            case LOCAL_SET -> {
                int i = (int) ins.operand(0);
                pop();
                storeLocalValue(i);
            }
            case LOCAL_TEE -> {
                int i = (int) ins.operand(0);
                dup(localTypes.get(i));
                storeLocalValue(i);
            }
            case GLOBAL_GET -> {
                int g = (int) ins.operand(0);
                ValType t = module.globalTypes.get(g);
                cb.aload(cxSlot).loadConstant(g).invokevirtual(CD_CONTEXT, "global", MethodTypeDesc.of(CD_long, CD_int));
                fromRaw(t);
                push(t);
            }
            case GLOBAL_SET -> {
                int g = (int) ins.operand(0);
                ValType t = pop();
                int v = spillOne(t);
                cb.aload(cxSlot).loadConstant(g);
                cb.loadLocal(kind(t), v);
                toRaw(t);
                cb.invokevirtual(CD_CONTEXT, "setGlobal", MethodTypeDesc.of(CD_void, CD_int, CD_long));
            }
            case I32_CONST -> { cb.loadConstant((int) ins.operand(0)); push(ValType.I32); }
            case I64_CONST -> { longConstant(ins.operand(0)); push(ValType.I64); }
            case F32_CONST -> { floatConstant((int) ins.operand(0)); push(ValType.F32); }
            case F64_CONST -> { doubleConstant(ins.operand(0)); push(ValType.F64); }
            case REF_NULL -> { longConstant(-1L); push(ValType.FUNCREF); }
            case REF_IS_NULL -> {
                pop();
                longConstant(-1L);
                cb.lcmp();
                condition(Opcode.IFEQ, branchNext);
            }
            case REF_FUNC -> {
                cb.aload(cxSlot).loadConstant((int) ins.operand(0)).invokevirtual(CD_CONTEXT, "refFunc", MethodTypeDesc.of(CD_long, CD_int));
                push(ValType.FUNCREF);
            }
            case MEMORY_SIZE -> {
                cb.aload(cxSlot).invokevirtual(CD_CONTEXT, "memorySize", MethodTypeDesc.of(CD_int));
                push(ValType.I32);
            }
            case MEMORY_GROW -> {
                contextCall("memoryGrow", 1, CD_int, new int[0]);
                reloadMemory();
            }
            case MEMORY_FILL -> { contextCall("memoryFill", 3, CD_void, new int[0]); reloadMemory(); }
            case MEMORY_COPY -> { contextCall("memoryCopy", 3, CD_void, new int[0]); reloadMemory(); }
            case MEMORY_INIT -> { contextCall("memoryInit", 3, CD_void, new int[] {(int) ins.operand(0)}); reloadMemory(); }
            case DATA_DROP -> contextCall("dataDrop", 0, CD_void, new int[] {(int) ins.operand(0)});
            case TABLE_GET -> contextCall("tableGet", 1, CD_long, new int[] {(int) ins.operand(0)});
            case TABLE_SET -> contextCall("tableSet", 2, CD_void, new int[] {(int) ins.operand(0)});
            case TABLE_SIZE -> contextCall("tableSize", 0, CD_int, new int[] {(int) ins.operand(0)});
            case TABLE_GROW -> contextCall("tableGrow", 2, CD_int, new int[] {(int) ins.operand(0)});
            case TABLE_FILL -> contextCall("tableFill", 3, CD_void, new int[] {(int) ins.operand(0)});
            case TABLE_COPY -> contextCall("tableCopy", 3, CD_void, new int[] {(int) ins.operand(0), (int) ins.operand(1)});
            case TABLE_INIT -> contextCall("tableInit", 3, CD_void, new int[] {(int) ins.operand(1), (int) ins.operand(0)});
            case ELEM_DROP -> contextCall("elemDrop", 0, CD_void, new int[] {(int) ins.operand(0)});
            case I32_REINTERPRET_F32 -> { pop(); cb.invokestatic(CD_FLOAT_CLASS, "floatToRawIntBits", MethodTypeDesc.of(CD_int, CD_float)); push(ValType.I32); }
            case F32_REINTERPRET_I32 -> { pop(); cb.invokestatic(CD_FLOAT_CLASS, "intBitsToFloat", MethodTypeDesc.of(CD_float, CD_int)); push(ValType.F32); }
            case I64_REINTERPRET_F64 -> { pop(); cb.invokestatic(CD_DOUBLE_CLASS, "doubleToRawLongBits", MethodTypeDesc.of(CD_long, CD_double)); push(ValType.I64); }
            case F64_REINTERPRET_I64 -> { pop(); cb.invokestatic(CD_DOUBLE_CLASS, "longBitsToDouble", MethodTypeDesc.of(CD_double, CD_long)); push(ValType.F64); }
            default -> {
                if (!Numeric.emit(this, op, branchNext) && !MemoryOps.emit(this, ins, op)) {
                    throw new UnsupportedOperationException("the instruction " + op);
                }
            }
        }
    }

    // ---- helpers shared with Numeric and MemoryOps ----

    CodeBuilder code() {
        return cb;
    }

    void push(ValType t) {
        stack.add(t);
    }

    ValType pop() {
        return stack.removeLast();
    }

    ValType peek() {
        return stack.getLast();
    }

    void loadMemory() {
        cb.aload(memSlot);
    }

    int cxSlot() {
        return cxSlot;
    }

    void reloadMemory() {
        if (memSlot >= 0) cb.aload(cxSlot).invokevirtual(CD_CONTEXT, "memory", MethodTypeDesc.of(CD_BYTE_ARRAY)).astore(memSlot);
    }

    /**
     * A comparison's result: kept as a pending branch condition when the next instruction branches on it,
     * otherwise materialized as an i32 0 or 1.
     */
    void condition(Opcode op, boolean branchNext) {
        if (branchNext) {
            pendingCondition = op;
        } else {
            Label yes = cb.newLabel(), done = cb.newLabel();
            cb.branch(op, yes).iconst_0().goto_(done).labelBinding(yes).iconst_1().labelBinding(done);
        }
        push(ValType.I32);
    }

    /** Pops the i32 condition: the branch opcode that jumps when it is true. */
    private Opcode takeCondition() {
        pop();
        Opcode c = pendingCondition == null ? Opcode.IFNE : pendingCondition;
        pendingCondition = null;
        return c;
    }

    static TypeKind kind(ValType t) {
        return switch (t) {
            case I32 -> TypeKind.INT;
            case F32 -> TypeKind.FLOAT;
            case F64 -> TypeKind.DOUBLE;
            default -> TypeKind.LONG;
        };
    }

    private void zero(ValType t) {
        switch (t) {
            case I32 -> cb.iconst_0();
            case I64 -> cb.lconst_0();
            case F32 -> cb.fconst_0();
            case F64 -> cb.dconst_0();
            default -> longConstant(-1L);
        }
    }

    private void longConstant(long v) {
        if (v == 0) cb.lconst_0();
        else if (v == 1) cb.lconst_1();
        else cb.ldc(cb.constantPool().longEntry(v));
    }

    private void floatConstant(int bits) {
        float f = Float.intBitsToFloat(bits);
        if (f != f) {
            cb.loadConstant(bits).invokestatic(CD_FLOAT_CLASS, "intBitsToFloat", MethodTypeDesc.of(CD_float, CD_int));
        } else if (bits == 0) {
            cb.fconst_0();
        } else if (bits == Float.floatToRawIntBits(1f)) {
            cb.fconst_1();
        } else if (bits == Float.floatToRawIntBits(2f)) {
            cb.fconst_2();
        } else {
            cb.ldc(cb.constantPool().floatEntry(f));
        }
    }

    private void doubleConstant(long bits) {
        double d = Double.longBitsToDouble(bits);
        if (d != d) {
            longConstant(bits);
            cb.invokestatic(CD_DOUBLE_CLASS, "longBitsToDouble", MethodTypeDesc.of(CD_double, CD_long));
        } else if (bits == 0) {
            cb.dconst_0();
        } else if (bits == Double.doubleToRawLongBits(1d)) {
            cb.dconst_1();
        } else {
            cb.ldc(cb.constantPool().doubleEntry(d));
        }
    }

    /** Raw bits (Values convention) of the typed value on top of the JVM stack. */
    void toRaw(ValType t) {
        AotCompiler.toRaw(cb, t);
    }

    /** The typed value of the raw bits on top of the JVM stack. */
    void fromRaw(ValType t) {
        AotCompiler.fromRaw(cb, t);
    }

    private void popValue(ValType t) {
        if (kind(t).slotSize() == 2) cb.pop2();
        else cb.pop();
    }

    private void dup(ValType t) {
        if (kind(t).slotSize() == 2) cb.dup2();
        else cb.dup();
    }

    // ---- temporaries: locals reused instruction by instruction, one pool per JVM type ----

    private void resetTemps() {
        tempUsed.clear();
    }

    int temp(TypeKind k) {
        List<Integer> pool = tempPool.computeIfAbsent(k, x -> new ArrayList<>());
        int used = tempUsed.getOrDefault(k, 0);
        if (used == pool.size()) pool.add(cb.allocateLocal(k));
        tempUsed.put(k, used + 1);
        return pool.get(used);
    }

    /** Stores the top value (of type {@code t}, already popped from {@link #stack}) into a temporary. */
    int spillOne(ValType t) {
        int slot = temp(kind(t));
        cb.storeLocal(kind(t), slot);
        return slot;
    }

    /** Stores the top {@code types.size()} values into temporaries; slots in stack order (bottom first). */
    private int[] spill(List<ValType> types) {
        int[] slots = new int[types.size()];
        for (int i = types.size() - 1; i >= 0; i--) slots[i] = spillOne(types.get(i));
        return slots;
    }

    private void reload(List<ValType> types, int[] slots) {
        for (int i = 0; i < slots.length; i++) cb.loadLocal(kind(types.get(i)), slots[i]);
    }

    /** A new long[] holding the raw bits of the values in {@code slots}. */
    private void packArray(List<ValType> types, int[] slots) {
        cb.loadConstant(slots.length).newarray(TypeKind.LONG);
        for (int i = 0; i < slots.length; i++) {
            cb.dup().loadConstant(i);
            cb.loadLocal(kind(types.get(i)), slots[i]);
            toRaw(types.get(i));
            cb.lastore();
        }
    }

    /** Replaces the long[] on top of the JVM stack by its elements, typed; pushes them on {@link #stack}. */
    private void unpackArray(List<ValType> types) {
        if (types.isEmpty()) {
            cb.pop();
            return;
        }
        int arr = temp(TypeKind.REFERENCE);
        cb.astore(arr);
        for (int i = 0; i < types.size(); i++) {
            cb.aload(arr).loadConstant(i).laload();
            fromRaw(types.get(i));
            push(types.get(i));
        }
    }

    /**
     * A call of an AotContext method taking {@code immediates} (ints) first, then the top {@code operands}
     * values (popped); pushes the result type, i32 for int and i64/ref (as the stack said) for long.
     */
    private void contextCall(String name, int operands, ClassDesc result, int[] immediates) {
        List<ValType> types = new ArrayList<>(stack.subList(stack.size() - operands, stack.size()));
        int[] slots = spill(types);
        for (int i = 0; i < operands; i++) pop();
        cb.aload(cxSlot);
        List<ClassDesc> params = new ArrayList<>();
        for (int imm : immediates) {
            cb.loadConstant(imm);
            params.add(CD_int);
        }
        reload(types, slots);
        for (ValType t : types) params.add(ModuleInfo.jvm(t));
        cb.invokevirtual(CD_CONTEXT, name, MethodTypeDesc.of(result, params.toArray(ClassDesc[]::new)));
        if (result.equals(CD_int)) push(ValType.I32);
        else if (result.equals(CD_long)) push(name.equals("tableGet") ? ValType.FUNCREF : ValType.I64);
    }

    // ---- control ----

    private Control label(long depth) {
        return controls.get(controls.size() - 1 - (int) depth);
    }

    private void markUnreachable(Control c) {
        c.unreachable = true;
        while (stack.size() > c.height) stack.removeLast();
    }

    /** Moves the label's values down over whatever lies between them and the label's height; no stack change recorded. */
    private void shuffleTo(Control c) {
        List<ValType> values = c.labelTypes();
        int extras = stack.size() - values.size() - c.height;
        if (extras == 0) return;
        int[] slots = spill(values);
        for (int i = stack.size() - values.size() - 1; i >= c.height; i--) popValue(stack.get(i));
        reload(values, slots);
    }

    private boolean needsShuffle(Control c) {
        return stack.size() - c.labelTypes().size() != c.height;
    }

    private Label target(Control c) {
        c.branchedTo = true;
        return c.label;
    }

    /** An unconditional branch (the code after it is unreachable). */
    private void branch(Control c) {
        if (c.kind == FUNCTION) {
            emitReturn();
            return;
        }
        shuffleTo(c);
        cb.goto_(target(c));
    }

    private void brIf(Control c) {
        Opcode cond = takeCondition();
        if (c.kind != FUNCTION && !needsShuffle(c)) {
            cb.branch(cond, target(c));
            return;
        }
        Label skip = cb.newLabel();
        cb.branch(negate(cond), skip);
        List<ValType> saved = new ArrayList<>(stack);
        branch(c);
        stack.clear();
        stack.addAll(saved);
        cb.labelBinding(skip);
    }

    private void brTable(long[] labels) {
        takeCondition(); // the index, an i32 (never a pending comparison: only IF and BR_IF consume those)
        Map<Integer, Label> stubs = new HashMap<>();
        List<Integer> stubDepths = new ArrayList<>();
        Label[] targets = new Label[labels.length];
        for (int i = 0; i < labels.length; i++) {
            Control c = label(labels[i]);
            if (c.kind != FUNCTION && !needsShuffle(c)) {
                targets[i] = target(c);
            } else {
                int depth = (int) labels[i];
                Label stub = stubs.get(depth);
                if (stub == null) {
                    stub = cb.newLabel();
                    stubs.put(depth, stub);
                    stubDepths.add(depth);
                }
                targets[i] = stub;
            }
        }
        List<SwitchCase> cases = new ArrayList<>();
        for (int i = 0; i < labels.length - 1; i++) cases.add(SwitchCase.of(i, targets[i]));
        if (cases.isEmpty()) {
            cb.pop().goto_(targets[labels.length - 1]);
        } else {
            cb.tableswitch(0, cases.size() - 1, targets[labels.length - 1], cases);
        }
        List<ValType> saved = new ArrayList<>(stack);
        for (int depth : stubDepths) {
            cb.labelBinding(stubs.get(depth));
            resetTemps();
            branch(label(depth));
            stack.clear();
            stack.addAll(saved);
        }
        markUnreachable(controls.getLast());
    }

    private void elseBranch(Control c) {
        if (!c.unreachable) cb.goto_(target(c));
        cb.labelBinding(c.elseLabel);
        c.elseLabel = null;
        while (stack.size() > c.height) stack.removeLast();
        stack.addAll(c.params);
        c.unreachable = false;
    }

    private void end() {
        Control c = controls.removeLast();
        if (c.kind == FUNCTION) {
            if (!c.unreachable) emitReturn();
            return;
        }
        boolean reachable = !c.unreachable || (c.kind != LOOP && c.branchedTo) || c.elseLabel != null;
        if (c.kind != LOOP) cb.labelBinding(c.label);
        if (c.elseLabel != null) cb.labelBinding(c.elseLabel); // an if without else: params are its results
        while (stack.size() > c.height) stack.removeLast();
        stack.addAll(c.results);
        if (!reachable) markUnreachable(controls.getLast());
    }

    /** Leaves the function with the top results (values under them are left on the JVM stack, which is allowed). */
    private void emitReturn() {
        if (region != null) {
            regionReturn();
            return;
        }
        List<ValType> results = type.results();
        if (frameSlot >= 0) cb.aload(frameSlot).invokevirtual(CD_FRAME, "close", MethodTypeDesc.of(CD_void));
        cb.aload(cxSlot).invokevirtual(CD_CONTEXT, "leave", MethodTypeDesc.of(CD_void));
        switch (results.size()) {
            case 0 -> cb.return_();
            case 1 -> cb.return_(kind(results.getFirst()));
            default -> {
                int[] slots = spill(results);
                packArray(results, slots);
                cb.areturn();
            }
        }
    }

    // ---- calls ----

    private void call(int f) {
        FuncType t = module.funcTypes[f];
        if (f < module.imported && module.returnsTwice[f]) {
            returnsTwiceCall(f, t);
            return;
        }
        int d = f - module.imported;
        ClassDesc owner;
        String name;
        if (trial) { // the same instructions, and constant pool entries, whichever method it becomes
            owner = module.classDesc(0);
            name = d >= 0 ? "f" + d : "c" + f;
        } else if (d >= 0 && module.compiled[d]) {
            owner = module.classDesc(module.classOf[d]);
            name = "f" + d;
        } else {
            owner = module.classDesc(module.stubClass.get(f));
            name = "c" + f;
        }
        captureSite(t.params().size());
        for (int i = 0; i < t.params().size(); i++) pop();
        cb.aload(cxSlot).invokestatic(owner, name, ModuleInfo.descriptor(t));
        pushResults(t);
        reloadMemory();
    }

    /** After a direct call: the typed result, or the elements of the long[] of a multi-value result. */
    private void pushResults(FuncType t) {
        if (t.results().size() <= 1) {
            stack.addAll(t.results());
        } else {
            unpackArray(t.results());
        }
    }

    /** call_indirect: one invokestatic of the (type, table) pair's method, the element index last before cx. */
    private void callIndirect(int typeIndex, int table) {
        FuncType t = module.types[typeIndex];
        captureSite(t.params().size() + 1);
        pop(); // the element index
        for (int i = 0; i < t.params().size(); i++) pop();
        ClassDesc owner = trial ? module.classDesc(0) : module.classDesc(module.indirectClass.get(ModuleInfo.indirectKey(typeIndex, table)));
        cb.aload(cxSlot).invokestatic(owner, ModuleInfo.indirectName(typeIndex, table), ModuleInfo.indirectDescriptor(t));
        pushResults(t);
        reloadMemory();
    }

    /**
     * A call of a returns-twice import: the locals and the operands under the arguments are saved (raw bits:
     * locals first, then the operands bottom up), the import is called through the frame, and the site's
     * continuation label follows, where the resume handler also arrives with the saved values restored.
     */
    private void returnsTwiceCall(int f, FuncType t) {
        returnsTwiceOrdinals.add(callOrdinal++); // the interpreter counts it among the calls
        List<ValType> params = t.params();
        int[] args = spill(params);
        for (int i = 0; i < params.size(); i++) pop();
        List<ValType> below = new ArrayList<>(stack);
        int[] belowSlots = spill(below);
        int saved = temp(TypeKind.REFERENCE);
        cb.loadConstant(localTypes.size() + below.size()).newarray(TypeKind.LONG);
        for (int i = 0; i < localTypes.size(); i++) {
            cb.dup().loadConstant(i).loadLocal(kind(localTypes.get(i)), localSlots[i]);
            toRaw(localTypes.get(i));
            cb.lastore();
        }
        for (int i = 0; i < below.size(); i++) {
            cb.dup().loadConstant(localTypes.size() + i).loadLocal(kind(below.get(i)), belowSlots[i]);
            toRaw(below.get(i));
            cb.lastore();
        }
        cb.astore(saved);
        reload(below, belowSlots);
        cb.aload(cxSlot).loadConstant(f);
        packArray(params, args);
        cb.aload(frameSlot).loadConstant(sites.size()).aload(saved);
        cb.invokevirtual(CD_CONTEXT, "callReturnsTwice", MethodTypeDesc.of(CD_LONG_ARRAY, CD_int, CD_LONG_ARRAY, CD_FRAME, CD_int, CD_LONG_ARRAY));
        Label continuation = cb.newLabel();
        cb.labelBinding(continuation);
        sites.add(new Site(continuation, below));
        unpackArray(t.results());
        reloadMemory();
    }

    /**
     * The handler around a function with returns-twice sites: an exception that is not an unwind to this
     * activation closes the frame and propagates; an unwind restores the locals and the site's operands from
     * the saved values, pushes the second results and continues at the site.
     */
    private void resumeHandler(Label handler) {
        resetTemps();
        int exception = cb.allocateLocal(TypeKind.REFERENCE);
        int resume = cb.allocateLocal(TypeKind.REFERENCE);
        int saved = cb.allocateLocal(TypeKind.REFERENCE);
        Label resuming = cb.newLabel();
        cb.labelBinding(handler);
        cb.astore(exception);
        cb.aload(frameSlot).aload(exception).invokevirtual(CD_FRAME, "resumeFor", MethodTypeDesc.of(CD_RESUME, CD_RUNTIME_EXCEPTION)).astore(resume);
        cb.aload(resume).ifnonnull(resuming);
        cb.aload(frameSlot).invokevirtual(CD_FRAME, "close", MethodTypeDesc.of(CD_void));
        cb.aload(exception).athrow();
        cb.labelBinding(resuming);
        cb.aload(resume).invokevirtual(CD_RESUME, "saved", MethodTypeDesc.of(CD_LONG_ARRAY)).astore(saved);
        for (int i = 0; i < localTypes.size(); i++) {
            cb.aload(saved).loadConstant(i).laload();
            fromRaw(localTypes.get(i));
            cb.storeLocal(kind(localTypes.get(i)), localSlots[i]);
        }
        Label bad = cb.newLabel();
        List<SwitchCase> cases = new ArrayList<>();
        List<Label> entries = new ArrayList<>();
        for (int s = 0; s < sites.size(); s++) {
            Label l = cb.newLabel();
            entries.add(l);
            cases.add(SwitchCase.of(s, l));
        }
        cb.aload(resume).invokevirtual(CD_RESUME, "site", MethodTypeDesc.of(CD_int));
        cb.tableswitch(0, sites.size() - 1, bad, cases);
        for (int s = 0; s < sites.size(); s++) {
            Site site = sites.get(s);
            cb.labelBinding(entries.get(s));
            for (int i = 0; i < site.below().size(); i++) {
                cb.aload(saved).loadConstant(localTypes.size() + i).laload();
                fromRaw(site.below().get(i));
            }
            cb.aload(resume).invokevirtual(CD_RESUME, "results", MethodTypeDesc.of(CD_LONG_ARRAY));
            cb.goto_(site.continuation());
        }
        cb.labelBinding(bad);
        cb.aload(exception).athrow();
    }

    /**
     * Deoptimization (module.deopt): before a call whose {@code args} values are on top, keeps the operands below
     * them in capture slots and the call's ordinal in the site slot, for the capture handler. The ordinal is the
     * call's position among the function's reachable calls and call_indirects, as the interpreter's translator
     * emits them.
     */
    private void captureSite(int args) {
        int ordinal = callOrdinal++;
        if (siteSlot < 0) return;
        List<ValType> below = new ArrayList<>(stack.subList(0, stack.size() - args));
        int[] slots = new int[below.size()];
        if (!below.isEmpty()) {
            List<ValType> top = new ArrayList<>(stack.subList(stack.size() - args, stack.size()));
            int[] argSlots = spill(top);
            Map<TypeKind, Integer> used = new EnumMap<>(TypeKind.class);
            for (int i = 0; i < below.size(); i++) {
                TypeKind k = kind(below.get(i));
                int n = used.getOrDefault(k, 0);
                used.put(k, n + 1);
                List<Integer> pool = capturePool.computeIfAbsent(k, x -> new ArrayList<>());
                if (n == pool.size()) pool.add(cb.allocateLocal(k));
                slots[i] = pool.get(n);
            }
            for (int i = below.size() - 1; i >= 0; i--) cb.storeLocal(kind(below.get(i)), slots[i]);
            reload(below, slots);
            reload(top, argSlots);
            captureSites.add(new CaptureSite(ordinal, slots));
        }
        cb.loadConstant(ordinal).istore(siteSlot);
    }

    /**
     * The deoptimization handler: appends this activation (its call site, locals and the operands below the
     * call, as raw bits) to the passing {@code AotCapture} and rethrows it. Its size does not grow with the number
     * of call sites: it passes every capture local, and a constant string that says, per call site with operands
     * below it, which of them hold those operands (the engine picks them out only when a fork happens).
     */
    private void captureHandler(Label handler) {
        resetTemps();
        int exception = cb.allocateLocal(TypeKind.REFERENCE);
        cb.labelBinding(handler);
        cb.astore(exception);
        Label record = cb.newLabel();
        if (regions != null) {
            // in a split function's main method, a capture that came through a region was recorded there
            cb.iload(siteSlot).ifge(record).aload(exception).athrow();
        }
        cb.labelBinding(record);
        // the capture locals in one array, kinds in a fixed order; their positions per site in the layout string
        List<Integer> poolSlots = new ArrayList<>();
        List<ValType> poolTypes = new ArrayList<>();
        Map<Integer, Integer> position = new HashMap<>();
        TypeKind[] kinds = {TypeKind.INT, TypeKind.LONG, TypeKind.FLOAT, TypeKind.DOUBLE};
        ValType[] types = {ValType.I32, ValType.I64, ValType.F32, ValType.F64};
        for (int k = 0; k < kinds.length; k++) {
            for (int slot : capturePool.getOrDefault(kinds[k], List.of())) {
                position.put(slot, poolSlots.size());
                poolSlots.add(slot);
                poolTypes.add(types[k]);
            }
        }
        StringBuilder layout = new StringBuilder();
        for (CaptureSite site : captureSites) {
            layout.append(site.ordinal()).append(':');
            for (int j = 0; j < site.slots().length; j++) layout.append(j == 0 ? "" : ",").append(position.get(site.slots()[j]));
            layout.append(';');
        }
        cb.aload(cxSlot).aload(exception).loadConstant(definedIndex).iload(siteSlot);
        if (arraySlot >= 0) { // a split function: the locals are already raw bits in the array, the results after them
            cb.aload(arraySlot).loadConstant(localTypes.size())
                    .invokestatic(ClassDesc.of("java.util.Arrays"), "copyOf", MethodTypeDesc.of(CD_LONG_ARRAY, CD_LONG_ARRAY, CD_int));
        } else {
            cb.loadConstant(localTypes.size()).newarray(TypeKind.LONG);
            for (int i = 0; i < localTypes.size(); i++) {
                cb.dup().loadConstant(i).loadLocal(kind(localTypes.get(i)), localSlots[i]);
                toRaw(localTypes.get(i));
                cb.lastore();
            }
        }
        cb.loadConstant(poolSlots.size()).newarray(TypeKind.LONG);
        for (int i = 0; i < poolSlots.size(); i++) {
            cb.dup().loadConstant(i).loadLocal(kind(poolTypes.get(i)), poolSlots.get(i));
            toRaw(poolTypes.get(i));
            cb.lastore();
        }
        cb.ldc(layout.toString());
        if (frameSlot >= 0) { // the setjmp activation, and its sites' call ordinals: its resume points move with it
            cb.aload(frameSlot);
            cb.loadConstant(returnsTwiceOrdinals.size()).newarray(TypeKind.INT);
            for (int i = 0; i < returnsTwiceOrdinals.size(); i++) cb.dup().loadConstant(i).loadConstant(returnsTwiceOrdinals.get(i)).iastore();
        } else {
            cb.aconst_null().aconst_null();
        }
        cb.invokevirtual(CD_CONTEXT, "captured", MethodTypeDesc.of(CD_void, ModuleInfo.CD_CAPTURE, CD_int, CD_int,
                CD_LONG_ARRAY, CD_LONG_ARRAY, java.lang.constant.ConstantDescs.CD_String, CD_FRAME, ModuleInfo.CD_INT_ARRAY));
        cb.aload(exception).athrow();
    }

    private void select() {
        Opcode cond = takeCondition();
        ValType t = pop();
        pop();
        Label first = cb.newLabel(), done = cb.newLabel();
        cb.branch(cond, first);
        if (kind(t).slotSize() == 2) cb.dup2_x2().pop2().pop2();
        else cb.swap().pop();
        cb.goto_(done);
        cb.labelBinding(first);
        popValue(t);
        cb.labelBinding(done);
        push(t);
    }

    static Opcode negate(Opcode op) {
        return switch (op) {
            case IFEQ -> Opcode.IFNE;
            case IFNE -> Opcode.IFEQ;
            case IFLT -> Opcode.IFGE;
            case IFGE -> Opcode.IFLT;
            case IFGT -> Opcode.IFLE;
            case IFLE -> Opcode.IFGT;
            case IF_ICMPEQ -> Opcode.IF_ICMPNE;
            case IF_ICMPNE -> Opcode.IF_ICMPEQ;
            case IF_ICMPLT -> Opcode.IF_ICMPGE;
            case IF_ICMPGE -> Opcode.IF_ICMPLT;
            case IF_ICMPGT -> Opcode.IF_ICMPLE;
            case IF_ICMPLE -> Opcode.IF_ICMPGT;
            default -> throw new IllegalArgumentException("not a condition: " + op);
        };
    }
}
