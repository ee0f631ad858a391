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
import dev.nojit.engine.Store;
import dev.nojit.engine.Trap;
import dev.nojit.engine.ValType;
import dev.nojit.engine.Wat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Returns-twice call sites (setjmp): the translator saves the locals and the operands under the call, the
 * runtime's unwind comes back through the function's handler, and the function continues after the site with
 * its values restored and the second result, exactly as on the interpreter (memory is not restored). Each case
 * runs in both modes; the results, or trap messages, must be the same and the expected ones.
 */
class SetjmpAotTest {
    private static final FuncType SETJMP = FuncType.of(List.of(ValType.I32), List.of(ValType.I32));
    private static final FuncType LONGJMP = FuncType.of(List.of(ValType.I32, ValType.I32), List.of());

    private static final String WAT = """
            (module
              (import "env" "setjmp" (func $setjmp (param i32) (result i32)))
              (import "env" "longjmp" (func $longjmp (param i32 i32)))
              (memory (export "memory") 1)
              (func $jump (param i32) (call $longjmp (i32.const 16) (local.get 0)))
              ;; locals and an operand (1000) live across the site; a local changed after setjmp is restored,
              ;; the memory counter is not
              (func (export "run") (param $n i32) (result i64)
                (local $a i64) (local $f f32) (local $d f64) (local $r i32)
                (local.set $a (i64.const 5))
                (local.set $f (f32.const 1.5))
                (local.set $d (f64.const 2.25))
                (i64.const 1000)
                (local.set $r (call $setjmp (i32.const 16)))
                (if (i32.eqz (local.get $r)) (then
                  (local.set $a (i64.const 7))
                  (local.set $f (f32.const 100))
                  (local.set $d (f64.const 100))
                  (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
                  (call $jump (local.get $n))))
                (i64.add (i64.extend_i32_u (local.get $r)) (local.get $a))
                (i64.add)
                (i64.add (i64.extend_i32_u (i32.load (i32.const 0))))
                (i64.add (i64.trunc_f32_s (local.get $f)))
                (i64.add (i64.trunc_f64_s (local.get $d))))
              ;; two sites in a loop: longjmp back to the first site three times
              (func (export "loop") (result i32)
                (local $k i32)
                (drop (call $setjmp (i32.const 32)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (i32.store (i32.const 4) (i32.add (i32.load (i32.const 4)) (i32.const 1)))
                (if (i32.lt_u (i32.load (i32.const 4)) (i32.const 4)) (then (call $jump2)))
                (i32.add (i32.mul (local.get $k) (i32.const 100)) (call $setjmp (i32.const 48))))
              (func $jump2 (call $longjmp (i32.const 32) (i32.const 9)))
              ;; a site whose function has returned: unwinding to it traps
              (func $mark (drop (call $setjmp (i32.const 64))))
              (func (export "stale") (call $mark) (call $longjmp (i32.const 64) (i32.const 1)))
              ;; a trap after a site passes through the handler
              (func (export "trap") (result i32)
                (drop (call $setjmp (i32.const 80)))
                (unreachable))
            )
            """;

    @Test
    void setjmpSitesBehaveAsOnTheInterpreter() throws Exception {
        byte[] wasm = Wat.toWasm(WAT);
        AotCompiler.Output out = AotCompiler.compile(wasm, Set.of("env:setjmp"));
        assertThat(out.compiled()).isEqualTo(out.defined());
        List<String> calls = List.of("run 3", "run 40", "loop", "stale", "trap");
        List<String> interpreted = run(wasm, null, calls);
        List<String> aot = run(wasm, TestLoader.load(out), calls);
        assertThat(aot).isEqualTo(interpreted);
        // run n: 1000 + n + 5 (restored) + 1 (memory) + 1 (f32 1.5 restored) + 2 (f64 2.25 restored)
        assertThat(aot).containsExactly("run 3 -> 1012", "run 40 -> 1050", "loop -> 100",
                "stale -> trap: unwind target is no longer on the stack", "trap -> trap: unreachable");
    }

    private static List<String> run(byte[] wasm, CompiledModule compiled, List<String> calls) throws Exception {
        Map<Long, ResumePoint> buffers = new HashMap<>();
        Imports imports = Imports.builder()
                .function("env", "setjmp", SETJMP, (call, args) -> {
                    buffers.put(args[0], call.resumePoint());
                    return new long[] {0};
                })
                .function("env", "longjmp", LONGJMP, (call, args) -> {
                    throw call.unwind(buffers.get(args[0]), args[1]);
                })
                .build();
        Store store = new Store(EngineConfig.defaults());
        Instance instance = store.instantiate(ModuleImage.compile(wasm), imports, compiled);
        List<String> results = new ArrayList<>();
        for (String c : calls) {
            String[] parts = c.split(" ");
            long[] args = parts.length > 1 ? new long[] {Long.parseLong(parts[1])} : new long[0];
            try {
                long[] r = new Machine(store).invoke(instance, parts[0], args);
                results.add(c + " -> " + (r.length == 0 ? "" : r[0]));
            } catch (Trap t) {
                results.add(c + " -> trap: " + t.getMessage());
            }
        }
        return results;
    }
}
