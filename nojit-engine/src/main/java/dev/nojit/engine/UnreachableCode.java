package dev.nojit.engine;

import com.dylibso.chicory.wasm.types.OpCode;

/**
 * How a translator walks the code after an unconditional branch, up to where control can reach again: the
 * instructions are dropped, blocks opened inside them are only counted, and the translator acts on the {@code else}
 * or {@code end} of the block that became unreachable. The interpreter's translator and the AOT translator
 * (nojit-aot) both use this one rule, so both number the reachable call sites alike: deoptimization maps a compiled
 * call site onto the interpreter's by that number. One instance per function body.
 */
public final class UnreachableCode {
    /** What the translator does with one unreachable instruction. */
    public enum Step { SKIP, ELSE, END }

    private int dead; // nesting depth of blocks entered inside unreachable code

    public Step next(OpCode op) {
        return switch (op) {
            case BLOCK, LOOP, IF -> {
                dead++;
                yield Step.SKIP;
            }
            case ELSE -> dead == 0 ? Step.ELSE : Step.SKIP;
            case END -> {
                if (dead == 0) yield Step.END;
                dead--;
                yield Step.SKIP;
            }
            default -> Step.SKIP;
        };
    }
}
