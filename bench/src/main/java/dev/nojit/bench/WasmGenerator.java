package dev.nojit.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates valid WebAssembly modules whose bulk is code, deterministically from a seed.
 *
 * <p>A module imports {@code wasi_snapshot_preview1.fd_write (i32,i32,i32,i32)->i32} and
 * {@code proc_exit (i32)->()} (exactly their WASI preview 1 signatures), declares one memory,
 * two mutable globals and a small data segment, and defines a few hundred functions of 0.5 to
 * 8 KiB of code each: typed expression trees over locals, globals and memory (i32/i64
 * arithmetic, comparisons, conversions, loads and stores, select, calls to earlier
 * functions), nested in blocks, ifs, counted loops, br_if and br_table. Its {@code _start}
 * calls some of them and exits through {@code proc_exit}. Every stream is built with its
 * operand stack and labels tracked, so the module validates; none of it is meant to compute
 * anything useful.
 */
final class WasmGenerator {
    private static final int I32 = 0x7F, I64 = 0x7E, EMPTY = 0x40;

    // Types, in the type section's order.
    private static final int T_FD_WRITE = 0, T_PROC_EXIT = 1, T_START = 2, T_II_I = 3, T_LI_L = 4;
    // Imported functions come first in the function index space.
    private static final int F_FD_WRITE = 0, F_PROC_EXIT = 1, IMPORTED = 2;
    // Every defined function has its parameters, then locals 2..4 (i32) and 5..7 (i64); 4 counts loops.
    private static final int COUNTER = 4;
    private static final int[] I32_LOCALS_II = {0, 1, 2, 3}, I64_LOCALS_II = {5, 6, 7};
    private static final int[] I32_LOCALS_LI = {1, 2, 3}, I64_LOCALS_LI = {0, 5, 6, 7};

    private static final int MAX_EXPR_DEPTH = 5, MAX_BLOCK_DEPTH = 4;
    private static final int ADDRESS_MASK = 0xFFF8, MAX_OFFSET = 4096;
    private static final int MEMORY_PAGES = 2, DATA_OFFSET = 1024;

    // Operators that cannot trap (no division), by shape.
    private static final int[] I32_BINARY = {0x6A, 0x6B, 0x6C, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78};
    private static final int[] I64_BINARY = {0x7C, 0x7D, 0x7E, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A};
    private static final int[] I32_UNARY = {0x45, 0x67, 0x68, 0x69};
    private static final int[] I64_UNARY = {0x79, 0x7A, 0x7B};
    private static final int[] I32_COMPARE = {0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F};
    private static final int[] I64_COMPARE = {0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A};

    /** Labels a branch may target: blocks and ifs without results. Loops and value blocks are not targeted. */
    private enum Label { TARGET, OTHER }

    private final SplitMix64 rng;
    private final int moduleNumber;

    // The function being generated.
    private WasmBytes code;
    private int[] i32Locals, i64Locals;
    private int definedSoFar;
    private final List<Label> labels = new ArrayList<>();
    private boolean inLoop;
    private int blockDepth;

    private WasmGenerator(long seed, int moduleNumber) {
        this.rng = new SplitMix64(seed);
        this.moduleNumber = moduleNumber;
    }

    /** A module of about {@code codeBytes} bytes of code (the module is a little larger). */
    static byte[] module(long seed, int moduleNumber, int codeBytes) {
        return module(seed, moduleNumber, codeBytes, 512, 8192);
    }

    /** As {@link #module(long, int, int)}, with function bodies of about {@code minFn} to {@code maxFn} bytes. */
    static byte[] module(long seed, int moduleNumber, int codeBytes, int minFn, int maxFn) {
        return new WasmGenerator(seed, moduleNumber).generate(codeBytes, minFn, maxFn);
    }

    private byte[] generate(int codeBytes, int minFn, int maxFn) {
        List<WasmBytes> bodies = new ArrayList<>();
        long total = 0;
        while (total < codeBytes) {
            WasmBytes body = function(bodies.size(), minFn + rng.below(maxFn - minFn));
            bodies.add(body);
            total += body.size() + 3;
        }
        int defined = bodies.size();
        bodies.add(start(defined));

        WasmBytes m = new WasmBytes((int) total + 8192);
        m.raw(new byte[] {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00});

        WasmBytes types = new WasmBytes().u32(5);
        funcType(types, new int[] {I32, I32, I32, I32}, new int[] {I32});   // T_FD_WRITE
        funcType(types, new int[] {I32}, new int[] {});                     // T_PROC_EXIT
        funcType(types, new int[] {}, new int[] {});                        // T_START
        funcType(types, new int[] {I32, I32}, new int[] {I32});             // T_II_I
        funcType(types, new int[] {I64, I32}, new int[] {I64});             // T_LI_L
        m.section(1, types);

        WasmBytes imports = new WasmBytes().u32(IMPORTED);
        imports.name("wasi_snapshot_preview1").name("fd_write").u8(0x00).u32(T_FD_WRITE);
        imports.name("wasi_snapshot_preview1").name("proc_exit").u8(0x00).u32(T_PROC_EXIT);
        m.section(2, imports);

        WasmBytes functions = new WasmBytes(defined + 16).u32(defined + 1);
        for (int j = 0; j < defined; j++) functions.u32(typeOf(j));
        functions.u32(T_START);
        m.section(3, functions);

        m.section(5, new WasmBytes().u32(1).u8(0x01).u32(MEMORY_PAGES).u32(16));

        WasmBytes globals = new WasmBytes().u32(2);
        globals.u8(I32).u8(0x01).u8(0x41).s32(moduleNumber).u8(0x0B);
        globals.u8(I64).u8(0x01).u8(0x42).s64(rng.next()).u8(0x0B);
        m.section(6, globals);

        WasmBytes exports = new WasmBytes().u32(2);
        exports.name("memory").u8(0x02).u32(0);
        exports.name("_start").u8(0x00).u32(IMPORTED + defined);
        m.section(7, exports);

        WasmBytes codeSection = new WasmBytes((int) total + 64).u32(bodies.size());
        for (WasmBytes body : bodies) codeSection.u32(body.size()).raw(body);
        m.section(10, codeSection);

        byte[] text = ("nojit benchmark module " + moduleNumber + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] data = new byte[text.length + 2048];
        System.arraycopy(text, 0, data, 0, text.length);
        for (int i = text.length; i < data.length; i++) data[i] = (byte) rng.next();
        WasmBytes dataSection = new WasmBytes(data.length + 16).u32(1);
        dataSection.u32(0).u8(0x41).s32(DATA_OFFSET).u8(0x0B).u32(data.length).raw(data);
        m.section(11, dataSection);
        return m.toByteArray();
    }

    private static void funcType(WasmBytes out, int[] params, int[] results) {
        out.u8(0x60).u32(params.length);
        for (int p : params) out.u8(p);
        out.u32(results.length);
        for (int r : results) out.u8(r);
    }

    /** Defined function {@code j} (0-based) alternates between the two generated types. */
    private static int typeOf(int j) {
        return j % 2 == 0 ? T_II_I : T_LI_L;
    }

    private WasmBytes function(int index, int targetBytes) {
        code = new WasmBytes(targetBytes + 256);
        definedSoFar = index;
        boolean ii = typeOf(index) == T_II_I;
        i32Locals = ii ? I32_LOCALS_II : I32_LOCALS_LI;
        i64Locals = ii ? I64_LOCALS_II : I64_LOCALS_LI;
        labels.clear();
        inLoop = false;
        blockDepth = 0;

        code.u32(2).u32(3).u8(I32).u32(3).u8(I64);
        while (code.size() < targetBytes) statement();
        if (ii) i32(0);
        else i64(0);
        code.u8(0x0B);
        return code;
    }

    /** {@code _start}: call a few functions, write a line, exit 0. */
    private WasmBytes start(int defined) {
        code = new WasmBytes(256);
        code.u32(0);
        for (int k = 0; k < Math.min(defined, 8); k++) {
            int j = rng.below(defined);
            if (typeOf(j) == T_II_I) code.u8(0x41).s32(rng.below(1000)).u8(0x41).s32(rng.below(1000));
            else code.u8(0x42).s64(rng.below(1000)).u8(0x41).s32(rng.below(1000));
            code.u8(0x10).u32(IMPORTED + j).u8(0x1A);
        }
        // iovec {DATA_OFFSET, length of the text} at address 0; nwritten at 8.
        code.u8(0x41).s32(0).u8(0x41).s32(DATA_OFFSET).u8(0x36).u32(2).u32(0);
        code.u8(0x41).s32(4).u8(0x41).s32(24).u8(0x36).u32(2).u32(0);
        code.u8(0x41).s32(1).u8(0x41).s32(0).u8(0x41).s32(1).u8(0x41).s32(8).u8(0x10).u32(F_FD_WRITE).u8(0x1A);
        code.u8(0x41).s32(0).u8(0x10).u32(F_PROC_EXIT);
        code.u8(0x0B);
        return code;
    }

    // ---- statements: leave the operand stack as they found it ----

    private void statement() {
        boolean nest = blockDepth < MAX_BLOCK_DEPTH;
        int pick = rng.below(100);
        if (pick < 22) {
            i32(0);
            code.u8(0x21).u32(pick(i32Locals, true));                   // local.set (i32)
        } else if (pick < 36) {
            i64(0);
            code.u8(0x21).u32(pick(i64Locals, false));                  // local.set (i64)
        } else if (pick < 40) {
            if (rng.chance(50)) {
                i32(1);
                code.u8(0x24).u32(0);                                   // global.set
            } else {
                i64(1);
                code.u8(0x24).u32(1);
            }
        } else if (pick < 52) {
            store();
        } else if (pick < 56) {
            if (rng.chance(50)) i32(1);
            else i64(1);
            code.u8(0x1A);                                              // drop
        } else if (pick < 62 && nest) {
            block();
        } else if (pick < 70 && nest) {
            ifStatement();
        } else if (pick < 77 && nest && !inLoop) {
            loop();
        } else if (pick < 83) {
            branchIf();
        } else if (pick < 86 && nest) {
            switchStatement();
        } else if (pick < 90) {
            callStatement();
        } else if (pick < 92 && nest) {
            earlyReturn();
        } else {
            i32(0);
            code.u8(0x22).u32(pick(i32Locals, true)).u8(0x1A);          // local.tee, drop
        }
    }

    private void statements(int min, int max) {
        int n = min + rng.below(max - min + 1);
        for (int i = 0; i < n; i++) statement();
    }

    private void store() {
        address();
        switch (rng.below(3)) {
            case 0 -> {
                i32(1);
                code.u8(0x36).u32(2).u32(rng.below(MAX_OFFSET));        // i32.store
            }
            case 1 -> {
                i64(1);
                code.u8(0x37).u32(3).u32(rng.below(MAX_OFFSET));        // i64.store
            }
            default -> {
                i32(1);
                code.u8(0x3A).u32(0).u32(rng.below(MAX_OFFSET));        // i32.store8
            }
        }
    }

    private void block() {
        code.u8(0x02).u8(EMPTY);
        enter(Label.TARGET);
        statements(1, 4);
        condition();
        code.u8(0x0D).u32(0);                                           // br_if 0
        statements(1, 4);
        leave();
        code.u8(0x0B);
    }

    private void ifStatement() {
        condition();
        code.u8(0x04).u8(EMPTY);
        enter(Label.TARGET);
        statements(1, 4);
        if (rng.chance(50)) {
            code.u8(0x05);
            statements(1, 4);
        }
        leave();
        code.u8(0x0B);
    }

    /** A counted loop: counter = n; loop { body; br_if 0 (counter = counter - 1) }. */
    private void loop() {
        code.u8(0x41).s32(1 + rng.below(16)).u8(0x21).u32(COUNTER);
        code.u8(0x03).u8(EMPTY);
        enter(Label.OTHER);
        inLoop = true;
        statements(2, 6);
        code.u8(0x20).u32(COUNTER).u8(0x41).s32(1).u8(0x6B).u8(0x22).u32(COUNTER);
        code.u8(0x0D).u32(0);
        inLoop = false;
        leave();
        code.u8(0x0B);
    }

    /** br_if to a random enclosing block or if without result, if any. */
    private void branchIf() {
        List<Integer> depths = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(labels.size() - 1 - i) == Label.TARGET) depths.add(i);
        }
        if (depths.isEmpty()) {
            store();
            return;
        }
        condition();
        code.u8(0x0D).u32(depths.get(rng.below(depths.size())));
    }

    /** Three cases and a default, dispatched by br_table. */
    private void switchStatement() {
        code.u8(0x02).u8(EMPTY);
        enter(Label.TARGET);                                            // out
        for (int c = 0; c < 3; c++) {
            code.u8(0x02).u8(EMPTY);
            enter(Label.TARGET);                                        // case 2, 1, 0
        }
        i32(1);
        code.u8(0x0E).u32(3).u32(0).u32(1).u32(2).u32(3);               // br_table 0 1 2 default 3
        for (int c = 0; c < 3; c++) {
            leave();
            code.u8(0x0B);
            statements(1, 3);
            if (c < 2) code.u8(0x0C).u32(2 - c);                        // br out
        }
        leave();
        code.u8(0x0B);
    }

    private void callStatement() {
        if (rng.chance(15)) {
            for (int k = 0; k < 4; k++) i32(2);
            code.u8(0x10).u32(F_FD_WRITE).u8(0x1A);
        } else if (rng.chance(5)) {
            condition();
            code.u8(0x04).u8(EMPTY);
            code.u8(0x41).s32(rng.below(128)).u8(0x10).u32(F_PROC_EXIT);
            code.u8(0x0B);
        } else if (rng.chance(50) && callI32()) {
            code.u8(0x1A);
        } else if (callI64()) {
            code.u8(0x1A);
        } else {
            store();
        }
    }

    private void earlyReturn() {
        condition();
        code.u8(0x04).u8(EMPTY);
        enter(Label.TARGET);
        if (i64Locals[0] == 0) i64(1);
        else i32(1);
        code.u8(0x0F);                                                  // return
        leave();
        code.u8(0x0B);
    }

    private void enter(Label label) {
        labels.add(label);
        blockDepth++;
    }

    private void leave() {
        labels.removeLast();
        blockDepth--;
    }

    // ---- expressions: push exactly one value of their type ----

    private void condition() {
        condition(0);
    }

    /** An i32 condition inside an expression at {@code depth}; operands nest no shallower than 2. */
    private void condition(int depth) {
        int d = Math.max(depth, 2);
        if (rng.chance(50)) {
            i32(d);
            code.u8(0x41).s32(1 + rng.below(255)).u8(0x71);             // x & k
        } else {
            i32(d);
            i32(d + 1);
            code.u8(I32_COMPARE[rng.below(I32_COMPARE.length)]);
        }
    }

    private void address() {
        address(0);
    }

    private void address(int depth) {
        i32(Math.max(depth, 2));
        code.u8(0x41).s32(ADDRESS_MASK).u8(0x71);                       // i32.and
    }

    private void i32(int depth) {
        if (depth >= MAX_EXPR_DEPTH || rng.chance(22)) {
            i32Leaf();
            return;
        }
        int pick = rng.below(100);
        int d = depth + 1;
        if (pick < 34) {
            i32(d);
            i32(d);
            code.u8(I32_BINARY[rng.below(I32_BINARY.length)]);
        } else if (pick < 42) {
            i32(d);
            code.u8(I32_UNARY[rng.below(I32_UNARY.length)]);
        } else if (pick < 50) {
            i32(d);
            i32(d);
            code.u8(I32_COMPARE[rng.below(I32_COMPARE.length)]);
        } else if (pick < 56) {
            i64(d);
            i64(d);
            code.u8(I64_COMPARE[rng.below(I64_COMPARE.length)]);
        } else if (pick < 58) {
            i64(d);
            code.u8(0x50);                                              // i64.eqz
        } else if (pick < 68) {
            address(d);
            switch (rng.below(3)) {
                case 0 -> code.u8(0x28).u32(2);                         // i32.load
                case 1 -> code.u8(0x2D).u32(0);                         // i32.load8_u
                default -> code.u8(0x2E).u32(1);                        // i32.load16_s
            }
            code.u32(rng.below(MAX_OFFSET));
        } else if (pick < 74) {
            i64(d);
            code.u8(0xA7);                                              // i32.wrap_i64
        } else if (pick < 80) {
            if (!callI32(d)) i32Leaf();
        } else if (pick < 85) {
            i32(d);
            i32(d);
            condition(d);
            code.u8(0x1B);                                              // select
        } else if (pick < 90 && blockDepth < MAX_BLOCK_DEPTH) {
            condition(d);
            code.u8(0x04).u8(I32);                                      // if (result i32)
            enter(Label.OTHER);
            i32(d);
            code.u8(0x05);
            i32(d);
            leave();
            code.u8(0x0B);
        } else if (pick < 93 && blockDepth < MAX_BLOCK_DEPTH && depth < 2) {
            code.u8(0x02).u8(I32);                                      // block (result i32)
            enter(Label.OTHER);
            statements(1, 2);
            i32(d);
            leave();
            code.u8(0x0B);
        } else {
            i32(d);
            code.u8(0x22).u32(pick(i32Locals, true));                   // local.tee
        }
    }

    private void i32Leaf() {
        int pick = rng.below(10);
        if (pick < 5) code.u8(0x20).u32(pick(i32Locals, false));       // local.get
        else if (pick < 9) code.u8(0x41).s32(constant32());
        else code.u8(0x23).u32(0);                                      // global.get
    }

    private void i64(int depth) {
        if (depth >= MAX_EXPR_DEPTH || rng.chance(22)) {
            i64Leaf();
            return;
        }
        int pick = rng.below(100);
        int d = depth + 1;
        if (pick < 40) {
            i64(d);
            i64(d);
            code.u8(I64_BINARY[rng.below(I64_BINARY.length)]);
        } else if (pick < 46) {
            i64(d);
            code.u8(I64_UNARY[rng.below(I64_UNARY.length)]);
        } else if (pick < 58) {
            i32(d);
            code.u8(rng.chance(50) ? 0xAC : 0xAD);                      // i64.extend_i32_s / _u
        } else if (pick < 70) {
            address(d);
            if (rng.chance(60)) code.u8(0x29).u32(3);                   // i64.load
            else code.u8(0x35).u32(2);                                  // i64.load32_u
            code.u32(rng.below(MAX_OFFSET));
        } else if (pick < 78) {
            if (!callI64(d)) i64Leaf();
        } else if (pick < 84) {
            i64(d);
            i64(d);
            condition(d);
            code.u8(0x1B);                                              // select
        } else if (pick < 90 && blockDepth < MAX_BLOCK_DEPTH) {
            condition(d);
            code.u8(0x04).u8(I64);                                      // if (result i64)
            enter(Label.OTHER);
            i64(d);
            code.u8(0x05);
            i64(d);
            leave();
            code.u8(0x0B);
        } else {
            i64(d);
            code.u8(0x22).u32(pick(i64Locals, false));                  // local.tee
        }
    }

    private void i64Leaf() {
        int pick = rng.below(10);
        if (pick < 5) code.u8(0x20).u32(pick(i64Locals, false));       // local.get
        else if (pick < 9) code.u8(0x42).s64(rng.chance(50) ? rng.next() : constant32());
        else code.u8(0x23).u32(1);                                      // global.get
    }

    /** Calls an earlier (i32,i32)->i32 function; false if there is none. */
    private boolean callI32() {
        return callI32(0);
    }

    private boolean callI32(int depth) {
        if (definedSoFar < 1) return false;
        int j = 2 * rng.below((definedSoFar + 1) / 2);
        i32(Math.max(depth, 3));
        i32(Math.max(depth, 3));
        code.u8(0x10).u32(IMPORTED + j);
        return true;
    }

    /** Calls an earlier (i64,i32)->i64 function; false if there is none. */
    private boolean callI64() {
        return callI64(0);
    }

    private boolean callI64(int depth) {
        if (definedSoFar < 2) return false;
        int j = 1 + 2 * rng.below(definedSoFar / 2);
        i64(Math.max(depth, 3));
        i32(Math.max(depth, 3));
        code.u8(0x10).u32(IMPORTED + j);
        return true;
    }

    private int constant32() {
        return switch (rng.below(4)) {
            case 0 -> rng.below(16);
            case 1 -> rng.below(4096) - 2048;
            case 2 -> rng.below(1 << 20);
            default -> (int) rng.next();
        };
    }

    /** A local to read, or to write (never the loop counter). */
    private int pick(int[] locals, boolean write) {
        if (!write && locals == i32Locals && rng.chance(10)) return COUNTER;
        return locals[rng.below(locals.length)];
    }

    /** SplitMix64: a small, fixed generator, so the same seed gives the same bytes on every JDK. */
    static final class SplitMix64 {
        private long state;

        SplitMix64(long seed) {
            this.state = seed;
        }

        long next() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        int below(int n) {
            return (int) Long.remainderUnsigned(next(), n);
        }

        boolean chance(int percent) {
            return below(100) < percent;
        }
    }
}
