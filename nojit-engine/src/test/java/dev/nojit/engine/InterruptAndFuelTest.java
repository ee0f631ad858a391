package dev.nojit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A running guest can be stopped, signalled or budgeted from outside; no Java thread is ever killed. */
class InterruptAndFuelTest {
    private static final String SPIN = """
            (module
              (global $n (export "n") (mut i32) (i32.const 0))
              (func (export "spin") (loop $l (global.set $n (i32.add (global.get $n) (i32.const 1))) (br $l)))
              (func $rec (export "recurse") (call $rec))
              (func (export "count") (param $k i32) (result i32)
                (block $done (loop $l
                  (br_if $done (i32.eqz (local.get $k)))
                  (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                  (global.set $n (i32.add (global.get $n) (i32.const 1)))
                  (br $l)))
                (global.get $n)))
            """;

    private static Trap runUntilInterrupted(Instance inst, String export) throws Exception {
        Machine m = new Machine(inst.store());
        CompletableFuture<Trap> result = CompletableFuture.supplyAsync(() -> {
            try {
                m.invoke(inst, export);
                return null;
            } catch (Trap t) {
                return t;
            }
        });
        Thread.sleep(100); // let it run
        long start = System.nanoTime();
        m.interrupt();
        Trap t = result.get(10, TimeUnit.SECONDS);
        long latencyMicros = (System.nanoTime() - start) / 1000;
        System.out.println("interrupt latency (" + export + "): " + latencyMicros + " us");
        return t;
    }

    @Test
    void anInfiniteLoopStopsWhenInterrupted() throws Exception {
        Instance inst = Wat.instance(SPIN);
        Trap t = runUntilInterrupted(inst, "spin");
        assertThat(t).isNotNull();
        assertThat(t.kind()).isEqualTo(TrapKind.INTERRUPTED);
        assertThat(inst.exportedGlobal("n").get()).isGreaterThan(0);
    }

    @Test
    void callsAreSafepointsToo() throws Exception {
        // unbounded recursion would trap on depth anyway; a deep limit keeps it running long enough
        Store store = new Store(EngineConfig.defaults().withMaxCallDepth(Integer.MAX_VALUE).withMaxStackSlots(1 << 26));
        Instance inst = store.instantiate(Wat.image(SPIN), Imports.empty());
        Trap t = runUntilInterrupted(inst, "recurse");
        assertThat(t.kind()).isIn(TrapKind.INTERRUPTED, TrapKind.CALL_STACK_EXHAUSTED);
    }

    @Test
    void aSafepointHandlerRunsOnTheGuestThreadAndExecutionContinues() {
        Instance inst = Wat.instance(SPIN);
        Machine m = new Machine(inst.store());
        AtomicInteger handled = new AtomicInteger();
        Thread[] handlerThread = new Thread[1];
        m.interrupt(call -> {
            handled.incrementAndGet();
            handlerThread[0] = Thread.currentThread();
        });
        assertThat(m.invoke(inst, "count", 1000)[0]).isEqualTo(1000);
        assertThat(handled.get()).isEqualTo(1);
        assertThat(handlerThread[0]).isSameAs(Thread.currentThread());
    }

    @Test
    void fuelBoundsExecution() {
        Instance inst = Wat.instance(SPIN);
        Machine m = new Machine(inst.store());
        m.setFuel(1000);
        assertThatThrownBy(() -> m.invoke(inst, "spin"))
                .isInstanceOfSatisfying(Trap.class, t -> assertThat(t.kind()).isEqualTo(TrapKind.OUT_OF_FUEL));
        long iterations = inst.exportedGlobal("n").get();
        assertThat(iterations).isBetween(50L, 1000L); // each iteration costs a handful of units

        Machine enough = new Machine(inst.store());
        enough.setFuel(1_000_000);
        assertThat(enough.invoke(inst, "count", 100)[0]).isEqualTo(iterations + 100);
        assertThat(enough.fuel()).isBetween(1L, 1_000_000L - 100);

        Machine unlimited = new Machine(inst.store());
        assertThat(unlimited.fuel()).isEqualTo(-1);
        unlimited.setFuel(5);
        unlimited.setFuel(-1);
        assertThat(unlimited.invoke(inst, "count", 100_000)[0]).isEqualTo(iterations + 100 + 100_000);
    }
}
