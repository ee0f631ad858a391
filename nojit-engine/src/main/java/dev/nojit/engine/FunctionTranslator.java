package dev.nojit.engine;

import com.dylibso.chicory.wasm.types.AnnotatedInstruction;
import com.dylibso.chicory.wasm.types.FunctionBody;
import com.dylibso.chicory.wasm.types.OpCode;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates one validated function body into {@link Op} code. It tracks the operand-stack height (the
 * body is valid, so every instruction's effect is known), resolves each branch to an absolute target plus,
 * when needed, a move of the branch values to the label's height, drops unreachable code, inserts the
 * {@link Op#CHECK} safepoints (function entry and every loop header) and fuses a few common instruction pairs.
 */
final class FunctionTranslator {
    private static final int BLOCK = 0, LOOP = 1, IF = 2, FUNCTION = 3;

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
    private int numLocals;
    private int height;
    private int maxHeight;
    private int checkPos = -1;
    private int sinceCheck;

    FunctionTranslator(byte[] wasm, FuncType[] types, int[] funcTypes, int typeIndex, FunctionBody body) {
        this.wasm = wasm;
        this.types = types;
        this.funcTypes = funcTypes;
        this.typeIndex = typeIndex;
        this.body = body;
    }

    FunctionCode translate() throws UnsupportedFeatureException {
        FuncType type = types[typeIndex];
        List<Integer> refLocals = new ArrayList<>();
        int declared = body.localTypes().size();
        numLocals = type.params().size() + declared;
        for (int i = 0; i < declared; i++) {
            if (Types.of(body.localTypes().get(i)).isReference()) refLocals.add(type.params().size() + i);
        }
        for (ValType p : type.params()) if (p == ValType.V128) throw new UnsupportedFeatureException("SIMD (v128)");
        controls.add(new Control(FUNCTION, 0, 0, type.results().size(), -1));
        emitCheck();

        List<AnnotatedInstruction> code = body.instructions();
        int dead = 0; // nesting depth of blocks entered inside unreachable code
        for (int i = 0; i < code.size(); i++) {
            AnnotatedInstruction ins = code.get(i);
            OpCode op = ins.opcode();
            Control top = controls.getLast();
            if (top.unreachable) {
                switch (op) {
                    case BLOCK, LOOP, IF -> dead++;
                    case ELSE -> { if (dead == 0) elseBranch(top); }
                    case END -> { if (dead > 0) dead--; else end(); }
                    default -> { }
                }
                continue;
            }
            sinceCheck++;
            i = instruction(code, i, ins, op, top);
        }
        patchCheck();
        int[] refs = refLocals.stream().mapToInt(Integer::intValue).toArray();
        return new FunctionCode(typeIndex, type.params().size(), type.results().size(), numLocals,
                numLocals + maxHeight + 1, out.toArray(), refs);
    }

    /** Translates one reachable instruction; returns the index of the last instruction consumed. */
    private int instruction(List<AnnotatedInstruction> code, int i, AnnotatedInstruction ins, OpCode op, Control top)
            throws UnsupportedFeatureException {
        switch (op) {
            case NOP -> { }
            case UNREACHABLE -> { emit(Op.UNREACHABLE); markUnreachable(top); }
            case BLOCK, LOOP -> {
                FuncType bt = Types.blockType(wasm, ins.address() + 1, types);
                int p = bt.params().size();
                if (op == OpCode.LOOP) {
                    int start = out.size();
                    emitCheck();
                    controls.add(new Control(LOOP, height - p, p, bt.results().size(), start));
                } else {
                    controls.add(new Control(BLOCK, height - p, p, bt.results().size(), -1));
                }
            }
            case IF -> {
                FuncType bt = Types.blockType(wasm, ins.address() + 1, types);
                pop(1);
                int p = bt.params().size();
                Control c = new Control(IF, height - p, p, bt.results().size(), -1);
                emit(Op.IF_FALSE);
                c.elseFixup = out.size();
                emit(-1);
                controls.add(c);
            }
            case ELSE -> elseBranch(top);
            case END -> end();
            case BR -> { branch(Op.BR, Op.BR_MOVE, label(ins.operand(0))); markUnreachable(top); }
            case BR_IF -> { pop(1); branch(Op.BR_IF, Op.BR_IF_MOVE, label(ins.operand(0))); }
            case BR_TABLE -> {
                pop(1);
                long[] labels = ins.operands();
                emit(Op.BR_TABLE);
                emit(labels.length - 1);
                for (long l : labels) {
                    Control c = label(l);
                    emitTarget(c);
                    emit(c.arity());
                    emit(numLocals + c.height + c.arity());
                }
                markUnreachable(top);
            }
            case RETURN -> {
                emit(Op.RETURN);
                emit(controls.getFirst().results);
                markUnreachable(top);
            }
            case CALL -> {
                int f = (int) ins.operand(0);
                FuncType t = types[funcTypes[f]];
                pop(t.params().size());
                emit(Op.CALL);
                emit(f);
                push(t.results().size());
            }
            case CALL_INDIRECT -> {
                int typeIdx = (int) ins.operand(0);
                FuncType t = types[typeIdx];
                pop(1 + t.params().size());
                emit(Op.CALL_INDIRECT);
                emit(typeIdx);
                emit((int) ins.operand(1));
                push(t.results().size());
            }
            case DROP -> { pop(1); emit(Op.DROP); }
            case SELECT, SELECT_T -> { pop(3); emit(Op.SELECT); push(1); }
            case LOCAL_GET -> { return localGet(code, i, (int) ins.operand(0)); }
            case LOCAL_SET -> {
                int slot = (int) ins.operand(0);
                pop(1);
                AnnotatedInstruction next = next(code, i);
                if (next != null && next.opcode() == OpCode.LOCAL_GET) {
                    emit(Op.LOCAL_SET_GET);
                    emit(slot);
                    emit((int) next.operand(0));
                    push(1);
                    sinceCheck++;
                    return i + 1;
                }
                emit(Op.LOCAL_SET);
                emit(slot);
            }
            case LOCAL_TEE -> { emit(Op.LOCAL_TEE); emit((int) ins.operand(0)); }
            case GLOBAL_GET -> { emit(Op.GLOBAL_GET); emit((int) ins.operand(0)); push(1); }
            case GLOBAL_SET -> { pop(1); emit(Op.GLOBAL_SET); emit((int) ins.operand(0)); }
            case I32_CONST, F32_CONST -> {
                int v = (int) ins.operand(0);
                AnnotatedInstruction next = next(code, i);
                if (op == OpCode.I32_CONST && next != null && next.opcode() == OpCode.I32_ADD) {
                    emit(Op.I32_ADD_CONST);
                    emit(v);
                    sinceCheck++;
                    return i + 1;
                }
                emit(Op.I32_CONST);
                emit(v);
                push(1);
            }
            case I64_CONST, F64_CONST -> { emitI64Const(ins.operand(0)); push(1); }
            case REF_NULL -> { emit(Op.I32_CONST); emit(-1); push(1); }
            case REF_FUNC -> { emit(Op.REF_FUNC); emit((int) ins.operand(0)); push(1); }
            case I32_REINTERPRET_F32, F32_REINTERPRET_I32, I64_REINTERPRET_F64, F64_REINTERPRET_I64 -> { }
            case I32_EQZ -> {
                AnnotatedInstruction next = next(code, i);
                if (next != null && next.opcode() == OpCode.BR_IF) {
                    Control c = label(next.operand(0));
                    if (height - 1 == c.height + c.arity()) {
                        pop(1);
                        emit(Op.BR_IF_EQZ);
                        emitTarget(c);
                        sinceCheck++;
                        return i + 1;
                    }
                }
                emit(Op.I32_EQZ);
            }
            case MEMORY_SIZE -> { emit(Op.MEMORY_SIZE); push(1); }
            case MEMORY_GROW -> emit(Op.MEMORY_GROW);
            case MEMORY_INIT -> { pop(3); emit(Op.MEMORY_INIT); emit((int) ins.operand(0)); }
            case DATA_DROP -> { emit(Op.DATA_DROP); emit((int) ins.operand(0)); }
            case TABLE_GET -> { emit(Op.TABLE_GET); emit((int) ins.operand(0)); }
            case TABLE_SET -> { pop(2); emit(Op.TABLE_SET); emit((int) ins.operand(0)); }
            case TABLE_SIZE -> { emit(Op.TABLE_SIZE); emit((int) ins.operand(0)); push(1); }
            case TABLE_GROW -> { pop(1); emit(Op.TABLE_GROW); emit((int) ins.operand(0)); }
            case TABLE_FILL -> { pop(3); emit(Op.TABLE_FILL); emit((int) ins.operand(0)); }
            case TABLE_COPY -> { pop(3); emit(Op.TABLE_COPY); emit((int) ins.operand(0)); emit((int) ins.operand(1)); }
            case TABLE_INIT -> { pop(3); emit(Op.TABLE_INIT); emit((int) ins.operand(0)); emit((int) ins.operand(1)); }
            case ELEM_DROP -> { emit(Op.ELEM_DROP); emit((int) ins.operand(0)); }
            default -> simple(ins, op);
        }
        return i;
    }

    private int localGet(List<AnnotatedInstruction> code, int i, int slot) {
        AnnotatedInstruction next = next(code, i);
        if (next != null && next.opcode() == OpCode.LOCAL_GET) {
            emit(Op.LOCAL_GET2);
            emit(slot);
            emit((int) next.operand(0));
            push(2);
            sinceCheck++;
            return i + 1;
        }
        if (next != null && next.opcode() == OpCode.I32_CONST) {
            AnnotatedInstruction third = i + 2 < code.size() ? code.get(i + 2) : null;
            if (third != null && third.opcode() == OpCode.I32_ADD) {
                emit(Op.LOCAL_GET_I32_CONST_ADD);
                emit(slot);
                emit((int) next.operand(0));
                push(1);
                sinceCheck += 2;
                return i + 2;
            }
        }
        emit(Op.LOCAL_GET);
        emit(slot);
        push(1);
        return i;
    }

    private static AnnotatedInstruction next(List<AnnotatedInstruction> code, int i) {
        return i + 1 < code.size() ? code.get(i + 1) : null;
    }

    private void simple(AnnotatedInstruction ins, OpCode op) throws UnsupportedFeatureException {
        SimpleOps.Entry e = SimpleOps.MAP.get(op);
        if (e == null) throw new UnsupportedFeatureException(featureOf(op));
        pop(e.pops());
        emit(e.op());
        if (e.memarg()) emit((int) ins.operand(1));
        push(e.pushes());
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

    private Control label(long depth) {
        return controls.get(controls.size() - 1 - (int) depth);
    }

    private void branch(int plain, int move, Control c) {
        int arity = c.arity();
        boolean inPlace = height == c.height + arity;
        emit(inPlace ? plain : move);
        emitTarget(c);
        if (!inPlace) {
            emit(arity);
            emit(numLocals + c.height + arity);
        }
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
        if (!c.unreachable) {
            emit(Op.BR);
            c.fixups.add(out.size());
            out.add(-1);
        }
        out.set(c.elseFixup, out.size());
        c.elseFixup = -1;
        height = c.height + c.params;
        c.unreachable = false;
    }

    private void end() {
        Control c = controls.removeLast();
        int here = out.size();
        if (c.elseFixup >= 0) out.set(c.elseFixup, here);
        for (int pos : c.fixups) out.set(pos, here);
        height = c.height + c.results;
        if (c.kind == FUNCTION) {
            emit(Op.RETURN);
            emit(c.results);
        }
    }

    private void markUnreachable(Control c) {
        c.unreachable = true;
        height = c.height;
    }

    private void emitCheck() {
        patchCheck();
        emit(Op.CHECK);
        checkPos = out.size();
        emit(0);
        sinceCheck = 0;
    }

    private void patchCheck() {
        if (checkPos >= 0) out.set(checkPos, Math.max(1, sinceCheck));
    }

    private void emitI64Const(long v) {
        emit(Op.I64_CONST);
        emit((int) (v >>> 32));
        emit((int) v);
    }

    private void emit(int v) {
        out.add(v);
    }

    private void pop(int n) {
        height -= n;
    }

    private void push(int n) {
        height += n;
        if (height > maxHeight) maxHeight = height;
    }
}
