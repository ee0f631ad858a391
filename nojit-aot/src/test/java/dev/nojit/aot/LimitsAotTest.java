package dev.nojit.aot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nojit.engine.EngineConfig;
import dev.nojit.engine.Imports;
import dev.nojit.engine.Instance;
import dev.nojit.engine.Machine;
import dev.nojit.engine.ModuleImage;
import dev.nojit.engine.Store;
import dev.nojit.engine.Trap;
import dev.nojit.engine.TrapKind;
import dev.nojit.engine.Wat;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Translated code keeps the engine's limits: a loop that never ends runs out of fuel (charged at its header) or
 * is interrupted there, unbounded recursion ends with the call depth limit, and fuel charged by compiled code is
 * what the machine reports spent.
 */
class LimitsAotTest {
    private static final String WAT = """
            (module
              (func (export "spin") (loop (br 0)))
              (func $down (export "down") (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
                  (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1)))))))
              (func (export "forever") (result i32) (call $forever2))
              (func $forever2 (result i32) (i32.add (i32.const 1) (call $forever2)))
              (func (export "count") (param i32) (result i32) (local i32)
                (loop (local.set 1 (i32.add (local.get 1) (i32.const 1))) (br_if 0 (i32.lt_u (local.get 1) (local.get 0))))
                (local.get 1)))
            """;

    private static Instance instance(Store store) throws Exception {
        byte[] wasm = Wat.toWasm(WAT);
        return store.instantiate(ModuleImage.compile(wasm), Imports.builder().build(), TestLoader.load(wasm, Set.of()));
    }

    @Test
    void anEndlessLoopRunsOutOfFuel() throws Exception {
        Store store = new Store(EngineConfig.defaults());
        Instance inst = instance(store);
        Machine m = new Machine(store);
        m.setFuel(100_000);
        assertThatThrownBy(() -> m.invoke(inst, "spin")).isInstanceOfSatisfying(Trap.class, t -> assertThat(t.kind()).isEqualTo(TrapKind.OUT_OF_FUEL));
    }

    @Test
    void anEndlessLoopIsInterrupted() throws Exception {
        Store store = new Store(EngineConfig.defaults());
        Instance inst = instance(store);
        Machine m = new Machine(store);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            timer.schedule((Runnable) m::interrupt, 200, TimeUnit.MILLISECONDS);
            assertThatThrownBy(() -> m.invoke(inst, "spin")).isInstanceOfSatisfying(Trap.class, t -> assertThat(t.kind()).isEqualTo(TrapKind.INTERRUPTED));
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void recursionEndsAtTheDepthLimit() throws Exception {
        Store store = new Store(EngineConfig.defaults().withMaxCallDepth(500));
        Instance inst = instance(store);
        assertThat(new Machine(store).invoke(inst, "down", 400)[0]).isEqualTo(400);
        assertThatThrownBy(() -> new Machine(store).invoke(inst, "down", 600))
                .isInstanceOfSatisfying(Trap.class, t -> assertThat(t.kind()).isEqualTo(TrapKind.CALL_STACK_EXHAUSTED));
        assertThatThrownBy(() -> new Machine(store).invoke(inst, "forever"))
                .isInstanceOfSatisfying(Trap.class, t -> assertThat(t.kind()).isEqualTo(TrapKind.CALL_STACK_EXHAUSTED));
    }

    @Test
    void fuelIsChargedPerLoopIteration() throws Exception {
        Store store = new Store(EngineConfig.defaults());
        Instance inst = instance(store);
        Machine m = new Machine(store);
        m.setFuel(1_000_000);
        assertThat(m.invoke(inst, "count", 1000)[0]).isEqualTo(1000);
        long spent = 1_000_000 - m.fuel();
        // entry: the stretch before the loop, empty, charged as 1; then the loop's stretch on each of its 1000
        // iterations: loop, 8 instructions, the loop's end, local.get, the function's end = 12
        assertThat(spent).isEqualTo(1 + 1000L * 12);
    }
}
