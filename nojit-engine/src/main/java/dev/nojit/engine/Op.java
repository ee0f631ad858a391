package dev.nojit.engine;

/**
 * The engine's own instruction set: dense opcodes of the pre-decoded code ({@code int[]} per function, an
 * opcode followed by its immediates). Numeric, memory and atomic instructions keep their WebAssembly names;
 * control flow is resolved to absolute targets and stack moves by {@link Translator}. Opcodes below
 * {@link #SLOW_BASE} run in the interpreter's main loop, the rest in its out-of-line path, which keeps the
 * main loop small enough for the JVM to compile it well.
 *
 * <p>The code is register-based: an operand is a slot of the frame (locals first, then the function's
 * constants, then one home slot per operand-stack height), so most instructions read and write slots
 * directly instead of pushing and popping. Main-loop instructions: numeric {@code op dst a [b]}; loads
 * {@code op dst addr offset}; stores {@code op addr value offset}; MOV dst src; SELECT dst a b cond;
 * GLOBAL_GET dst g; GLOBAL_SET g src; BR t; BR_IF cond t; BR_IF_EQZ cond t; BR_IF_I32_cmp a b t;
 * BR_TABLE index n t*(n+1); RETURN n src; CALL f top; CALL_INDIRECT type table index top; CHECK cost top;
 * MOVS n (dst src)*n, a run of moves done in order; BR_LOOP t, a branch to a loop header t (its CHECK) that
 * does that CHECK itself and continues after it, or goes to it when it must stop.
 * Variants ending in _I take their second operand as an immediate i32 instead of a slot: op dst a imm and
 * BR_IF_I32_cmp_I a imm t; I32_XOR_ROTL_I and I32_XOR_SHR_U_I dst a x imm (a shift feeding an xor, fused).
 * Out-of-line instructions work on the operand stack: {@code op top [immediates]}, where top is the slot
 * just above their operands; immediates: memarg offset; MEMORY_INIT seg; DATA_DROP seg; TABLE_GET, SET,
 * SIZE, GROW, FILL table; TABLE_COPY dst src; TABLE_INIT elem table; ELEM_DROP elem; REF_FUNC f.
 */
final class Op {
    static final int UNREACHABLE = 0;
    static final int BR = 1;
    static final int BR_IF = 2;
    static final int BR_IF_EQZ = 3;
    static final int BR_TABLE = 4;
    static final int RETURN = 5;
    static final int CALL = 6;
    static final int CALL_INDIRECT = 7;
    static final int CHECK = 8;
    static final int MOV = 9;
    static final int SELECT = 10;
    static final int GLOBAL_GET = 11;
    static final int GLOBAL_SET = 12;
    static final int BR_IF_I32_EQ = 13;
    static final int BR_IF_I32_NE = 14;
    static final int BR_IF_I32_LT_S = 15;
    static final int BR_IF_I32_LT_U = 16;
    static final int BR_IF_I32_GT_S = 17;
    static final int BR_IF_I32_GT_U = 18;
    static final int BR_IF_I32_LE_S = 19;
    static final int BR_IF_I32_LE_U = 20;
    static final int BR_IF_I32_GE_S = 21;
    static final int BR_IF_I32_GE_U = 22;
    static final int I32_ADD_I = 23;
    static final int I32_SUB_I = 24;
    static final int I32_MUL_I = 25;
    static final int I32_AND_I = 26;
    static final int I32_OR_I = 27;
    static final int I32_XOR_I = 28;
    static final int I32_SHL_I = 29;
    static final int I32_SHR_S_I = 30;
    static final int I32_SHR_U_I = 31;
    static final int I32_ROTL_I = 32;
    static final int I32_ROTR_I = 33;
    static final int BR_IF_I32_EQ_I = 34;
    static final int BR_IF_I32_NE_I = 35;
    static final int BR_IF_I32_LT_S_I = 36;
    static final int BR_IF_I32_LT_U_I = 37;
    static final int BR_IF_I32_GT_S_I = 38;
    static final int BR_IF_I32_GT_U_I = 39;
    static final int BR_IF_I32_LE_S_I = 40;
    static final int BR_IF_I32_LE_U_I = 41;
    static final int BR_IF_I32_GE_S_I = 42;
    static final int BR_IF_I32_GE_U_I = 43;
    static final int I32_EQZ = 44;
    static final int I64_EQZ = 45;
    static final int I32_CLZ = 46;
    static final int I32_CTZ = 47;
    static final int I32_POPCNT = 48;
    static final int I64_CLZ = 49;
    static final int I64_CTZ = 50;
    static final int I64_POPCNT = 51;
    static final int I32_EQ = 52;
    static final int I32_NE = 53;
    static final int I32_LT_S = 54;
    static final int I32_LT_U = 55;
    static final int I32_GT_S = 56;
    static final int I32_GT_U = 57;
    static final int I32_LE_S = 58;
    static final int I32_LE_U = 59;
    static final int I32_GE_S = 60;
    static final int I32_GE_U = 61;
    static final int I64_EQ = 62;
    static final int I64_NE = 63;
    static final int I64_LT_S = 64;
    static final int I64_LT_U = 65;
    static final int I64_GT_S = 66;
    static final int I64_GT_U = 67;
    static final int I64_LE_S = 68;
    static final int I64_LE_U = 69;
    static final int I64_GE_S = 70;
    static final int I64_GE_U = 71;
    static final int I32_ADD = 72;
    static final int I32_SUB = 73;
    static final int I32_MUL = 74;
    static final int I32_DIV_S = 75;
    static final int I32_DIV_U = 76;
    static final int I32_REM_S = 77;
    static final int I32_REM_U = 78;
    static final int I32_AND = 79;
    static final int I32_OR = 80;
    static final int I32_XOR = 81;
    static final int I32_SHL = 82;
    static final int I32_SHR_S = 83;
    static final int I32_SHR_U = 84;
    static final int I32_ROTL = 85;
    static final int I32_ROTR = 86;
    static final int I64_ADD = 87;
    static final int I64_SUB = 88;
    static final int I64_MUL = 89;
    static final int I64_DIV_S = 90;
    static final int I64_DIV_U = 91;
    static final int I64_REM_S = 92;
    static final int I64_REM_U = 93;
    static final int I64_AND = 94;
    static final int I64_OR = 95;
    static final int I64_XOR = 96;
    static final int I64_SHL = 97;
    static final int I64_SHR_S = 98;
    static final int I64_SHR_U = 99;
    static final int I64_ROTL = 100;
    static final int I64_ROTR = 101;
    static final int I32_WRAP_I64 = 102;
    static final int I64_EXTEND_I32_S = 103;
    static final int I64_EXTEND_I32_U = 104;
    static final int I32_EXTEND_8_S = 105;
    static final int I32_EXTEND_16_S = 106;
    static final int I64_EXTEND_8_S = 107;
    static final int I64_EXTEND_16_S = 108;
    static final int I64_EXTEND_32_S = 109;
    static final int F64_ADD = 110;
    static final int F64_SUB = 111;
    static final int F64_MUL = 112;
    static final int F64_DIV = 113;
    static final int F32_ADD = 114;
    static final int F32_SUB = 115;
    static final int F32_MUL = 116;
    static final int F32_DIV = 117;
    static final int F64_EQ = 118;
    static final int F64_NE = 119;
    static final int F64_LT = 120;
    static final int F64_GT = 121;
    static final int F64_LE = 122;
    static final int F64_GE = 123;
    static final int F32_EQ = 124;
    static final int F32_NE = 125;
    static final int F32_LT = 126;
    static final int F32_GT = 127;
    static final int F32_LE = 128;
    static final int F32_GE = 129;
    static final int I32_LOAD = 130;
    static final int I64_LOAD = 131;
    static final int F32_LOAD = 132;
    static final int F64_LOAD = 133;
    static final int I32_LOAD8_S = 134;
    static final int I32_LOAD8_U = 135;
    static final int I32_LOAD16_S = 136;
    static final int I32_LOAD16_U = 137;
    static final int I64_LOAD8_S = 138;
    static final int I64_LOAD8_U = 139;
    static final int I64_LOAD16_S = 140;
    static final int I64_LOAD16_U = 141;
    static final int I64_LOAD32_S = 142;
    static final int I64_LOAD32_U = 143;
    static final int I32_STORE = 144;
    static final int I64_STORE = 145;
    static final int F32_STORE = 146;
    static final int F64_STORE = 147;
    static final int I32_STORE8 = 148;
    static final int I32_STORE16 = 149;
    static final int I64_STORE8 = 150;
    static final int I64_STORE16 = 151;
    static final int I64_STORE32 = 152;
    static final int F64_ABS = 153;
    static final int F64_NEG = 154;
    static final int F64_SQRT = 155;
    static final int F64_CONVERT_I32_S = 156;
    static final int F64_CONVERT_I32_U = 157;
    static final int F64_PROMOTE_F32 = 158;
    /** First opcode handled outside the main loop. */
    /** MOVS n (dst src)*n: n moves in order, one dispatch (runs of moves with no branch target between). */
    static final int MOVS = 159;
    /** BR_LOOP t: a branch back to a loop header (the loop's CHECK at t), doing that CHECK on the way: one dispatch. */
    static final int BR_LOOP = 160;
    /** I32_XOR_ROTL_I dst a x n: dst = a ^ rotl(x, n), an i32.rotl (or rotr) by a constant feeding only an i32.xor (hashes). */
    static final int I32_XOR_ROTL_I = 161;
    /** I32_XOR_SHR_U_I dst a x n: dst = a ^ (x >>> n), the same for i32.shr_u. */
    static final int I32_XOR_SHR_U_I = 162;
    static final int SLOW_BASE = 163;
    static final int F32_ABS = 163;
    static final int F32_NEG = 164;
    static final int F32_CEIL = 165;
    static final int F32_FLOOR = 166;
    static final int F32_TRUNC = 167;
    static final int F32_NEAREST = 168;
    static final int F32_SQRT = 169;
    static final int F64_CEIL = 170;
    static final int F64_FLOOR = 171;
    static final int F64_TRUNC = 172;
    static final int F64_NEAREST = 173;
    static final int F32_MIN = 174;
    static final int F32_MAX = 175;
    static final int F32_COPYSIGN = 176;
    static final int F64_MIN = 177;
    static final int F64_MAX = 178;
    static final int F64_COPYSIGN = 179;
    static final int I32_TRUNC_F32_S = 180;
    static final int I32_TRUNC_F32_U = 181;
    static final int I32_TRUNC_F64_S = 182;
    static final int I32_TRUNC_F64_U = 183;
    static final int I64_TRUNC_F32_S = 184;
    static final int I64_TRUNC_F32_U = 185;
    static final int I64_TRUNC_F64_S = 186;
    static final int I64_TRUNC_F64_U = 187;
    static final int F32_CONVERT_I32_S = 188;
    static final int F32_CONVERT_I32_U = 189;
    static final int F32_CONVERT_I64_S = 190;
    static final int F32_CONVERT_I64_U = 191;
    static final int F32_DEMOTE_F64 = 192;
    static final int F64_CONVERT_I64_S = 193;
    static final int F64_CONVERT_I64_U = 194;
    static final int I32_TRUNC_SAT_F32_S = 195;
    static final int I32_TRUNC_SAT_F32_U = 196;
    static final int I32_TRUNC_SAT_F64_S = 197;
    static final int I32_TRUNC_SAT_F64_U = 198;
    static final int I64_TRUNC_SAT_F32_S = 199;
    static final int I64_TRUNC_SAT_F32_U = 200;
    static final int I64_TRUNC_SAT_F64_S = 201;
    static final int I64_TRUNC_SAT_F64_U = 202;
    static final int REF_IS_NULL = 203;
    static final int I32_ATOMIC_LOAD = 204;
    static final int I64_ATOMIC_LOAD = 205;
    static final int I32_ATOMIC_LOAD8_U = 206;
    static final int I32_ATOMIC_LOAD16_U = 207;
    static final int I64_ATOMIC_LOAD8_U = 208;
    static final int I64_ATOMIC_LOAD16_U = 209;
    static final int I64_ATOMIC_LOAD32_U = 210;
    static final int I32_ATOMIC_STORE = 211;
    static final int I64_ATOMIC_STORE = 212;
    static final int I32_ATOMIC_STORE8 = 213;
    static final int I32_ATOMIC_STORE16 = 214;
    static final int I64_ATOMIC_STORE8 = 215;
    static final int I64_ATOMIC_STORE16 = 216;
    static final int I64_ATOMIC_STORE32 = 217;
    static final int I32_ATOMIC_RMW_ADD = 218;
    static final int I64_ATOMIC_RMW_ADD = 219;
    static final int I32_ATOMIC_RMW8_ADD_U = 220;
    static final int I32_ATOMIC_RMW16_ADD_U = 221;
    static final int I64_ATOMIC_RMW8_ADD_U = 222;
    static final int I64_ATOMIC_RMW16_ADD_U = 223;
    static final int I64_ATOMIC_RMW32_ADD_U = 224;
    static final int I32_ATOMIC_RMW_SUB = 225;
    static final int I64_ATOMIC_RMW_SUB = 226;
    static final int I32_ATOMIC_RMW8_SUB_U = 227;
    static final int I32_ATOMIC_RMW16_SUB_U = 228;
    static final int I64_ATOMIC_RMW8_SUB_U = 229;
    static final int I64_ATOMIC_RMW16_SUB_U = 230;
    static final int I64_ATOMIC_RMW32_SUB_U = 231;
    static final int I32_ATOMIC_RMW_AND = 232;
    static final int I64_ATOMIC_RMW_AND = 233;
    static final int I32_ATOMIC_RMW8_AND_U = 234;
    static final int I32_ATOMIC_RMW16_AND_U = 235;
    static final int I64_ATOMIC_RMW8_AND_U = 236;
    static final int I64_ATOMIC_RMW16_AND_U = 237;
    static final int I64_ATOMIC_RMW32_AND_U = 238;
    static final int I32_ATOMIC_RMW_OR = 239;
    static final int I64_ATOMIC_RMW_OR = 240;
    static final int I32_ATOMIC_RMW8_OR_U = 241;
    static final int I32_ATOMIC_RMW16_OR_U = 242;
    static final int I64_ATOMIC_RMW8_OR_U = 243;
    static final int I64_ATOMIC_RMW16_OR_U = 244;
    static final int I64_ATOMIC_RMW32_OR_U = 245;
    static final int I32_ATOMIC_RMW_XOR = 246;
    static final int I64_ATOMIC_RMW_XOR = 247;
    static final int I32_ATOMIC_RMW8_XOR_U = 248;
    static final int I32_ATOMIC_RMW16_XOR_U = 249;
    static final int I64_ATOMIC_RMW8_XOR_U = 250;
    static final int I64_ATOMIC_RMW16_XOR_U = 251;
    static final int I64_ATOMIC_RMW32_XOR_U = 252;
    static final int I32_ATOMIC_RMW_XCHG = 253;
    static final int I64_ATOMIC_RMW_XCHG = 254;
    static final int I32_ATOMIC_RMW8_XCHG_U = 255;
    static final int I32_ATOMIC_RMW16_XCHG_U = 256;
    static final int I64_ATOMIC_RMW8_XCHG_U = 257;
    static final int I64_ATOMIC_RMW16_XCHG_U = 258;
    static final int I64_ATOMIC_RMW32_XCHG_U = 259;
    static final int I32_ATOMIC_RMW_CMPXCHG = 260;
    static final int I64_ATOMIC_RMW_CMPXCHG = 261;
    static final int I32_ATOMIC_RMW8_CMPXCHG_U = 262;
    static final int I32_ATOMIC_RMW16_CMPXCHG_U = 263;
    static final int I64_ATOMIC_RMW8_CMPXCHG_U = 264;
    static final int I64_ATOMIC_RMW16_CMPXCHG_U = 265;
    static final int I64_ATOMIC_RMW32_CMPXCHG_U = 266;
    static final int MEM_ATOMIC_NOTIFY = 267;
    static final int MEM_ATOMIC_WAIT32 = 268;
    static final int MEM_ATOMIC_WAIT64 = 269;
    static final int ATOMIC_FENCE = 270;
    static final int MEMORY_COPY = 271;
    static final int MEMORY_FILL = 272;
    static final int MEMORY_SIZE = 273;
    static final int MEMORY_GROW = 274;
    static final int MEMORY_INIT = 275;
    static final int DATA_DROP = 276;
    static final int TABLE_GET = 277;
    static final int TABLE_SET = 278;
    static final int TABLE_SIZE = 279;
    static final int TABLE_GROW = 280;
    static final int TABLE_FILL = 281;
    static final int TABLE_COPY = 282;
    static final int TABLE_INIT = 283;
    static final int ELEM_DROP = 284;
    static final int REF_FUNC = 285;
    static final int COUNT = 286;

    static final String[] NAMES = {
        "UNREACHABLE", "BR", "BR_IF", "BR_IF_EQZ", "BR_TABLE", "RETURN",
        "CALL", "CALL_INDIRECT", "CHECK", "MOV", "SELECT", "GLOBAL_GET",
        "GLOBAL_SET", "BR_IF_I32_EQ", "BR_IF_I32_NE", "BR_IF_I32_LT_S", "BR_IF_I32_LT_U", "BR_IF_I32_GT_S",
        "BR_IF_I32_GT_U", "BR_IF_I32_LE_S", "BR_IF_I32_LE_U", "BR_IF_I32_GE_S", "BR_IF_I32_GE_U", "I32_ADD_I",
        "I32_SUB_I", "I32_MUL_I", "I32_AND_I", "I32_OR_I", "I32_XOR_I", "I32_SHL_I",
        "I32_SHR_S_I", "I32_SHR_U_I", "I32_ROTL_I", "I32_ROTR_I", "BR_IF_I32_EQ_I", "BR_IF_I32_NE_I",
        "BR_IF_I32_LT_S_I", "BR_IF_I32_LT_U_I", "BR_IF_I32_GT_S_I", "BR_IF_I32_GT_U_I", "BR_IF_I32_LE_S_I", "BR_IF_I32_LE_U_I",
        "BR_IF_I32_GE_S_I", "BR_IF_I32_GE_U_I", "I32_EQZ", "I64_EQZ", "I32_CLZ", "I32_CTZ",
        "I32_POPCNT", "I64_CLZ", "I64_CTZ", "I64_POPCNT", "I32_EQ", "I32_NE",
        "I32_LT_S", "I32_LT_U", "I32_GT_S", "I32_GT_U", "I32_LE_S", "I32_LE_U",
        "I32_GE_S", "I32_GE_U", "I64_EQ", "I64_NE", "I64_LT_S", "I64_LT_U",
        "I64_GT_S", "I64_GT_U", "I64_LE_S", "I64_LE_U", "I64_GE_S", "I64_GE_U",
        "I32_ADD", "I32_SUB", "I32_MUL", "I32_DIV_S", "I32_DIV_U", "I32_REM_S",
        "I32_REM_U", "I32_AND", "I32_OR", "I32_XOR", "I32_SHL", "I32_SHR_S",
        "I32_SHR_U", "I32_ROTL", "I32_ROTR", "I64_ADD", "I64_SUB", "I64_MUL",
        "I64_DIV_S", "I64_DIV_U", "I64_REM_S", "I64_REM_U", "I64_AND", "I64_OR",
        "I64_XOR", "I64_SHL", "I64_SHR_S", "I64_SHR_U", "I64_ROTL", "I64_ROTR",
        "I32_WRAP_I64", "I64_EXTEND_I32_S", "I64_EXTEND_I32_U", "I32_EXTEND_8_S", "I32_EXTEND_16_S", "I64_EXTEND_8_S",
        "I64_EXTEND_16_S", "I64_EXTEND_32_S", "F64_ADD", "F64_SUB", "F64_MUL", "F64_DIV",
        "F32_ADD", "F32_SUB", "F32_MUL", "F32_DIV", "F64_EQ", "F64_NE",
        "F64_LT", "F64_GT", "F64_LE", "F64_GE", "F32_EQ", "F32_NE",
        "F32_LT", "F32_GT", "F32_LE", "F32_GE", "I32_LOAD", "I64_LOAD",
        "F32_LOAD", "F64_LOAD", "I32_LOAD8_S", "I32_LOAD8_U", "I32_LOAD16_S", "I32_LOAD16_U",
        "I64_LOAD8_S", "I64_LOAD8_U", "I64_LOAD16_S", "I64_LOAD16_U", "I64_LOAD32_S", "I64_LOAD32_U",
        "I32_STORE", "I64_STORE", "F32_STORE", "F64_STORE", "I32_STORE8", "I32_STORE16",
        "I64_STORE8", "I64_STORE16", "I64_STORE32", "F64_ABS", "F64_NEG", "F64_SQRT",
        "F64_CONVERT_I32_S", "F64_CONVERT_I32_U", "F64_PROMOTE_F32", "MOVS", "BR_LOOP", "I32_XOR_ROTL_I", "I32_XOR_SHR_U_I", "F32_ABS", "F32_NEG", "F32_CEIL",
        "F32_FLOOR", "F32_TRUNC", "F32_NEAREST", "F32_SQRT", "F64_CEIL", "F64_FLOOR",
        "F64_TRUNC", "F64_NEAREST", "F32_MIN", "F32_MAX", "F32_COPYSIGN", "F64_MIN",
        "F64_MAX", "F64_COPYSIGN", "I32_TRUNC_F32_S", "I32_TRUNC_F32_U", "I32_TRUNC_F64_S", "I32_TRUNC_F64_U",
        "I64_TRUNC_F32_S", "I64_TRUNC_F32_U", "I64_TRUNC_F64_S", "I64_TRUNC_F64_U", "F32_CONVERT_I32_S", "F32_CONVERT_I32_U",
        "F32_CONVERT_I64_S", "F32_CONVERT_I64_U", "F32_DEMOTE_F64", "F64_CONVERT_I64_S", "F64_CONVERT_I64_U", "I32_TRUNC_SAT_F32_S",
        "I32_TRUNC_SAT_F32_U", "I32_TRUNC_SAT_F64_S", "I32_TRUNC_SAT_F64_U", "I64_TRUNC_SAT_F32_S", "I64_TRUNC_SAT_F32_U", "I64_TRUNC_SAT_F64_S",
        "I64_TRUNC_SAT_F64_U", "REF_IS_NULL", "I32_ATOMIC_LOAD", "I64_ATOMIC_LOAD", "I32_ATOMIC_LOAD8_U", "I32_ATOMIC_LOAD16_U",
        "I64_ATOMIC_LOAD8_U", "I64_ATOMIC_LOAD16_U", "I64_ATOMIC_LOAD32_U", "I32_ATOMIC_STORE", "I64_ATOMIC_STORE", "I32_ATOMIC_STORE8",
        "I32_ATOMIC_STORE16", "I64_ATOMIC_STORE8", "I64_ATOMIC_STORE16", "I64_ATOMIC_STORE32", "I32_ATOMIC_RMW_ADD", "I64_ATOMIC_RMW_ADD",
        "I32_ATOMIC_RMW8_ADD_U", "I32_ATOMIC_RMW16_ADD_U", "I64_ATOMIC_RMW8_ADD_U", "I64_ATOMIC_RMW16_ADD_U", "I64_ATOMIC_RMW32_ADD_U", "I32_ATOMIC_RMW_SUB",
        "I64_ATOMIC_RMW_SUB", "I32_ATOMIC_RMW8_SUB_U", "I32_ATOMIC_RMW16_SUB_U", "I64_ATOMIC_RMW8_SUB_U", "I64_ATOMIC_RMW16_SUB_U", "I64_ATOMIC_RMW32_SUB_U",
        "I32_ATOMIC_RMW_AND", "I64_ATOMIC_RMW_AND", "I32_ATOMIC_RMW8_AND_U", "I32_ATOMIC_RMW16_AND_U", "I64_ATOMIC_RMW8_AND_U", "I64_ATOMIC_RMW16_AND_U",
        "I64_ATOMIC_RMW32_AND_U", "I32_ATOMIC_RMW_OR", "I64_ATOMIC_RMW_OR", "I32_ATOMIC_RMW8_OR_U", "I32_ATOMIC_RMW16_OR_U", "I64_ATOMIC_RMW8_OR_U",
        "I64_ATOMIC_RMW16_OR_U", "I64_ATOMIC_RMW32_OR_U", "I32_ATOMIC_RMW_XOR", "I64_ATOMIC_RMW_XOR", "I32_ATOMIC_RMW8_XOR_U", "I32_ATOMIC_RMW16_XOR_U",
        "I64_ATOMIC_RMW8_XOR_U", "I64_ATOMIC_RMW16_XOR_U", "I64_ATOMIC_RMW32_XOR_U", "I32_ATOMIC_RMW_XCHG", "I64_ATOMIC_RMW_XCHG", "I32_ATOMIC_RMW8_XCHG_U",
        "I32_ATOMIC_RMW16_XCHG_U", "I64_ATOMIC_RMW8_XCHG_U", "I64_ATOMIC_RMW16_XCHG_U", "I64_ATOMIC_RMW32_XCHG_U", "I32_ATOMIC_RMW_CMPXCHG", "I64_ATOMIC_RMW_CMPXCHG",
        "I32_ATOMIC_RMW8_CMPXCHG_U", "I32_ATOMIC_RMW16_CMPXCHG_U", "I64_ATOMIC_RMW8_CMPXCHG_U", "I64_ATOMIC_RMW16_CMPXCHG_U", "I64_ATOMIC_RMW32_CMPXCHG_U", "MEM_ATOMIC_NOTIFY",
        "MEM_ATOMIC_WAIT32", "MEM_ATOMIC_WAIT64", "ATOMIC_FENCE", "MEMORY_COPY", "MEMORY_FILL", "MEMORY_SIZE",
        "MEMORY_GROW", "MEMORY_INIT", "DATA_DROP", "TABLE_GET", "TABLE_SET", "TABLE_SIZE",
        "TABLE_GROW", "TABLE_FILL", "TABLE_COPY", "TABLE_INIT", "ELEM_DROP", "REF_FUNC",
    };

    /** The length in ints of the instruction at {@code pc}, opcode and immediates included. */
    static int length(int[] code, int pc) {
        int op = code[pc];
        return 1 + switch (op) {
            case UNREACHABLE -> 0;
            case BR, BR_LOOP -> 1;
            case BR_TABLE -> 3 + code[pc + 2];
            case MOVS -> 1 + 2 * code[pc + 1];
            case I32_XOR_ROTL_I, I32_XOR_SHR_U_I -> 4;
            case CALL_INDIRECT, SELECT -> 4;
            case BR_IF, BR_IF_EQZ, RETURN, CALL, CHECK, MOV, GLOBAL_GET, GLOBAL_SET -> 2;
            case ATOMIC_FENCE, MEMORY_COPY, MEMORY_FILL, MEMORY_SIZE, MEMORY_GROW -> 1; // top
            case TABLE_COPY, TABLE_INIT -> 3;                                            // top, two indices
            default -> op < SLOW_BASE ? (unary(op) ? 2 : 3) : op < I32_ATOMIC_LOAD ? 1 : 2; // top [memarg or index]
        };
    }

    /** Main-loop instructions {@code op dst a}. */
    static boolean unary(int op) {
        return op >= I32_EQZ && op <= I64_POPCNT || op >= I32_WRAP_I64 && op <= I64_EXTEND_32_S || op >= F64_ABS && op <= F64_PROMOTE_F32;
    }

    /** Positions (after the opcode) of the branch targets of the instruction at {@code pc}; empty if none. */
    static int[] targets(int[] code, int pc) {
        int op = code[pc];
        if (op == BR || op == BR_LOOP) return new int[] {pc + 1};
        if (op == BR_IF || op == BR_IF_EQZ) return new int[] {pc + 2};
        if (op >= BR_IF_I32_EQ && op <= BR_IF_I32_GE_U || op >= BR_IF_I32_EQ_I && op <= BR_IF_I32_GE_U_I) return new int[] {pc + 3};
        if (op == BR_TABLE) {
            int[] t = new int[code[pc + 2] + 1];
            for (int i = 0; i < t.length; i++) t[i] = pc + 3 + i;
            return t;
        }
        return new int[0];
    }

    /** The opcode names of {@code code}, one per instruction, for tests and the profile. */
    static java.util.List<String> names(int[] code) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int pc = 0; pc < code.length; pc += length(code, pc)) names.add(NAMES[code[pc]]);
        return names;
    }

    private Op() {}
}
