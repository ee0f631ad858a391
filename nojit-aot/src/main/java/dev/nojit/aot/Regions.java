package dev.nojit.aot;

import com.dylibso.chicory.wasm.types.AnnotatedInstruction;
import com.dylibso.chicory.wasm.types.FunctionBody;
import com.dylibso.chicory.wasm.types.OpCode;
import dev.nojit.engine.FuncType;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Splitting a long function (HotSpot's JIT gives up on methods of tens of kilobytes: C1 runs out of virtual
 * registers and C2 out of nodes, which leaves them to the bytecode interpreter) into a main method and
 * <em>regions</em> outlined into static methods of their own, small enough to be compiled.
 *
 * <p>A region is the tail of a block or loop P: the instructions after the end of one of P's child blocks, where
 * the operand stack holds nothing of P's, up to P's own end. So it holds whole structures only, starts and ends
 * with nothing on the stack (P has no params or results; the child has no results), and leaves it only by
 * falling off its end or by branching to a label around it. Every such label must take no values, except the
 * function's own (a return: the results go through the locals array). This is the shape of a C {@code switch}
 * compiled by clang: each case's code is the tail of one block of a nest around a {@code br_table}, which is how
 * an interpreter's dispatch loop (CPython's eval loop) looks.
 *
 * <p>With deoptimization (a module that forks) a region is also the unit that records the activation when a
 * fork passes through it: it keeps its own capture slots and handler, numbers its call sites from
 * {@link Region#firstCall}, and P must have nothing below it on the stack; the main method's handler lets a
 * capture that came through a region pass without recording the activation twice.
 *
 * <p>A split function keeps its locals in a {@code long[]} (raw bits, the results after them) that the main
 * method and its regions share; a region is {@code int r<d>_<k>(long[] locals, AotContext cx)} and returns 0 when
 * it falls off its end, or 1 + the index of the control it branches to (index 0 is the function: a return).
 */
final class Regions {
    /** Regions shorter than this stay inline: a call and the exit switch cost more than they save. */
    static final int MIN_INSTRUCTIONS = 12;
    /** Longer ones are not taken (their inner tails may be): a region must stay small enough for the JIT. */
    static final int MAX_INSTRUCTIONS = 2_500;

    /**
     * Instructions {@code [start, end)}; {@code end} is P's {@code end}; {@code parent} the index of P in the
     * control stack (the function is 0); {@code exits} the non-zero codes it may return, ascending;
     * {@code firstCall} the number of reachable calls before it and {@code calls} inside it (deoptimization
     * numbers a function's call sites in code order, as the interpreter's translator does).
     */
    record Region(int start, int end, int parent, int[] exits, int firstCall, int calls) {}

    private static final class Entry {
        final int height;          // operand stack height when entered; -1 when unreachable
        final boolean simple;      // a block or loop without params or results
        final int arity;           // values its label takes
        final boolean noResults;
        int tailStart = -1;

        Entry(int height, boolean simple, int arity, boolean noResults) {
            this.height = height;
            this.simple = simple;
            this.arity = arity;
            this.noResults = noResults;
        }
    }

    private Regions() {}

    /**
     * The regions of {@code body}, in code order, none inside another. {@code heights[pc]} is the operand stack
     * height before instruction pc, -1 where it is unreachable (a trial translation records them).
     */
    static List<Region> find(ModuleInfo module, FunctionBody body, FuncType type, int[] heights) {
        List<AnnotatedInstruction> code = body.instructions();
        // with deoptimization a region's activation record holds its own operands only: nothing may lie below it
        boolean emptyBelow = FunctionCompiler.deoptSites(module, body);
        int[] callsBefore = new int[code.size() + 1];
        for (int pc = 0; pc < code.size(); pc++) {
            OpCode op = code.get(pc).opcode();
            boolean call = heights[pc] >= 0 && (op == OpCode.CALL || op == OpCode.CALL_INDIRECT);
            callsBefore[pc + 1] = callsBefore[pc] + (call ? 1 : 0);
        }
        List<Entry> controls = new ArrayList<>();
        controls.add(new Entry(0, false, type.results().size(), type.results().isEmpty()));
        List<Region> candidates = new ArrayList<>();
        for (int pc = 0; pc < code.size(); pc++) {
            AnnotatedInstruction ins = code.get(pc);
            switch (ins.opcode()) {
                case BLOCK, LOOP, IF -> {
                    FuncType bt = module.blockType(ins.address() + 1);
                    boolean loop = ins.opcode() == OpCode.LOOP;
                    boolean simple = ins.opcode() != OpCode.IF && bt.params().isEmpty() && bt.results().isEmpty();
                    controls.add(new Entry(heights[pc], simple, loop ? bt.params().size() : bt.results().size(), bt.results().isEmpty()));
                }
                case END -> {
                    Entry child = controls.removeLast();
                    if (controls.isEmpty()) break;
                    if (child.tailStart >= 0 && pc - child.tailStart >= MIN_INSTRUCTIONS && pc - child.tailStart <= MAX_INSTRUCTIONS) {
                        int parent = controls.size(); // the child's own index: the region is its tail
                        int[] exits = exits(code, child.tailStart, pc, parent, controls, child);
                        if (exits != null && (!emptyBelow || child.height == 0)) {
                            candidates.add(new Region(child.tailStart, pc, parent, exits, callsBefore[child.tailStart],
                                    callsBefore[pc] - callsBefore[child.tailStart]));
                        }
                    }
                    Entry p = controls.getLast();
                    if (p.simple && p.height >= 0 && p.tailStart < 0 && child.noResults && pc + 1 < code.size()
                            && heights[pc + 1] == p.height) {
                        p.tailStart = pc + 1;
                    }
                }
                default -> { }
            }
        }
        // outermost first: by start, the longest first; then those not inside one already taken
        candidates.sort(Comparator.comparingInt(Region::start).thenComparingInt(r -> -r.end()));
        List<Region> taken = new ArrayList<>();
        int covered = -1;
        for (Region r : candidates) {
            if (r.start() < covered) continue;
            taken.add(r);
            covered = r.end();
        }
        return taken;
    }

    /**
     * The exit codes of the region {@code [start, end)} inside control {@code parent} (entries {@code outer} below
     * it, then {@code self}), or null when it branches to a label around it that takes values.
     */
    private static int[] exits(List<AnnotatedInstruction> code, int start, int end, int parent, List<Entry> outer, Entry self) {
        TreeSet<Integer> codes = new TreeSet<>();
        int depth = parent + 1; // controls open at the region's start
        for (int pc = start; pc < end; pc++) {
            AnnotatedInstruction ins = code.get(pc);
            switch (ins.opcode()) {
                case BLOCK, LOOP, IF -> depth++;
                case END -> depth--;
                case RETURN -> codes.add(1);
                case BR, BR_IF -> {
                    if (!exit(depth - 1 - (int) ins.operand(0), parent, outer, self, codes)) return null;
                }
                case BR_TABLE -> {
                    for (long label : ins.operands()) {
                        if (!exit(depth - 1 - (int) label, parent, outer, self, codes)) return null;
                    }
                }
                default -> { }
            }
        }
        return codes.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean exit(int target, int parent, List<Entry> outer, Entry self, TreeSet<Integer> codes) {
        if (target > parent) return true; // inside the region
        if (target == 0) {
            codes.add(1);
            return true;
        }
        Entry e = target == parent ? self : outer.get(target);
        if (e.arity != 0) return false;
        codes.add(target + 1);
        return true;
    }

    /** A region method's type: the locals array and the context in, the exit code out. */
    static final MethodTypeDesc DESCRIPTOR = MethodTypeDesc.of(ConstantDescs.CD_int, ModuleInfo.CD_LONG_ARRAY, ModuleInfo.CD_CONTEXT);

    /** The method name of region {@code k} of defined function {@code d}. */
    static String name(int d, int k) {
        return "r" + d + "_" + k;
    }
}
