package dev.nojit.aot;

import static dev.nojit.aot.ModuleInfo.CD_CONTEXT;
import static dev.nojit.aot.ModuleInfo.CD_OPS;
import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_double;
import static java.lang.constant.ConstantDescs.CD_float;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;

import com.dylibso.chicory.wasm.types.AnnotatedInstruction;
import com.dylibso.chicory.wasm.types.OpCode;
import dev.nojit.engine.ValType;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;

/**
 * Loads, stores and atomics: a call of an {@link dev.nojit.engine.AotOps} helper with the address, the value,
 * the memory array (the function's local, reloaded after anything that may grow memory) and the offset
 * immediate. memory.atomic.wait/notify check their address with AotOps and go through the context.
 */
final class MemoryOps {
    private static final ClassDesc B = FunctionCompiler.CD_BYTE_ARRAY;

    private MemoryOps() {}

    static boolean emit(FunctionCompiler f, AnnotatedInstruction ins, OpCode op) {
        switch (op) {
            case I32_LOAD -> load(f, ins, "i32Load", CD_int, ValType.I32, null);
            case I64_LOAD -> load(f, ins, "i64Load", CD_long, ValType.I64, null);
            case F32_LOAD -> load(f, ins, "f32Load", CD_float, ValType.F32, null);
            case F64_LOAD -> load(f, ins, "f64Load", CD_double, ValType.F64, null);
            case I32_LOAD8_S -> load(f, ins, "i32Load8S", CD_int, ValType.I32, null);
            case I32_LOAD8_U -> load(f, ins, "i32Load8U", CD_int, ValType.I32, null);
            case I32_LOAD16_S -> load(f, ins, "i32Load16S", CD_int, ValType.I32, null);
            case I32_LOAD16_U -> load(f, ins, "i32Load16U", CD_int, ValType.I32, null);
            case I64_LOAD8_S -> load(f, ins, "i32Load8S", CD_int, ValType.I64, f.code()::i2l);
            case I64_LOAD8_U -> load(f, ins, "i32Load8U", CD_int, ValType.I64, f.code()::i2l);
            case I64_LOAD16_S -> load(f, ins, "i32Load16S", CD_int, ValType.I64, f.code()::i2l);
            case I64_LOAD16_U -> load(f, ins, "i32Load16U", CD_int, ValType.I64, f.code()::i2l);
            case I64_LOAD32_S -> load(f, ins, "i32Load", CD_int, ValType.I64, f.code()::i2l);
            case I64_LOAD32_U -> load(f, ins, "i32Load", CD_int, ValType.I64,
                    () -> f.code().i2l().ldc(f.code().constantPool().longEntry(0xFFFF_FFFFL)).land());
            case I32_STORE -> store(f, ins, "i32Store", CD_int, false);
            case I64_STORE -> store(f, ins, "i64Store", CD_long, false);
            case F32_STORE -> store(f, ins, "f32Store", CD_float, false);
            case F64_STORE -> store(f, ins, "f64Store", CD_double, false);
            case I32_STORE8 -> store(f, ins, "i32Store8", CD_int, false);
            case I32_STORE16 -> store(f, ins, "i32Store16", CD_int, false);
            case I64_STORE8 -> store(f, ins, "i32Store8", CD_int, true);
            case I64_STORE16 -> store(f, ins, "i32Store16", CD_int, true);
            case I64_STORE32 -> store(f, ins, "i32Store", CD_int, true);
            case ATOMIC_FENCE -> f.code().invokestatic(CD_OPS, "fence", MethodTypeDesc.of(CD_void));
            case MEM_ATOMIC_NOTIFY -> notify(f, ins);
            case MEM_ATOMIC_WAIT32 -> await(f, ins, false);
            case MEM_ATOMIC_WAIT64 -> await(f, ins, true);
            default -> {
                return atomic(f, ins, op);
            }
        }
        return true;
    }

    private static int offset(AnnotatedInstruction ins) {
        return (int) ins.operand(1);
    }

    private static void load(FunctionCompiler f, AnnotatedInstruction ins, String helper, ClassDesc ret, ValType result, Runnable widen) {
        CodeBuilder cb = f.code();
        f.pop();
        f.loadMemory();
        cb.loadConstant(offset(ins)).invokestatic(CD_OPS, helper, MethodTypeDesc.of(ret, CD_int, B, CD_int));
        if (widen != null) widen.run();
        f.push(result);
    }

    private static void store(FunctionCompiler f, AnnotatedInstruction ins, String helper, ClassDesc value, boolean wrap) {
        CodeBuilder cb = f.code();
        f.pop();
        f.pop();
        if (wrap) cb.l2i();
        f.loadMemory();
        cb.loadConstant(offset(ins)).invokestatic(CD_OPS, helper, MethodTypeDesc.of(CD_void, CD_int, value, B, CD_int));
    }

    /** Atomic loads, stores, read-modify-writes and compare-exchanges, decoded from the opcode's name. */
    private static boolean atomic(FunctionCompiler f, AnnotatedInstruction ins, OpCode op) {
        String n = op.name();
        if (!n.contains("_ATOMIC_")) return false;
        boolean i64 = n.startsWith("I64");
        ClassDesc vt = i64 ? CD_long : CD_int;
        ValType t = i64 ? ValType.I64 : ValType.I32;
        String p = i64 ? "i64" : "i32";
        CodeBuilder cb = f.code();
        int width = width(n, i64);
        if (n.contains("_ATOMIC_LOAD")) {
            f.pop();
            f.loadMemory();
            cb.loadConstant(offset(ins)).loadConstant(width);
            cb.invokestatic(CD_OPS, p + "AtomicLoad", MethodTypeDesc.of(vt, CD_int, B, CD_int, CD_int));
            f.push(t);
        } else if (n.contains("_ATOMIC_STORE")) {
            f.pop();
            f.pop();
            f.loadMemory();
            cb.loadConstant(offset(ins)).loadConstant(width);
            cb.invokestatic(CD_OPS, p + "AtomicStore", MethodTypeDesc.of(CD_void, CD_int, vt, B, CD_int, CD_int));
        } else if (n.endsWith("_CMPXCHG") || n.endsWith("_CMPXCHG_U")) {
            f.pop();
            f.pop();
            f.pop();
            f.loadMemory();
            cb.loadConstant(offset(ins)).loadConstant(width);
            cb.invokestatic(CD_OPS, p + "AtomicCmpxchg", MethodTypeDesc.of(vt, CD_int, vt, vt, B, CD_int, CD_int));
            f.push(t);
        } else {
            int kind = rmwKind(n);
            if (kind < 0) return false;
            f.pop();
            f.pop();
            f.loadMemory();
            cb.loadConstant(offset(ins)).loadConstant(width).loadConstant(kind);
            cb.invokestatic(CD_OPS, p + "AtomicRmw", MethodTypeDesc.of(vt, CD_int, vt, B, CD_int, CD_int, CD_int));
            f.push(t);
        }
        return true;
    }

    /** Bytes accessed: LOAD8/STORE8/RMW8 one, ...16 two, ...32 four, otherwise the type's width. */
    private static int width(String n, boolean i64) {
        if (n.matches(".*_(LOAD|STORE|RMW)8(_.*)?$")) return 1;
        if (n.matches(".*_(LOAD|STORE|RMW)16(_.*)?$")) return 2;
        if (n.matches(".*_(LOAD|STORE|RMW)32(_.*)?$")) return 4;
        return i64 ? 8 : 4;
    }

    /** AotOps' kinds: 0 add, 1 sub, 2 and, 3 or, 4 xor, 5 xchg. */
    private static int rmwKind(String n) {
        String k = n.replaceFirst("_U$", "");
        k = k.substring(k.lastIndexOf('_') + 1);
        return switch (k) {
            case "ADD" -> 0;
            case "SUB" -> 1;
            case "AND" -> 2;
            case "OR" -> 3;
            case "XOR" -> 4;
            case "XCHG" -> 5;
            default -> -1;
        };
    }

    private static void notify(FunctionCompiler f, AnnotatedInstruction ins) {
        CodeBuilder cb = f.code();
        f.pop();
        int count = f.spillOne(ValType.I32);
        f.pop();
        f.loadMemory();
        cb.loadConstant(offset(ins)).iconst_4().invokestatic(CD_OPS, "atomicAddress", MethodTypeDesc.of(CD_int, CD_int, B, CD_int, CD_int));
        int ea = f.temp(TypeKind.INT);
        cb.istore(ea);
        cb.aload(f.cxSlot()).iload(ea).iload(count).invokevirtual(CD_CONTEXT, "atomicNotify", MethodTypeDesc.of(CD_int, CD_int, CD_int));
        f.push(ValType.I32);
    }

    private static void await(FunctionCompiler f, AnnotatedInstruction ins, boolean wide) {
        CodeBuilder cb = f.code();
        f.pop();
        int timeout = f.spillOne(ValType.I64);
        ValType et = f.pop();
        int expected = f.spillOne(et);
        f.pop();
        f.loadMemory();
        cb.loadConstant(offset(ins)).loadConstant(wide ? 8 : 4).invokestatic(CD_OPS, "atomicAddress", MethodTypeDesc.of(CD_int, CD_int, B, CD_int, CD_int));
        int ea = f.temp(TypeKind.INT);
        cb.istore(ea);
        cb.aload(f.cxSlot()).iload(ea);
        if (wide) cb.lload(expected);
        else cb.iload(expected).i2l();
        cb.lload(timeout).loadConstant(wide ? 1 : 0);
        cb.invokevirtual(CD_CONTEXT, "atomicWait", MethodTypeDesc.of(CD_int, CD_int, CD_long, CD_long, CD_boolean));
        f.push(ValType.I32);
        f.reloadMemory();
    }
}
