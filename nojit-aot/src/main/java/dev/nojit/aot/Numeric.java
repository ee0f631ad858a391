package dev.nojit.aot;

import static dev.nojit.aot.ModuleInfo.CD_OPS;
import static java.lang.constant.ConstantDescs.CD_double;
import static java.lang.constant.ConstantDescs.CD_float;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;

import com.dylibso.chicory.wasm.types.OpCode;
import dev.nojit.engine.ValType;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Opcode;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;

/**
 * The numeric instructions: JVM arithmetic where Java's semantics are WebAssembly's (integer wrap-around,
 * shifts masked by the width, IEEE float arithmetic), {@link dev.nojit.engine.AotOps} where they are not
 * (trapping division and truncation, bitwise float sign operations, NaN-propagating min/max, rounding).
 * Comparisons leave a branch condition ({@link FunctionCompiler#condition}).
 */
final class Numeric {
    private static final ClassDesc CD_INTEGER = ClassDesc.of("java.lang.Integer");
    private static final ClassDesc CD_LONG_CLASS = ClassDesc.of("java.lang.Long");
    private static final ClassDesc CD_MATH = ClassDesc.of("java.lang.Math");
    private static final MethodTypeDesc II_I = MethodTypeDesc.of(CD_int, CD_int, CD_int);
    private static final MethodTypeDesc JJ_J = MethodTypeDesc.of(CD_long, CD_long, CD_long);
    private static final MethodTypeDesc I_I = MethodTypeDesc.of(CD_int, CD_int);
    private static final MethodTypeDesc J_I = MethodTypeDesc.of(CD_int, CD_long);
    private static final MethodTypeDesc F_F = MethodTypeDesc.of(CD_float, CD_float);
    private static final MethodTypeDesc D_D = MethodTypeDesc.of(CD_double, CD_double);
    private static final MethodTypeDesc FF_F = MethodTypeDesc.of(CD_float, CD_float, CD_float);
    private static final MethodTypeDesc DD_D = MethodTypeDesc.of(CD_double, CD_double, CD_double);

    private Numeric() {}

    /** Emits {@code op} if it is a numeric instruction; false otherwise. */
    static boolean emit(FunctionCompiler f, OpCode op, boolean branchNext) {
        CodeBuilder cb = f.code();
        switch (op) {
            // ---- i32 ----
            case I32_EQZ -> { f.pop(); f.condition(Opcode.IFEQ, branchNext); }
            case I32_EQ -> i32Compare(f, Opcode.IF_ICMPEQ, branchNext);
            case I32_NE -> i32Compare(f, Opcode.IF_ICMPNE, branchNext);
            case I32_LT_S -> i32Compare(f, Opcode.IF_ICMPLT, branchNext);
            case I32_GT_S -> i32Compare(f, Opcode.IF_ICMPGT, branchNext);
            case I32_LE_S -> i32Compare(f, Opcode.IF_ICMPLE, branchNext);
            case I32_GE_S -> i32Compare(f, Opcode.IF_ICMPGE, branchNext);
            // unsigned: both biased by 2^31, the second one first, so the comparison reads mirrored
            case I32_LT_U -> i32Unsigned(f, Opcode.IF_ICMPGT, branchNext);
            case I32_GT_U -> i32Unsigned(f, Opcode.IF_ICMPLT, branchNext);
            case I32_LE_U -> i32Unsigned(f, Opcode.IF_ICMPGE, branchNext);
            case I32_GE_U -> i32Unsigned(f, Opcode.IF_ICMPLE, branchNext);
            case I32_CLZ -> unary(f, ValType.I32, () -> cb.invokestatic(CD_INTEGER, "numberOfLeadingZeros", I_I));
            case I32_CTZ -> unary(f, ValType.I32, () -> cb.invokestatic(CD_INTEGER, "numberOfTrailingZeros", I_I));
            case I32_POPCNT -> unary(f, ValType.I32, () -> cb.invokestatic(CD_INTEGER, "bitCount", I_I));
            case I32_ADD -> binary(f, ValType.I32, cb::iadd);
            case I32_SUB -> binary(f, ValType.I32, cb::isub);
            case I32_MUL -> binary(f, ValType.I32, cb::imul);
            case I32_DIV_S -> binary(f, ValType.I32, () -> cb.invokestatic(CD_OPS, "i32DivS", II_I));
            case I32_DIV_U -> binary(f, ValType.I32, () -> cb.invokestatic(CD_OPS, "i32DivU", II_I));
            case I32_REM_S -> binary(f, ValType.I32, () -> cb.invokestatic(CD_OPS, "i32RemS", II_I));
            case I32_REM_U -> binary(f, ValType.I32, () -> cb.invokestatic(CD_OPS, "i32RemU", II_I));
            case I32_AND -> binary(f, ValType.I32, cb::iand);
            case I32_OR -> binary(f, ValType.I32, cb::ior);
            case I32_XOR -> binary(f, ValType.I32, cb::ixor);
            case I32_SHL -> binary(f, ValType.I32, cb::ishl);
            case I32_SHR_S -> binary(f, ValType.I32, cb::ishr);
            case I32_SHR_U -> binary(f, ValType.I32, cb::iushr);
            case I32_ROTL -> binary(f, ValType.I32, () -> cb.invokestatic(CD_INTEGER, "rotateLeft", II_I));
            case I32_ROTR -> binary(f, ValType.I32, () -> cb.invokestatic(CD_INTEGER, "rotateRight", II_I));
            // ---- i64 ----
            case I64_EQZ -> { f.pop(); cb.lconst_0().lcmp(); f.condition(Opcode.IFEQ, branchNext); }
            case I64_EQ -> i64Compare(f, Opcode.IFEQ, branchNext);
            case I64_NE -> i64Compare(f, Opcode.IFNE, branchNext);
            case I64_LT_S -> i64Compare(f, Opcode.IFLT, branchNext);
            case I64_GT_S -> i64Compare(f, Opcode.IFGT, branchNext);
            case I64_LE_S -> i64Compare(f, Opcode.IFLE, branchNext);
            case I64_GE_S -> i64Compare(f, Opcode.IFGE, branchNext);
            case I64_LT_U -> i64Unsigned(f, Opcode.IFGT, branchNext);
            case I64_GT_U -> i64Unsigned(f, Opcode.IFLT, branchNext);
            case I64_LE_U -> i64Unsigned(f, Opcode.IFGE, branchNext);
            case I64_GE_U -> i64Unsigned(f, Opcode.IFLE, branchNext);
            case I64_CLZ -> unary(f, ValType.I64, () -> cb.invokestatic(CD_LONG_CLASS, "numberOfLeadingZeros", J_I).i2l());
            case I64_CTZ -> unary(f, ValType.I64, () -> cb.invokestatic(CD_LONG_CLASS, "numberOfTrailingZeros", J_I).i2l());
            case I64_POPCNT -> unary(f, ValType.I64, () -> cb.invokestatic(CD_LONG_CLASS, "bitCount", J_I).i2l());
            case I64_ADD -> binary(f, ValType.I64, cb::ladd);
            case I64_SUB -> binary(f, ValType.I64, cb::lsub);
            case I64_MUL -> binary(f, ValType.I64, cb::lmul);
            case I64_DIV_S -> binary(f, ValType.I64, () -> cb.invokestatic(CD_OPS, "i64DivS", JJ_J));
            case I64_DIV_U -> binary(f, ValType.I64, () -> cb.invokestatic(CD_OPS, "i64DivU", JJ_J));
            case I64_REM_S -> binary(f, ValType.I64, () -> cb.invokestatic(CD_OPS, "i64RemS", JJ_J));
            case I64_REM_U -> binary(f, ValType.I64, () -> cb.invokestatic(CD_OPS, "i64RemU", JJ_J));
            case I64_AND -> binary(f, ValType.I64, cb::land);
            case I64_OR -> binary(f, ValType.I64, cb::lor);
            case I64_XOR -> binary(f, ValType.I64, cb::lxor);
            case I64_SHL -> binary(f, ValType.I64, () -> cb.l2i().lshl());
            case I64_SHR_S -> binary(f, ValType.I64, () -> cb.l2i().lshr());
            case I64_SHR_U -> binary(f, ValType.I64, () -> cb.l2i().lushr());
            case I64_ROTL -> binary(f, ValType.I64, () -> cb.l2i().invokestatic(CD_LONG_CLASS, "rotateLeft", MethodTypeDesc.of(CD_long, CD_long, CD_int)));
            case I64_ROTR -> binary(f, ValType.I64, () -> cb.l2i().invokestatic(CD_LONG_CLASS, "rotateRight", MethodTypeDesc.of(CD_long, CD_long, CD_int)));
            // ---- integer conversions ----
            case I32_WRAP_I64 -> convert(f, ValType.I32, cb::l2i);
            case I64_EXTEND_I32_S -> convert(f, ValType.I64, cb::i2l);
            case I64_EXTEND_I32_U -> convert(f, ValType.I64, () -> cb.i2l().ldc(cb.constantPool().longEntry(0xFFFF_FFFFL)).land());
            case I32_EXTEND_8_S -> convert(f, ValType.I32, cb::i2b);
            case I32_EXTEND_16_S -> convert(f, ValType.I32, cb::i2s);
            case I64_EXTEND_8_S -> convert(f, ValType.I64, () -> cb.l2i().i2b().i2l());
            case I64_EXTEND_16_S -> convert(f, ValType.I64, () -> cb.l2i().i2s().i2l());
            case I64_EXTEND_32_S -> convert(f, ValType.I64, () -> cb.l2i().i2l());
            // ---- f32 ----
            case F32_ADD -> binary(f, ValType.F32, cb::fadd);
            case F32_SUB -> binary(f, ValType.F32, cb::fsub);
            case F32_MUL -> binary(f, ValType.F32, cb::fmul);
            case F32_DIV -> binary(f, ValType.F32, cb::fdiv);
            case F32_MIN -> binary(f, ValType.F32, () -> cb.invokestatic(CD_OPS, "f32Min", FF_F));
            case F32_MAX -> binary(f, ValType.F32, () -> cb.invokestatic(CD_OPS, "f32Max", FF_F));
            case F32_COPYSIGN -> binary(f, ValType.F32, () -> cb.invokestatic(CD_OPS, "f32Copysign", FF_F));
            case F32_ABS -> unary(f, ValType.F32, () -> cb.invokestatic(CD_OPS, "f32Abs", F_F));
            case F32_NEG -> unary(f, ValType.F32, () -> cb.invokestatic(CD_OPS, "f32Neg", F_F));
            case F32_SQRT -> unary(f, ValType.F32, () -> cb.invokestatic(CD_OPS, "f32Sqrt", F_F));
            case F32_CEIL -> unary(f, ValType.F32, () -> cb.invokestatic(CD_OPS, "f32Ceil", F_F));
            case F32_FLOOR -> unary(f, ValType.F32, () -> cb.invokestatic(CD_OPS, "f32Floor", F_F));
            case F32_TRUNC -> unary(f, ValType.F32, () -> cb.invokestatic(CD_OPS, "f32Trunc", F_F));
            case F32_NEAREST -> unary(f, ValType.F32, () -> cb.invokestatic(CD_OPS, "f32Nearest", F_F));
            case F32_EQ -> floatCompare(f, false, Opcode.IFEQ, branchNext);
            case F32_NE -> floatCompare(f, false, Opcode.IFNE, branchNext);
            case F32_LT -> floatCompare(f, true, Opcode.IFLT, branchNext);
            case F32_GT -> floatCompare(f, false, Opcode.IFGT, branchNext);
            case F32_LE -> floatCompare(f, true, Opcode.IFLE, branchNext);
            case F32_GE -> floatCompare(f, false, Opcode.IFGE, branchNext);
            // ---- f64 ----
            case F64_ADD -> binary(f, ValType.F64, cb::dadd);
            case F64_SUB -> binary(f, ValType.F64, cb::dsub);
            case F64_MUL -> binary(f, ValType.F64, cb::dmul);
            case F64_DIV -> binary(f, ValType.F64, cb::ddiv);
            case F64_MIN -> binary(f, ValType.F64, () -> cb.invokestatic(CD_OPS, "f64Min", DD_D));
            case F64_MAX -> binary(f, ValType.F64, () -> cb.invokestatic(CD_OPS, "f64Max", DD_D));
            case F64_COPYSIGN -> binary(f, ValType.F64, () -> cb.invokestatic(CD_OPS, "f64Copysign", DD_D));
            case F64_ABS -> unary(f, ValType.F64, () -> cb.invokestatic(CD_OPS, "f64Abs", D_D));
            case F64_NEG -> unary(f, ValType.F64, () -> cb.invokestatic(CD_OPS, "f64Neg", D_D));
            case F64_SQRT -> unary(f, ValType.F64, () -> cb.invokestatic(CD_MATH, "sqrt", D_D));
            case F64_CEIL -> unary(f, ValType.F64, () -> cb.invokestatic(CD_OPS, "f64Ceil", D_D));
            case F64_FLOOR -> unary(f, ValType.F64, () -> cb.invokestatic(CD_OPS, "f64Floor", D_D));
            case F64_TRUNC -> unary(f, ValType.F64, () -> cb.invokestatic(CD_OPS, "f64Trunc", D_D));
            case F64_NEAREST -> unary(f, ValType.F64, () -> cb.invokestatic(CD_OPS, "f64Nearest", D_D));
            case F64_EQ -> floatCompare(f, false, Opcode.IFEQ, branchNext);
            case F64_NE -> floatCompare(f, false, Opcode.IFNE, branchNext);
            case F64_LT -> floatCompare(f, true, Opcode.IFLT, branchNext);
            case F64_GT -> floatCompare(f, false, Opcode.IFGT, branchNext);
            case F64_LE -> floatCompare(f, true, Opcode.IFLE, branchNext);
            case F64_GE -> floatCompare(f, false, Opcode.IFGE, branchNext);
            // ---- float conversions ----
            case I32_TRUNC_F32_S -> ops(f, ValType.I32, "i32TruncF32S", CD_int, CD_float);
            case I32_TRUNC_F32_U -> ops(f, ValType.I32, "i32TruncF32U", CD_int, CD_float);
            case I32_TRUNC_F64_S -> ops(f, ValType.I32, "i32TruncF64S", CD_int, CD_double);
            case I32_TRUNC_F64_U -> ops(f, ValType.I32, "i32TruncF64U", CD_int, CD_double);
            case I64_TRUNC_F32_S -> ops(f, ValType.I64, "i64TruncF32S", CD_long, CD_float);
            case I64_TRUNC_F32_U -> ops(f, ValType.I64, "i64TruncF32U", CD_long, CD_float);
            case I64_TRUNC_F64_S -> ops(f, ValType.I64, "i64TruncF64S", CD_long, CD_double);
            case I64_TRUNC_F64_U -> ops(f, ValType.I64, "i64TruncF64U", CD_long, CD_double);
            case I32_TRUNC_SAT_F32_S -> { cb.f2d(); ops(f, ValType.I32, "i32TruncSatS", CD_int, CD_double); }
            case I32_TRUNC_SAT_F32_U -> { cb.f2d(); ops(f, ValType.I32, "i32TruncSatU", CD_int, CD_double); }
            case I32_TRUNC_SAT_F64_S -> ops(f, ValType.I32, "i32TruncSatS", CD_int, CD_double);
            case I32_TRUNC_SAT_F64_U -> ops(f, ValType.I32, "i32TruncSatU", CD_int, CD_double);
            case I64_TRUNC_SAT_F32_S -> { cb.f2d(); ops(f, ValType.I64, "i64TruncSatS", CD_long, CD_double); }
            case I64_TRUNC_SAT_F32_U -> { cb.f2d(); ops(f, ValType.I64, "i64TruncSatU", CD_long, CD_double); }
            case I64_TRUNC_SAT_F64_S -> ops(f, ValType.I64, "i64TruncSatS", CD_long, CD_double);
            case I64_TRUNC_SAT_F64_U -> ops(f, ValType.I64, "i64TruncSatU", CD_long, CD_double);
            case F32_CONVERT_I32_S -> convert(f, ValType.F32, cb::i2f);
            case F32_CONVERT_I32_U -> convert(f, ValType.F32, () -> cb.i2l().ldc(cb.constantPool().longEntry(0xFFFF_FFFFL)).land().l2f());
            case F32_CONVERT_I64_S -> convert(f, ValType.F32, cb::l2f);
            case F32_CONVERT_I64_U -> ops(f, ValType.F32, "f32ConvertI64U", CD_float, CD_long);
            case F32_DEMOTE_F64 -> convert(f, ValType.F32, cb::d2f);
            case F64_CONVERT_I32_S -> convert(f, ValType.F64, cb::i2d);
            case F64_CONVERT_I32_U -> convert(f, ValType.F64, () -> cb.i2l().ldc(cb.constantPool().longEntry(0xFFFF_FFFFL)).land().l2d());
            case F64_CONVERT_I64_S -> convert(f, ValType.F64, cb::l2d);
            case F64_CONVERT_I64_U -> ops(f, ValType.F64, "f64ConvertI64U", CD_double, CD_long);
            case F64_PROMOTE_F32 -> convert(f, ValType.F64, cb::f2d);
            default -> {
                return false;
            }
        }
        return true;
    }

    private static void unary(FunctionCompiler f, ValType t, Runnable code) {
        f.pop();
        code.run();
        f.push(t);
    }

    private static void convert(FunctionCompiler f, ValType result, Runnable code) {
        f.pop();
        code.run();
        f.push(result);
    }

    private static void binary(FunctionCompiler f, ValType t, Runnable code) {
        f.pop();
        f.pop();
        code.run();
        f.push(t);
    }

    private static void ops(FunctionCompiler f, ValType result, String name, ClassDesc ret, ClassDesc param) {
        f.pop();
        f.code().invokestatic(CD_OPS, name, MethodTypeDesc.of(ret, param));
        f.push(result);
    }

    private static void i32Compare(FunctionCompiler f, Opcode branch, boolean branchNext) {
        f.pop();
        f.pop();
        f.condition(branch, branchNext);
    }

    private static void i32Unsigned(FunctionCompiler f, Opcode mirrored, boolean branchNext) {
        CodeBuilder cb = f.code();
        cb.ldc(cb.constantPool().intEntry(Integer.MIN_VALUE)).ixor().swap().ldc(cb.constantPool().intEntry(Integer.MIN_VALUE)).ixor();
        i32Compare(f, mirrored, branchNext);
    }

    private static void i64Compare(FunctionCompiler f, Opcode branch, boolean branchNext) {
        f.pop();
        f.pop();
        f.code().lcmp();
        f.condition(branch, branchNext);
    }

    private static void i64Unsigned(FunctionCompiler f, Opcode mirrored, boolean branchNext) {
        CodeBuilder cb = f.code();
        cb.ldc(cb.constantPool().longEntry(Long.MIN_VALUE)).lxor().dup2_x2().pop2().ldc(cb.constantPool().longEntry(Long.MIN_VALUE)).lxor();
        i64Compare(f, mirrored, branchNext);
    }

    /** fcmpg/dcmpg for less-than tests (NaN compares greater: false), fcmpl/dcmpl otherwise (NaN compares less). */
    private static void floatCompare(FunctionCompiler f, boolean g, Opcode branch, boolean branchNext) {
        ValType t = f.pop();
        f.pop();
        CodeBuilder cb = f.code();
        if (t == ValType.F32) {
            if (g) cb.fcmpg(); else cb.fcmpl();
        } else {
            if (g) cb.dcmpg(); else cb.dcmpl();
        }
        f.condition(branch, branchNext);
    }
}
