/*
 * A bytecode interpreter inside the guest: a small stack machine whose program sums the
 * Collatz step counts of 1..LIMIT-1. The dispatch loop is a switch over opcodes (br_table
 * in wasm), so this measures indirect branching and i64 operations on a memory-resident
 * operand stack: the shape of a guest that is itself an interpreter (Lua, Python, a shell).
 * Checksum: the program's result times 2^20 plus the number of instructions dispatched.
 */
#include "common.h"

#define LIMIT 12000

enum op { PUSH, LOAD, STORE, ADD, MUL, AND, SHR, LT, NE, JZ, JMP, HALT };

static i64 code[128];
static int code_len;

static void emit(i64 op) { code[code_len++] = op; }
static void emit2(i64 op, i64 arg) { emit(op); emit(arg); }

/* Locals: 0 i, 1 n, 2 total steps, 3 limit. Jump targets are patched once known. */
static void assemble(void) {
    code_len = 0;
    emit2(PUSH, LIMIT); emit2(STORE, 3);
    emit2(PUSH, 1); emit2(STORE, 0);
    emit2(PUSH, 0); emit2(STORE, 2);
    int outer = code_len;
    emit2(LOAD, 0); emit2(LOAD, 3); emit(LT); emit(JZ); int to_end = code_len; emit(0);
    emit2(LOAD, 0); emit2(STORE, 1);
    int inner = code_len;
    emit2(LOAD, 1); emit2(PUSH, 1); emit(NE); emit(JZ); int to_next = code_len; emit(0);
    emit2(LOAD, 1); emit2(PUSH, 1); emit(AND); emit(JZ); int to_even = code_len; emit(0);
    emit2(LOAD, 1); emit2(PUSH, 3); emit(MUL); emit2(PUSH, 1); emit(ADD); emit2(STORE, 1);
    emit(JMP); int to_count = code_len; emit(0);
    code[to_even] = code_len;
    emit2(LOAD, 1); emit2(PUSH, 1); emit(SHR); emit2(STORE, 1);
    code[to_count] = code_len;
    emit2(LOAD, 2); emit2(PUSH, 1); emit(ADD); emit2(STORE, 2);
    emit2(JMP, inner);
    code[to_next] = code_len;
    emit2(LOAD, 0); emit2(PUSH, 1); emit(ADD); emit2(STORE, 0);
    emit2(JMP, outer);
    code[to_end] = code_len;
    emit2(LOAD, 2); emit(HALT);
}

static i64 stack[64];
static i64 locals[8];

__attribute__((noinline)) static i64 execute(const i64 *pc0, u64 *dispatched) {
    const i64 *pc = pc0;
    i64 *sp = stack;
    u64 count = 0;
    for (;;) {
        count++;
        switch ((enum op) *pc++) {
        case PUSH: *sp++ = *pc++; break;
        case LOAD: *sp++ = locals[*pc++]; break;
        case STORE: locals[*pc++] = *--sp; break;
        case ADD: sp--; sp[-1] += sp[0]; break;
        case MUL: sp--; sp[-1] *= sp[0]; break;
        case AND: sp--; sp[-1] &= sp[0]; break;
        case SHR: sp--; sp[-1] = (i64) ((u64) sp[-1] >> sp[0]); break;
        case LT: sp--; sp[-1] = sp[-1] < sp[0]; break;
        case NE: sp--; sp[-1] = sp[-1] != sp[0]; break;
        case JZ: { i64 target = *pc++; if (*--sp == 0) pc = pc0 + target; break; }
        case JMP: pc = pc0 + *pc; break;
        case HALT: *dispatched = count; return *--sp;
        default: *dispatched = count; return -1;
        }
    }
}

long long run(void) {
    assemble();
    for (int i = 0; i < 8; i++) locals[i] = 0;
    u64 dispatched = 0;
    i64 result = execute(code, &dispatched);
    return (i64) (((u64) result << 20) + dispatched);
}
