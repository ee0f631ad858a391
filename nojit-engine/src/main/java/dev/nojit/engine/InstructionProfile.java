package dev.nojit.engine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A measuring tool, off unless the system property {@code nojit.engine.profile} names a file: counts the
 * executed instructions and adjacent instruction pairs of the engine's own code, with the kind of each slot
 * operand (l local, c constant, h home slot, # immediate), and writes the most frequent to that file when the
 * JVM exits (and every 2 s). Used to choose superinstructions (docs/engine.md).
 *
 * <p>It costs nothing when off: the main loop is not changed. When on, every function's code is copied at
 * instantiation with a {@link Op#CHECK} inserted at the start of each basic block (branch targets, after
 * branches and calls), and the machine starts with no fuel, so every CHECK reaches {@code Machine.safepoint},
 * which reports the block here. Block counts times each block's instruction sequence give exact counts of the
 * instructions and of the pairs inside blocks — the only pairs a superinstruction may fuse. A machine given a
 * fuel limit keeps it and is not counted.
 */
final class InstructionProfile {
    static final String PROPERTY = "nojit.engine.profile";
    static final boolean ENABLED = System.getProperty(PROPERTY) != null;

    private static final Map<FunctionCode, FunctionCode> INSTRUMENTED = new IdentityHashMap<>();
    private static final Map<FunctionCode, long[]> COUNTS = new IdentityHashMap<>();

    static {
        if (ENABLED) {
            Runtime.getRuntime().addShutdownHook(new Thread(InstructionProfile::dump, "nojit-profile"));
            // also every 2 s: a process that ends with Runtime.halt (the vkernel's) runs no shutdown hook
            Thread t = new Thread(() -> {
                while (true) {
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    dump();
                }
            }, "nojit-profile-writer");
            t.setDaemon(true);
            t.start();
        }
    }

    private InstructionProfile() {}

    /** The copy of {@code code} with a CHECK at each block start (one copy per original). */
    static synchronized FunctionCode instrument(FunctionCode code) {
        if (code == null) return null;
        FunctionCode done = INSTRUMENTED.get(code);
        if (done != null) return done;
        int[] c = code.code();
        boolean[] leader = new boolean[c.length + 1];
        leader[0] = true;
        for (int pc = 0; pc < c.length; pc += Op.length(c, pc)) {
            for (int t : Op.targets(c, pc)) leader[c[t]] = true;
            int op = c[pc];
            if (endsBlock(op) || Op.targets(c, pc).length > 0) leader[pc + Op.length(c, pc)] = true;
        }
        int[] moved = new int[c.length + 1];
        IntBuffer out = new IntBuffer();
        for (int pc = 0; pc < c.length; pc += Op.length(c, pc)) {
            moved[pc] = out.size(); // a branch to pc goes to its block's CHECK
            if (leader[pc] && c[pc] != Op.CHECK) {
                out.add(Op.CHECK);
                out.add(1);
                out.add(code.frameSize()); // above every live slot: safe for a handler run at the safepoint
            }
            for (int i = 0; i < Op.length(c, pc); i++) out.add(c[pc + i]);
        }
        moved[c.length] = out.size();
        int[] n = out.toArray();
        for (int pc = 0; pc < n.length; pc += Op.length(n, pc)) {
            for (int t : Op.targets(n, pc)) n[t] = moved[n[t]];
        }
        FunctionCode copy = new FunctionCode(code.typeIndex(), code.numParams(), code.numResults(), code.numLocals(),
                code.frameSize(), n, code.refLocals(), code.consts());
        INSTRUMENTED.put(code, copy);
        COUNTS.put(copy, new long[n.length + 1]);
        return copy;
    }

    private static boolean endsBlock(int op) {
        return op == Op.RETURN || op == Op.CALL || op == Op.CALL_INDIRECT || op == Op.UNREACHABLE;
    }

    /** A CHECK of {@code fn} ran; {@code pc} is just after it. */
    static synchronized void hit(FunctionCode fn, int pc) {
        long[] counts = COUNTS.get(fn);
        if (counts != null) counts[pc]++;
    }

    /** The shape of one instruction: its name and the kind of each operand. */
    static String shape(FunctionCode f, int[] c, int pc) {
        int op = c[pc];
        StringBuilder b = new StringBuilder(Op.NAMES[op]);
        int[] slots = slotOperands(c, pc);
        if (slots.length == 0) return b.toString();
        b.append('(');
        for (int i = 0; i < slots.length; i++) b.append(i > 0 ? "," : "").append(kind(f, c[slots[i]]));
        b.append(",#".repeat(immediates(op)));
        return b.append(')').toString();
    }

    /** How many immediates end a main-loop instruction's operands (before any branch target). */
    private static int immediates(int op) {
        return op >= Op.I32_ADD_I && op <= Op.I32_ROTR_I || op >= Op.BR_IF_I32_EQ_I && op <= Op.BR_IF_I32_GE_U_I
                || op == Op.I32_XOR_ROTL_I || op == Op.I32_XOR_SHR_U_I
                || op >= Op.I32_LOAD && op <= Op.I64_STORE32 ? 1 : 0;
    }

    /** Positions of the slot operands of a main-loop instruction (destination first); none for the others. */
    private static int[] slotOperands(int[] c, int pc) {
        int op = c[pc];
        if (op >= Op.SLOW_BASE || op == Op.MOVS || op == Op.CHECK || op == Op.BR || op == Op.BR_LOOP || op == Op.BR_TABLE || op == Op.CALL || op == Op.RETURN
                || op == Op.CALL_INDIRECT || op == Op.UNREACHABLE) return new int[0];
        if (op == Op.GLOBAL_GET) return new int[] {pc + 1};
        if (op == Op.GLOBAL_SET) return new int[] {pc + 2};
        int n = Op.length(c, pc) - 1 - Op.targets(c, pc).length - immediates(op);
        int[] slots = new int[n];
        for (int i = 0; i < n; i++) slots[i] = pc + 1 + i;
        return slots;
    }

    private static char kind(FunctionCode f, int slot) {
        if (slot < f.numLocals()) return 'l';
        return slot < f.numLocals() + f.consts().length ? 'c' : 'h';
    }

    /** The slot the instruction at {@code pc} writes (its first operand), or -1. */
    static int destination(int[] c, int pc) {
        int op = c[pc];
        boolean writes = op == Op.MOV || op == Op.SELECT || op == Op.GLOBAL_GET
                || op >= Op.I32_ADD_I && op <= Op.I32_ROTR_I || op >= Op.I32_EQZ && op <= Op.I64_LOAD32_U
                || op >= Op.F64_ABS && op <= Op.F64_PROMOTE_F32 || op == Op.I32_XOR_ROTL_I || op == Op.I32_XOR_SHR_U_I;
        return writes ? c[pc + 1] : -1;
    }

    /** Whether the instruction at {@code pc} reads {@code slot} (a slot operand other than its destination). */
    static boolean reads(int[] c, int pc, int slot) {
        if (slot < 0) return false;
        int[] slots = slotOperands(c, pc);
        for (int i = destination(c, pc) >= 0 ? 1 : 0; i < slots.length; i++) if (c[slots[i]] == slot) return true;
        return false;
    }

    static void dump() {
        String out = report();
        Path file = Path.of(System.getProperty(PROPERTY));
        try {
            Files.writeString(file, out);
        } catch (IOException | RuntimeException e) {
            PrintStream err = System.err;
            err.print(out);
        }
    }

    /** The counts so far: the most frequent instructions and pairs. */
    static synchronized String report() {
        Map<String, Long> singles = new HashMap<>();
        Map<String, Long> pairs = new HashMap<>();
        long total = 0;
        for (Map.Entry<FunctionCode, long[]> e : COUNTS.entrySet()) {
            FunctionCode f = e.getKey();
            int[] c = f.code();
            long[] counts = e.getValue();
            for (int start = 0; start < c.length; start++) {
                long n = counts[start];
                if (n == 0) continue;
                String prev = null;
                int prevPc = -1;
                for (int pc = start; pc < c.length && c[pc] != Op.CHECK; pc += Op.length(c, pc)) {
                    String s = shape(f, c, pc);
                    singles.merge(s, n, Long::sum);
                    total += n;
                    if (prev != null) {
                        boolean dep = reads(c, pc, destination(c, prevPc));
                        pairs.merge(prev + (dep ? " -> " : " ; ") + s, n, Long::sum);
                    }
                    prev = s;
                    prevPc = pc;
                    int op = c[pc];
                    if (op == Op.BR || op == Op.BR_LOOP || op == Op.BR_TABLE || op == Op.RETURN || op == Op.UNREACHABLE) break;
                }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("# nojit instruction profile: ").append(total).append(" instructions executed (CHECKs not counted)\n");
        out.append("# shapes: l local, c constant, h home slot, # immediate; pair A -> B: B reads what A wrote\n");
        top(out, "instructions", singles, total, 40);
        top(out, "pairs inside basic blocks", pairs, total, 60);
        return out.toString();
    }

    private static void top(StringBuilder out, String title, Map<String, Long> counts, long total, int n) {
        out.append("\n## ").append(title).append('\n');
        List<Map.Entry<String, Long>> list = new ArrayList<>(counts.entrySet());
        list.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        for (int i = 0; i < Math.min(n, list.size()); i++) {
            Map.Entry<String, Long> e = list.get(i);
            out.append(String.format("%14d %5.1f%%  %s%n", e.getValue(), 100.0 * e.getValue() / Math.max(1, total), e.getKey()));
        }
    }
}
