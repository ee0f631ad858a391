package dev.nojit.aot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nojit.engine.CompiledModule;
import dev.nojit.engine.EngineConfig;
import dev.nojit.engine.FuncType;
import dev.nojit.engine.Imports;
import dev.nojit.engine.Instance;
import dev.nojit.engine.Machine;
import dev.nojit.engine.ModuleImage;
import dev.nojit.engine.ResumePoint;
import dev.nojit.engine.Snapshot;
import dev.nojit.engine.Store;
import dev.nojit.engine.Trap;
import dev.nojit.engine.Wat;
import dev.nojit.engine.ValType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Fork from compiled code by deoptimization (the translator's {@code --deopt}): a host function that takes a
 * snapshot under compiled frames gets it, the compiled activations having been rebuilt as interpreter frames and
 * the host call made again. The parent's results and those of every snapshot's resumed copy (the forked child)
 * must be the interpreter's: values on the operand stack below calls (i32, i64, f64) and in locals (all four
 * types), a call_indirect on the way, a direct entry from {@code Machine.invoke} (the first fork) and an entry
 * from interpreter frames that deoptimization left (the second fork, in the same run).
 */
class DeoptForkAotTest {
    private static final FuncType FORK = FuncType.of(List.of(ValType.I32), List.of(ValType.I32));
    private static final FuncType CALLBACK = FuncType.of(List.of(), List.of(ValType.I64));
    private static final FuncType SETJMP = FuncType.of(List.of(ValType.I32), List.of(ValType.I32));
    private static final FuncType LONGJMP = FuncType.of(List.of(ValType.I32, ValType.I32), List.of());

    private static final String WAT = """
            (module
              (import "env" "fork" (func $fork (param i32) (result i32)))
              (import "env" "callback" (func $callback (result i64)))
              (import "env" "setjmp" (func $setjmp (param i32) (result i32)))
              (import "env" "longjmp" (func $longjmp (param i32 i32)))
              (type $t (func (param i32 i64) (result i64)))
              (table 1 funcref)
              (elem (i32.const 0) $b)
              (memory 1)
              (func $b (param $x i32) (param $y i64) (result i64)
                (local $f f32) (local $d f64)
                (local.set $f (f32.const 2.5))
                (local.set $d (f64.const -3.25))
                (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
                (i64.const 1000)
                (i64.extend_i32_s (call $fork (i32.add (local.get $x) (i32.const 1))))
                (i64.mul (i64.const 10))
                (i64.add)
                (i64.add (local.get $y))
                (i64.add (i64.trunc_f32_s (local.get $f)))
                (i64.add (i64.trunc_f64_s (local.get $d)))
                (i64.add (i64.extend_i32_u (i32.load (i32.const 0)))))
              (func $a (param $n i32) (result i64)
                (local $k i64) (local $r i64)
                (local.set $k (i64.const 77))
                (f64.const 0.5)
                (i32.const 3)
                (call_indirect (type $t) (local.get $n) (i64.const 5) (i32.const 0))
                (i64.add (local.get $k))
                (local.set $r)
                (i64.extend_i32_s)
                (i64.add (local.get $r))
                (local.set $r)
                (i64.trunc_f64_s (f64.mul (f64.const 4)))
                (i64.add (local.get $r)))
              (func (export "run") (param $n i32) (result i64)
                (i64.const 100000)
                (call $a (local.get $n))
                (i64.add)
                (call $a (i32.add (local.get $n) (i32.const 1)))
                (i64.mul (i64.const 3))
                (i64.add))
              ;; a setjmp site in a frame that the fork deoptimizes: the longjmp after the fork comes back to it as
              ;; an interpreter frame, the local set after setjmp restored (40), the operand below it kept (500)
              (func (export "jump") (param $n i32) (result i64)
                (local $v i64) (local $r i32)
                (local.set $v (i64.const 40))
                (i64.const 500)
                (local.set $r (call $setjmp (i32.const 16)))
                (if (i32.eqz (local.get $r)) (then
                  (local.set $v (i64.const 1))
                  (local.set $v (i64.add (local.get $v) (call $a (local.get $n))))
                  (call $longjmp (i32.const 16) (i32.add (i32.const 7) (i32.wrap_i64 (local.get $v))))))
                (i64.add (i64.extend_i32_u (local.get $r)) (local.get $v))
                (i64.add))
              ;; dead code after a block no path leaves holds a call: neither translator counts it, so the fork
              ;; after it is the same call site for both (else the rebuilt frame would run the dead call)
              (func $c (param $x i32) (result i32)
                (block $out
                  (block $inner (br $out))
                  (drop (call $fork (i32.const 99))))
                (i32.add (i32.const 1000) (call $fork (local.get $x))))
              (func (export "dead") (param $x i32) (result i64)
                (i64.extend_i32_s (call $c (local.get $x))))
              ;; fork from guest code that a host function called back: refused (nested), in both modes
              (func (export "nested") (result i64)
                (i64.add (i64.const 1) (call $callback)))
            )
            """;

    @Test
    void forkUnderCompiledFramesGivesTheInterpretersParentAndChildren() throws Exception {
        byte[] wasm = Wat.toWasm(WAT);
        AotCompiler.Output out = AotCompiler.compile(wasm, Set.of("env:setjmp"), true);
        assertThat(out.compiled()).isEqualTo(out.defined());
        CompiledModule compiled = TestLoader.load(out);
        assertThat(compiled.deoptimizable()).isTrue();
        List<String> interpreted = run(wasm, null);
        List<String> aot = run(wasm, compiled);
        assertThat(aot).isEqualTo(interpreted);
        // b(x) = 1004 + 10 * fork(x + 1) + m (m: the memory counter, copied into a child), a(n) = b(n) + 82,
        // run(n) = 100000 + a(n) + 3 a(n + 1); a parent's fork returns its argument + 100, a child's fork 0 (the
        // fork it comes back from) and later ones again argument + 100. run 5: 100000 + 2147 + 3 * 2158.
        assertThat(aot).containsExactly(
                "run 5 -> 108621 (2 forks)",
                "child 0 -> 107561", "child 1 -> 105411",
                "run 9 -> 108789 (2 forks)",
                "child 0 -> 107689", "child 1 -> 105459",
                // setjmp, then a(3) forks (m 5: a = 2131, v = 2132), longjmp with 7 + v: 500 + 2139 + 40 (v restored);
                // the child's fork returns 0: a = 1091, 500 + 1099 + 40
                "jump 3 -> 2679 (1 forks)", "child 0 -> 1639",
                "dead 20 -> 1120 (1 forks)", "child 0 -> 1000",
                // run(1) called back from a host function: both forks refused (-38), the memory counter at 6 and 7
                "nested -> 102852 (refused: 2)");
    }

    /**
     * A function in the shape of a C switch in a loop (what the translator splits: each case a region of its own
     * method, the locals in an array): forks inside two regions, with operands below the calls and locals of all
     * four types, exits from regions to the loop and by return, and a compiled caller below it.
     */
    private static final String SPLIT_WAT = """
            (module
              (import "env" "fork" (func $fork (param i32) (result i32)))
              (memory 1)
              (func $sw (param $n i32) (result i64)
                (local $acc i64) (local $f f32) (local $d f64) (local $i i32)
                (local.set $f (f32.const 1.5))
                (local.set $d (f64.const 2.25))
                (local.set $acc (i64.const 3))
                (block $done
                  (loop $next
                    (block $c2
                      (block $c1
                        (block $c0
                          (br_table $c0 $c1 $c2 $done (i32.and (local.get $i) (i32.const 3))))
                        ;; case 0: a fork with two values below it
                        (local.set $acc (i64.add (local.get $acc)
                          (i64.add (i64.const 7) (i64.extend_i32_s (call $fork (i32.add (local.get $n) (local.get $i)))))))
                        (local.set $f (f32.add (local.get $f) (f32.const 1)))
                        (local.set $i (i32.add (local.get $i) (i32.const 1)))
                        (br $next))
                      ;; case 1: back to the loop, or a return from inside the region
                      (local.set $acc (i64.mul (local.get $acc) (i64.const 3)))
                      (local.set $d (f64.mul (local.get $d) (f64.const 2)))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (br_if $next (i32.lt_u (local.get $i) (i32.const 100)))
                      (return (i64.const -1)))
                    ;; case 2: a return whose value has a fork in it, two values below the call
                    (return (i64.add
                      (i64.add (local.get $acc) (i64.trunc_f32_s (local.get $f)))
                      (i64.add (i64.trunc_f64_s (local.get $d)) (i64.extend_i32_s (call $fork (i32.const 50))))))))
                (i64.const -2))
              (func (export "sw") (param $n i32) (result i64)
                (call $sw (local.get $n)))
              (func (export "outer") (param $n i32) (result i64)
                (i64.const 1000000)
                (call $sw (local.get $n))
                (i64.add))
            )
            """;

    @Test
    void forkInsideTheRegionsOfASplitFunctionGivesTheInterpretersParentAndChildren() throws Exception {
        byte[] wasm = Wat.toWasm(SPLIT_WAT);
        AotCompiler.Output out = AotCompiler.compile(wasm, Set.of(), true, 0);
        assertThat(out.split()).as("$sw split into regions").isEqualTo(1);
        List<String> regions = new ArrayList<>();
        for (AotCompiler.GeneratedClass c : out.classes()) {
            for (var m : java.lang.classfile.ClassFile.of().parse(c.bytes()).methods()) {
                if (m.methodName().stringValue().startsWith("r")) regions.add(m.methodName().stringValue());
            }
        }
        assertThat(regions).as("the three cases, each a region").hasSize(3);
        CompiledModule compiled = TestLoader.load(out);
        assertThat(compiled.deoptimizable()).isTrue();
        List<String> calls = List.of("sw 5", "outer 9");
        List<String> interpreted = run(wasm, null, calls, false);
        List<String> aot = run(wasm, compiled, calls, false);
        assertThat(aot).isEqualTo(interpreted);
        // sw(n): case 0 forks (n -> n + 100 in a parent, 0 in the child), acc = 3 + 7 + fork(n); case 1 acc *= 3,
        // d = 4.5; case 2 returns acc + 2 + 4 + fork(50) (150 in a parent, 0 in a child).
        // sw 5: 3 * (3 + 7 + 105) + 6 + 150 = 501; its first child (fork 0 returned 0): 3 * 10 + 6 + 150 = 186;
        // its second (the return's fork): 3 * 115 + 6 + 0 = 351.
        assertThat(aot).containsExactly(
                "sw 5 -> 501 (2 forks)", "child 0 -> 186", "child 1 -> 351",
                "outer 9 -> 1000513 (2 forks)", "child 0 -> 1000186", "child 1 -> 1000363");
    }

    @Test
    void withoutDeoptimizationForkUnderCompiledFramesIsRefused() throws Exception {
        byte[] wasm = Wat.toWasm(WAT);
        CompiledModule compiled = TestLoader.load(AotCompiler.compile(wasm, Set.of("env:setjmp"), false));
        assertThat(compiled.deoptimizable()).isFalse();
        Store store = new Store(EngineConfig.defaults());
        List<String> refusals = new ArrayList<>();
        Imports imports = imports(new ArrayList<>(), refusals, null);
        Instance instance = store.instantiate(ModuleImage.compile(wasm), imports, compiled);
        new Machine(store).invoke(instance, "run", 5);
        assertThat(refusals).hasSize(2).allMatch(m -> m.contains("cannot copy compiled (AOT) frames"));
    }

    private static Imports imports(List<Snapshot> snaps, List<String> refusals, Instance[] self) {
        // setjmp buffers per machine; a fork gives the child's machine the same buffers on its copy (as the vkernel does)
        Map<Machine, Map<Long, ResumePoint>> buffers = new HashMap<>();
        return Imports.builder()
                .function("env", "setjmp", SETJMP, (call, args) -> {
                    buffers.computeIfAbsent(call.machine(), m -> new HashMap<>()).put(args[0], call.resumePoint());
                    return new long[] {0};
                })
                .function("env", "longjmp", LONGJMP, (call, args) -> {
                    throw call.unwind(buffers.get(call.machine()).get(args[0]), args[1]);
                })
                .function("env", "fork", FORK, (call, args) -> {
                    try {
                        Snapshot snap = call.snapshot();
                        snaps.add(snap);
                        Map<Long, ResumePoint> child = new HashMap<>();
                        buffers.getOrDefault(call.machine(), Map.of()).forEach((k, p) -> child.put(k, snap.resumePoint(p)));
                        buffers.put(snap.machine(), child);
                    } catch (IllegalStateException e) {
                        refusals.add(e.getMessage());
                        return new long[] {-38};
                    }
                    return new long[] {args[0] + 100};
                })
                .function("env", "callback", CALLBACK, (call, args) -> call.machine().invoke(self[0], "run", 1))
                .build();
    }

    private static List<String> run(byte[] wasm, CompiledModule compiled) throws Exception {
        return run(wasm, compiled, List.of("run 5", "run 9", "jump 3", "dead 20"), true);
    }

    private static List<String> run(byte[] wasm, CompiledModule compiled, List<String> calls, boolean nestedToo) throws Exception {
        List<String> results = new ArrayList<>();
        Store store = new Store(EngineConfig.defaults());
        List<Snapshot> snaps = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        Instance[] self = new Instance[1];
        Instance instance = store.instantiate(ModuleImage.compile(wasm), imports(snaps, refusals, self), compiled);
        self[0] = instance;
        for (String call : calls) {
            String[] parts = call.split(" ");
            snaps.clear();
            long r = new Machine(store).invoke(instance, parts[0], Long.parseLong(parts[1]))[0];
            List<Snapshot> taken = List.copyOf(snaps);
            results.add(call + " -> " + r + " (" + taken.size() + " forks)");
            for (int i = 0; i < taken.size(); i++) {
                try {
                    results.add("child " + i + " -> " + taken.get(i).resume(0)[0]);
                } catch (Trap t) {
                    results.add("child " + i + " -> trap: " + t.getMessage());
                }
            }
        }
        if (!nestedToo) return results;
        snaps.clear();
        long nested = new Machine(store).invoke(instance, "nested")[0];
        results.add("nested -> " + nested + " (refused: " + refusals.size() + ")");
        return results;
    }
}
