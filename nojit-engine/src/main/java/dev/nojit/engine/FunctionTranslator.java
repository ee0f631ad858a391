package dev.nojit.engine;

import com.dylibso.chicory.wasm.types.AnnotatedInstruction;
import com.dylibso.chicory.wasm.types.FunctionBody;
import com.dylibso.chicory.wasm.types.OpCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates one validated function body from WebAssembly's stack form into the engine's register form
 * ({@link Op}). Frame layout: locals, then the function's constants, then one home slot per operand-stack
 * height. During translation each stack entry remembers which slot holds its value: its home, or lazily a
 * local or constant slot, so {@code local.get}, constants and {@code local.set} after an operation usually
 * cost no instruction. Entries are moved to their homes ("materialized") wherever control flow joins or code
 * outside the main loop runs. The body is valid, so every instruction's stack effect is known; unreachable
 * code is dropped; {@link Op#CHECK} safepoints go at function entry and every loop header.
 */
final class FunctionTranslator {
    private static final int BLOCK = 0, LOOP = 1, IF = 2, FUNCTION = 3;
    /** Entries at or above this height always live in their home slot; keeps every scan short. */
    private static final int LAZY_LIMIT = 64;

    /** One entered block: the label a branch can target. */
    private static final class Control {
        final int kind;
        final int height;   // operand height below the block's parameters
        final int params;
        final int results;
        final int loopStart;
        final List<Integer> fixups = new ArrayList<>();
        int elseFixup = -1;
        boolean unreachable;

        Control(int kind, int height, int params, int results, int loopStart) {
            this.kind = kind;
            this.height = height;
            this.params = params;
            this.results = results;
            this.loopStart = loopStart;
        }

        int arity() {
            return kind == LOOP ? params : results;
        }
    }

    private final byte[] wasm;
    private final FuncType[] types;
    private final int[] funcTypes;
    private final int typeIndex;
    private final FunctionBody body;
    private final IntBuffer out = new IntBuffer();
    private final List<Control> controls = new ArrayList<>();
    private final Map<Long, Integer> constSlots = new HashMap<>();
    private long[] consts = new long[8];
    private int numLocals;
    private int tempBase;
    private int[] slotOf = new int[16];
    private int height;
    private int maxHeight;
    private int checkPos = -1;
    private int sinceCheck;
    // The last value-producing main-loop instruction, while it is still the last code emitted.
    private int lastStart = -1;
    private int lastEnd = -1;
    private int lastOp;
    private int lastDst = -1;
    private boolean lastImmediate;
    // The last MOV or MOVS while it is the last code emitted and no branch target follows it (see emitMove).
    private int movesStart = -1;
    private int movesEnd = -1;

    FunctionTranslator(byte[] wasm, FuncType[] types, int[] funcTypes, int typeIndex, FunctionBody body) {
        this.wasm = wasm;
        this.types = types;
        this.funcTypes = funcTypes;
        this.typeIndex = typeIndex;
        this.body = body;
    }

    FunctionCode translate() throws UnsupportedFeatureException {
        FuncType type = types[typeIndex];
        for (ValType p : type.params()) if (p == ValType.V128) throw new UnsupportedFeatureException("SIMD (v128)");
        List<Integer> refLocals = new ArrayList<>();
        int declared = body.localTypes().size();
        numLocals = type.params().size() + declared;
        for (int i = 0; i < declared; i++) {
            if (Types.of(body.localTypes().get(i)).isReference()) refLocals.add(type.params().size() + i);
        }
        List<AnnotatedInstruction> code = body.instructions();
        collectConstants(code);
        tempBase = numLocals + constSlots.size();

        controls.add(new Control(FUNCTION, 0, 0, type.results().size(), -1));
        // A safepoint at entry only where it can matter: a function without calls or loops runs a bounded
        // number of instructions (charged to the caller's fuel) and can neither recurse nor spin.
        if (callsOrLoops(code)) emitCheck();
        UnreachableCode unreachable = new UnreachableCode();
        for (AnnotatedInstruction ins : code) {
            OpCode op = ins.opcode();
            Control top = controls.getLast();
            if (top.unreachable) {
                switch (unreachable.next(op)) {
                    case ELSE -> elseBranch(top);
                    case END -> end();
                    case SKIP -> { }
                }
                continue;
            }
            sinceCheck++;
            instruction(ins, op, top);
        }
        patchCheck();
        int[] refs = refLocals.stream().mapToInt(Integer::intValue).toArray();
        return new FunctionCode(typeIndex, type.params().size(), type.results().size(), numLocals,
                tempBase + maxHeight + 1, out.toArray(), refs, Arrays.copyOf(consts, constSlots.size()));
    }

    private static boolean callsOrLoops(List<AnnotatedInstruction> code) {
        for (AnnotatedInstruction ins : code) {
            switch (ins.opcode()) {
                case CALL, CALL_INDIRECT, LOOP -> {
                    return true;
                }
                default -> { }
            }
        }
        return false;
    }

    /** Gives every distinct constant of the body a slot after the locals. */
    private void collectConstants(List<AnnotatedInstruction> code) {
        for (AnnotatedInstruction ins : code) {
            switch (ins.opcode()) {
                case I32_CONST, F32_CONST -> constSlot((int) ins.operand(0));
                case I64_CONST, F64_CONST -> constSlot(ins.operand(0));
                case REF_NULL -> constSlot(Values.NULL_REF);
                default -> { }
            }
        }
    }

    private int constSlot(long value) {
        Integer slot = constSlots.get(value);
        if (slot != null) return slot;
        int index = constSlots.size();
        if (index == consts.length) consts = Arrays.copyOf(consts, index * 2);
        consts[index] = value;
        constSlots.put(value, numLocals + index);
        return numLocals + index;
    }

    private void instruction(AnnotatedInstruction ins, OpCode op, Control top) throws UnsupportedFeatureException {
        switch (op) {
            case NOP -> { }
            case UNREACHABLE -> { emit(Op.UNREACHABLE); markUnreachable(top); }
            case BLOCK, LOOP -> {
                FuncType bt = Types.blockType(wasm, ins.address() + 1, types);
                int p = bt.params().size();
                materialize();
                if (op == OpCode.LOOP) {
                    label();
                    int start = out.size();
                    emitCheck();
                    controls.add(new Control(LOOP, height - p, p, bt.results().size(), start));
                } else {
                    controls.add(new Control(BLOCK, height - p, p, bt.results().size(), -1));
                }
            }
            case IF -> {
                FuncType bt = Types.blockType(wasm, ins.address() + 1, types);
                int cond = pop();
                materialize();
                int p = bt.params().size();
                Control c = new Control(IF, height - p, p, bt.results().size(), -1);
                emit(Op.BR_IF_EQZ);
                emit(cond);
                c.elseFixup = out.size();
                emit(-1);
                controls.add(c);
            }
            case ELSE -> elseBranch(top);
            case END -> end();
            case BR -> {
                materialize();
                branch(label(ins.operand(0)));
                markUnreachable(top);
            }
            case BR_IF -> brIf(label(ins.operand(0)));
            case BR_TABLE -> brTable(ins.operands());
            case RETURN -> {
                materialize();
                int n = controls.getFirst().results;
                emit(Op.RETURN);
                emit(n);
                emit(home(height - n));
                markUnreachable(top);
            }
            case CALL -> {
                int f = (int) ins.operand(0);
                FuncType t = types[funcTypes[f]];
                materialize();
                emit(Op.CALL);
                emit(f);
                emit(home(height));
                popHome(t.params().size());
                pushHomes(t.results().size());
            }
            case CALL_INDIRECT -> {
                int typeIdx = (int) ins.operand(0);
                FuncType t = types[typeIdx];
                int index = pop();
                materialize();
                emit(Op.CALL_INDIRECT);
                emit(typeIdx);
                emit((int) ins.operand(1));
                emit(index);
                emit(home(height));
                popHome(t.params().size());
                pushHomes(t.results().size());
            }
            case DROP -> pop();
            case SELECT, SELECT_T -> {
                int c = pop(), b = pop(), a = pop();
                int dst = home(height);
                start(Op.SELECT);
                emit(dst);
                emit(a);
                emit(b);
                emit(c);
                produced(dst);
            }
            case LOCAL_GET -> pushLazy((int) ins.operand(0));
            case LOCAL_SET -> localSet((int) ins.operand(0));
            case LOCAL_TEE -> {
                int slot = (int) ins.operand(0);
                localSet(slot);
                pushLazy(slot);
            }
            case GLOBAL_GET -> {
                int dst = home(height);
                start(Op.GLOBAL_GET);
                emit(dst);
                emit((int) ins.operand(0));
                produced(dst);
            }
            case GLOBAL_SET -> {
                int v = pop();
                emit(Op.GLOBAL_SET);
                emit((int) ins.operand(0));
                emit(v);
            }
            case I32_CONST, F32_CONST -> pushLazy(constSlot((int) ins.operand(0)));
            case I64_CONST, F64_CONST -> pushLazy(constSlot(ins.operand(0)));
            case REF_NULL -> pushLazy(constSlot(Values.NULL_REF));
            case I32_REINTERPRET_F32, F32_REINTERPRET_I32, I64_REINTERPRET_F64, F64_REINTERPRET_I64 -> { }
            case REF_FUNC -> outOfLine(Op.REF_FUNC, 0, 1, (int) ins.operand(0));
            case MEMORY_SIZE -> outOfLine(Op.MEMORY_SIZE, 0, 1);
            case MEMORY_GROW -> outOfLine(Op.MEMORY_GROW, 1, 1);
            case MEMORY_INIT -> outOfLine(Op.MEMORY_INIT, 3, 0, (int) ins.operand(0));
            case DATA_DROP -> outOfLine(Op.DATA_DROP, 0, 0, (int) ins.operand(0));
            case TABLE_GET -> outOfLine(Op.TABLE_GET, 1, 1, (int) ins.operand(0));
            case TABLE_SET -> outOfLine(Op.TABLE_SET, 2, 0, (int) ins.operand(0));
            case TABLE_SIZE -> outOfLine(Op.TABLE_SIZE, 0, 1, (int) ins.operand(0));
            case TABLE_GROW -> outOfLine(Op.TABLE_GROW, 2, 1, (int) ins.operand(0));
            case TABLE_FILL -> outOfLine(Op.TABLE_FILL, 3, 0, (int) ins.operand(0));
            case TABLE_COPY -> outOfLine(Op.TABLE_COPY, 3, 0, (int) ins.operand(0), (int) ins.operand(1));
            case TABLE_INIT -> outOfLine(Op.TABLE_INIT, 3, 0, (int) ins.operand(0), (int) ins.operand(1));
            case ELEM_DROP -> outOfLine(Op.ELEM_DROP, 0, 0, (int) ins.operand(0));
            default -> simple(ins, op);
        }
    }

    private void simple(AnnotatedInstruction ins, OpCode op) throws UnsupportedFeatureException {
        SimpleOps.Entry e = SimpleOps.MAP.get(op);
        if (e == null) throw new UnsupportedFeatureException(featureOf(op));
        if (e.op() >= Op.SLOW_BASE) {
            if (e.memarg()) outOfLine(e.op(), e.pops(), e.pushes(), (int) ins.operand(1));
            else outOfLine(e.op(), e.pops(), e.pushes());
            return;
        }
        if (e.pushes() == 0) { // a store: address, value
            int v = pop(), addr = pop();
            emit(e.op());
            emit(addr);
            emit(v);
            emit((int) ins.operand(1));
            return;
        }
        // an i32.xor whose second operand an i32.rotl/rotr/shr_u by a constant has just computed: one instruction
        boolean shiftedOperand = e.op() == Op.I32_XOR && lastIsProducerOfTop() && lastImmediate
                && (lastOp == Op.I32_ROTL || lastOp == Op.I32_ROTR || lastOp == Op.I32_SHR_U);
        int b = e.pops() == 2 ? pop() : -1;
        int a = pop();
        int dst = home(height);
        if (shiftedOperand) {
            int x = out.get(lastStart + 2), n = out.get(lastStart + 3);
            int fused = lastOp == Op.I32_SHR_U ? Op.I32_XOR_SHR_U_I : Op.I32_XOR_ROTL_I;
            if (lastOp == Op.I32_ROTR) n = -n & 31;
            out.truncate(lastStart); // the shift wrote only the home slot b, which nothing else reads
            start(fused);
            emit(dst);
            emit(a);
            emit(x);
            emit(n);
            lastOp = Op.I32_XOR;
            produced(dst);
            return;
        }
        int withImmediate = b >= 0 && isConst(b) ? immediateVariant(e.op()) : -1;
        if (withImmediate >= 0) {
            start(withImmediate);
            emit(dst);
            emit(a);
            emit((int) constValue(b));
            lastOp = e.op(); // for compare-and-branch fusion the operation is what counts
            lastImmediate = true;
        } else {
            start(e.op());
            emit(dst);
            emit(a);
            if (b >= 0) emit(b);
            if (e.memarg()) emit((int) ins.operand(1));
        }
        produced(dst);
    }

    private boolean isConst(int slot) {
        return slot >= numLocals && slot < tempBase;
    }

    private long constValue(int slot) {
        return consts[slot - numLocals];
    }

    /** The form of an i32 operation that takes its second operand as an immediate, or -1. */
    private static int immediateVariant(int op) {
        return switch (op) {
            case Op.I32_ADD -> Op.I32_ADD_I;
            case Op.I32_SUB -> Op.I32_SUB_I;
            case Op.I32_MUL -> Op.I32_MUL_I;
            case Op.I32_AND -> Op.I32_AND_I;
            case Op.I32_OR -> Op.I32_OR_I;
            case Op.I32_XOR -> Op.I32_XOR_I;
            case Op.I32_SHL -> Op.I32_SHL_I;
            case Op.I32_SHR_S -> Op.I32_SHR_S_I;
            case Op.I32_SHR_U -> Op.I32_SHR_U_I;
            case Op.I32_ROTL -> Op.I32_ROTL_I;
            case Op.I32_ROTR -> Op.I32_ROTR_I;
            case Op.I32_EQ, Op.I32_NE, Op.I32_LT_S, Op.I32_LT_U, Op.I32_GT_S, Op.I32_GT_U, Op.I32_LE_S, Op.I32_LE_U,
                 Op.I32_GE_S, Op.I32_GE_U -> -1; // comparisons: only fused with br_if (see brIf)
            default -> -1;
        };
    }

    /** An instruction run outside the main loop, on operands materialized as a stack. */
    private void outOfLine(int op, int pops, int pushes, int... immediates) {
        materialize();
        emit(op);
        emit(home(height));
        for (int i : immediates) emit(i);
        popHome(pops);
        pushHomes(pushes);
    }

    static String featureOf(OpCode op) {
        String n = op.name();
        if (n.startsWith("V128") || n.matches("^[IF](8x16|16x8|32x4|64x2).*")) return "SIMD (" + n + ")";
        if (n.startsWith("THROW") || n.startsWith("TRY")) return "exception handling (" + n + ")";
        if (n.startsWith("RETURN_CALL")) return "tail calls (" + n + ")";
        if (n.equals("CALL_REF") || n.startsWith("BR_ON_NULL") || n.startsWith("BR_ON_NON_NULL") || n.equals("REF_AS_NON_NULL"))
            return "typed function references (" + n + ")";
        return "the instruction " + n + " (garbage collection or another post-2.0 proposal)";
    }

    // ---- the lazy operand stack ----

    private int home(int h) {
        return tempBase + h;
    }

    private void pushSlot(int slot) {
        if (height == slotOf.length) slotOf = Arrays.copyOf(slotOf, height * 2);
        slotOf[height++] = slot;
        if (height > maxHeight) maxHeight = height;
    }

    /** Pushes a value that lives in {@code slot} (a local or constant) without copying it, when allowed. */
    private void pushLazy(int slot) {
        if (height < LAZY_LIMIT) {
            pushSlot(slot);
        } else {
            emitMove(home(height), slot);
            pushSlot(home(height));
        }
    }

    private void pushHomes(int n) {
        for (int i = 0; i < n; i++) pushSlot(home(height));
    }

    private int pop() {
        return slotOf[--height];
    }

    private void popHome(int n) {
        height -= n;
    }

    /** Records that the instruction just emitted wrote its result to {@code dst}, the current top's home. */
    private void produced(int dst) {
        pushSlot(dst);
        lastEnd = out.size();
        lastDst = dst;
    }

    private void start(int op) {
        lastStart = out.size();
        lastOp = op;
        lastImmediate = false;
        emit(op);
    }

    private boolean lastIsProducerOfTop() {
        return lastEnd == out.size() && height > 0 && slotOf[height - 1] == lastDst && lastDst == home(height - 1);
    }

    /**
     * Moves every lazily held entry to its home slot. Also ends the window in which a local.set may retarget
     * the previous instruction: after a join point or a call the value must stay where the join expects it.
     */
    private void materialize() {
        lastEnd = -1;
        int n = Math.min(height, LAZY_LIMIT);
        for (int k = 0; k < n; k++) {
            if (slotOf[k] != home(k)) {
                emitMove(home(k), slotOf[k]);
                slotOf[k] = home(k);
            }
        }
    }

    private void localSet(int local) {
        boolean retarget = lastIsProducerOfTop();
        int v = pop();
        int n = Math.min(height, LAZY_LIMIT);
        for (int k = 0; k < n; k++) {
            if (slotOf[k] == local) { // an entry still reads the old value: copy it out first
                emitMove(home(k), local);
                slotOf[k] = home(k);
                retarget = false;
            }
        }
        if (retarget) {
            out.set(lastStart + 1, local); // the producer writes the local directly
            lastEnd = -1;
        } else if (v != local) {
            emitMove(local, v);
        }
    }

    // ---- control ----

    private Control label(long depth) {
        return controls.get(controls.size() - 1 - (int) depth);
    }

    /** Whether the top {@code arity} values already sit where the label expects them. */
    private boolean inPlace(Control c) {
        return height - c.arity() == c.height;
    }

    private void emitMoves(Control c) {
        int arity = c.arity();
        for (int i = 0; i < arity; i++) {
            emitMove(home(c.height + i), home(height - arity + i));
        }
    }

    /** An unconditional branch; the stack is materialized. */
    private void branch(Control c) {
        if (!inPlace(c)) emitMoves(c);
        emit(c.kind == LOOP ? Op.BR_LOOP : Op.BR); // a loop's start is its CHECK, which BR_LOOP does on the way
        emitTarget(c);
    }

    private void brIf(Control c) {
        boolean fuse = lastIsProducerOfTop() && fusedBranch(lastOp) >= 0 && !lastImmediate;
        int cond = pop();
        int before = out.size();
        materialize();
        if (inPlace(c)) {
            if (fuse && out.size() == before) {
                // compare-and-branch: re-emit the comparison's operands into one instruction
                int a = out.get(lastStart + 2);
                int b = lastOp == Op.I32_EQZ ? -1 : out.get(lastStart + 3);
                boolean immediate = b >= 0 && isConst(b);
                int fused = immediate ? fusedBranchImmediate(lastOp) : fusedBranch(lastOp);
                out.truncate(lastStart);
                emit(fused);
                emit(a);
                if (immediate) emit((int) constValue(b));
                else if (b >= 0) emit(b);
            } else {
                emit(Op.BR_IF);
                emit(cond);
            }
            emitTarget(c);
        } else {
            emit(Op.BR_IF_EQZ);
            emit(cond);
            int skip = out.size();
            emit(-1);
            branch(c);
            label();
            out.set(skip, out.size());
        }
        lastEnd = -1;
    }

    private static int fusedBranch(int op) {
        return switch (op) {
            case Op.I32_EQZ -> Op.BR_IF_EQZ;
            case Op.I32_EQ -> Op.BR_IF_I32_EQ;
            case Op.I32_NE -> Op.BR_IF_I32_NE;
            case Op.I32_LT_S -> Op.BR_IF_I32_LT_S;
            case Op.I32_LT_U -> Op.BR_IF_I32_LT_U;
            case Op.I32_GT_S -> Op.BR_IF_I32_GT_S;
            case Op.I32_GT_U -> Op.BR_IF_I32_GT_U;
            case Op.I32_LE_S -> Op.BR_IF_I32_LE_S;
            case Op.I32_LE_U -> Op.BR_IF_I32_LE_U;
            case Op.I32_GE_S -> Op.BR_IF_I32_GE_S;
            case Op.I32_GE_U -> Op.BR_IF_I32_GE_U;
            default -> -1;
        };
    }

    private static int fusedBranchImmediate(int op) {
        return switch (op) {
            case Op.I32_EQ -> Op.BR_IF_I32_EQ_I;
            case Op.I32_NE -> Op.BR_IF_I32_NE_I;
            case Op.I32_LT_S -> Op.BR_IF_I32_LT_S_I;
            case Op.I32_LT_U -> Op.BR_IF_I32_LT_U_I;
            case Op.I32_GT_S -> Op.BR_IF_I32_GT_S_I;
            case Op.I32_GT_U -> Op.BR_IF_I32_GT_U_I;
            case Op.I32_LE_S -> Op.BR_IF_I32_LE_S_I;
            case Op.I32_LE_U -> Op.BR_IF_I32_LE_U_I;
            case Op.I32_GE_S -> Op.BR_IF_I32_GE_S_I;
            case Op.I32_GE_U -> Op.BR_IF_I32_GE_U_I;
            default -> throw new IllegalStateException("no immediate branch for " + Op.NAMES[op]);
        };
    }

    private void brTable(long[] labels) {
        int index = pop();
        materialize();
        emit(Op.BR_TABLE);
        emit(index);
        emit(labels.length - 1);
        int table = out.size();
        for (int i = 0; i < labels.length; i++) emit(-1);
        for (int i = 0; i < labels.length; i++) {
            Control c = label(labels[i]);
            if (inPlace(c)) {
                if (c.kind == LOOP) out.set(table + i, c.loopStart);
                else c.fixups.add(table + i);
            } else {
                label();
                out.set(table + i, out.size()); // a stub that moves the values, then branches
                branch(c);
            }
        }
        markUnreachable(controls.getLast());
    }

    private void emitTarget(Control c) {
        if (c.kind == LOOP) {
            out.add(c.loopStart);
        } else {
            c.fixups.add(out.size());
            out.add(-1);
        }
    }

    private void elseBranch(Control c) {
        lastEnd = -1;
        if (!c.unreachable) {
            materialize();
            emit(Op.BR);
            c.fixups.add(out.size());
            out.add(-1);
        }
        label();
        out.set(c.elseFixup, out.size());
        c.elseFixup = -1;
        resetTo(c.height + c.params);
        c.unreachable = false;
    }

    private void end() {
        Control c = controls.removeLast();
        if (!c.unreachable) materialize();
        // No path reaches the code after a block that ends unreachable and that no branch leaves (nor the false
        // edge of an if without else): it is dead, and dropped as the AOT translator drops it, so that both number
        // the reachable calls alike (deoptimization maps compiled call sites to these calls by that number).
        boolean reachable = !c.unreachable || (c.kind != LOOP && !c.fixups.isEmpty()) || c.elseFixup >= 0;
        label();
        int here = out.size();
        if (c.elseFixup >= 0) out.set(c.elseFixup, here);
        for (int pos : c.fixups) out.set(pos, here);
        resetTo(c.height + c.results);
        lastEnd = -1;
        if (c.kind == FUNCTION) {
            emit(Op.RETURN);
            emit(c.results);
            emit(home(0));
        } else if (!reachable) {
            markUnreachable(controls.getLast());
        }
    }

    /** After a join the stack holds {@code h} entries, all in their home slots. */
    private void resetTo(int h) {
        height = 0;
        for (int i = 0; i < h; i++) pushSlot(home(i));
    }

    private void markUnreachable(Control c) {
        c.unreachable = true;
        height = c.height;
        lastEnd = -1;
    }

    private void emitCheck() {
        patchCheck();
        emit(Op.CHECK);
        checkPos = out.size();
        emit(0);
        emit(home(height));
        sinceCheck = 0;
    }

    private void patchCheck() {
        if (checkPos >= 0) out.set(checkPos, Math.max(1, sinceCheck));
    }

    /**
     * Emits the move {@code dst <- src}; a move right after another (no instruction and no branch target between)
     * joins it in one {@link Op#MOVS}, which does them in order: one dispatch for a run of moves (a loop's variables
     * rotated at its back edge, a call's arguments).
     */
    private void emitMove(int dst, int src) {
        if (movesEnd == out.size() && movesStart >= 0) {
            if (out.get(movesStart) == Op.MOV) {
                int d0 = out.get(movesStart + 1), s0 = out.get(movesStart + 2);
                out.truncate(movesStart);
                emit(Op.MOVS);
                emit(2);
                emit(d0);
                emit(s0);
            } else {
                out.set(movesStart + 1, out.get(movesStart + 1) + 1);
            }
            emit(dst);
            emit(src);
        } else {
            movesStart = out.size();
            emit(Op.MOV);
            emit(dst);
            emit(src);
        }
        movesEnd = out.size();
    }

    /** A branch target is placed at the current position: the next move must start a new instruction. */
    private void label() {
        movesEnd = -1;
    }

    private void emit(int v) {
        out.add(v);
    }
}
