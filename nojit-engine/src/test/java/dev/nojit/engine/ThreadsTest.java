package dev.nojit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Shared memory between machines on different threads: atomics are atomic, wait/notify wake each other. */
class ThreadsTest {
    private static final String WORKER = """
            (module
              (import "env" "memory" (memory 1 1 shared))
              (func (export "add") (param $n i32)
                (loop $l
                  (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
                  (drop (i32.atomic.rmw8.add_u (i32.const 5) (i32.const 1)))
                  (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
              (func (export "wait") (result i32) (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const -1)))
              (func (export "notify") (result i32)
                (i32.atomic.store (i32.const 64) (i32.const 1))
                (memory.atomic.notify (i32.const 64) (i32.const 1)))
              (func (export "timedWait") (result i32) (memory.atomic.wait64 (i32.const 128) (i64.const 0) (i64.const 1000000)))
              (func (export "notEqual") (result i32) (memory.atomic.wait32 (i32.const 64) (i32.const 99) (i64.const -1))))
            """;

    @Test
    void atomicIncrementsFromTwoThreadsAllCount() throws Exception {
        Memory shared = new Memory(1, 1, true);
        Store store = new Store(EngineConfig.defaults());
        ModuleImage image = Wat.image(WORKER);
        Imports imports = Imports.builder().memory("env", "memory", shared).build();
        Instance a = store.instantiate(image, imports);
        Instance b = store.instantiate(image, imports);
        CompletableFuture<?> fa = CompletableFuture.runAsync(() -> new Machine(store).invoke(a, "add", 200_000));
        CompletableFuture<?> fb = CompletableFuture.runAsync(() -> new Machine(store).invoke(b, "add", 200_000));
        fa.get(60, TimeUnit.SECONDS);
        fb.get(60, TimeUnit.SECONDS);
        assertThat(shared.readInt(0)).isEqualTo(400_000);
        assertThat(shared.readByte(5) & 0xFF).isEqualTo(400_000 % 256);
        assertThat(shared.readByte(4)).isZero(); // the narrow add touched only its own byte
        assertThat(shared.readByte(6)).isZero();
    }

    @Test
    void notifyWakesAWaiter() throws Exception {
        Memory shared = new Memory(1, 1, true);
        Store store = new Store(EngineConfig.defaults());
        Imports imports = Imports.builder().memory("env", "memory", shared).build();
        Instance inst = store.instantiate(Wat.image(WORKER), imports);
        CompletableFuture<long[]> waiter = CompletableFuture.supplyAsync(() -> new Machine(store).invoke(inst, "wait"));
        long woken = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (woken == 0 && System.nanoTime() < deadline) { // notify until the waiter has queued
            woken = new Machine(store).invoke(inst, "notify")[0];
            if (woken == 0) Thread.sleep(5);
            if (waiter.isDone()) break;
        }
        assertThat(waiter.get(30, TimeUnit.SECONDS)[0]).isIn(0L, 1L); // woken, or saw the stored 1 first
        assertThat(new Machine(store).invoke(inst, "timedWait")[0]).isEqualTo(2); // timed out after 1 ms
        assertThat(new Machine(store).invoke(inst, "notEqual")[0]).isEqualTo(1);
    }

    /** A machine waiting in "wait" on its own thread; {@code outcome}: "returned N", or the trap's kind and message. */
    private record Waiting(Memory shared, Store store, Instance inst, Machine machine, CompletableFuture<String> outcome) {
        static Waiting start() throws Exception {
            Memory shared = new Memory(1, 1, true);
            Store store = new Store(EngineConfig.defaults());
            Instance inst = store.instantiate(Wat.image(WORKER), Imports.builder().memory("env", "memory", shared).build());
            Machine m = new Machine(store);
            CompletableFuture<String> outcome = CompletableFuture.supplyAsync(() -> {
                try {
                    return "returned " + m.invoke(inst, "wait")[0];
                } catch (Trap t) {
                    return t.kind() + ": " + t.getMessage();
                }
            });
            Thread.sleep(100); // into the wait
            return new Waiting(shared, store, inst, m, outcome);
        }
    }

    @Test
    void aWaitingGuestCanStillBeInterrupted() throws Exception {
        Waiting w = Waiting.start();
        w.machine().interrupt();
        assertThat(w.outcome().get(10, TimeUnit.SECONDS)).startsWith(TrapKind.INTERRUPTED + ":");
    }

    @Test
    void aSafepointHandlerRunsInsideAWaitWhichThenGoesOn() throws Exception {
        Waiting w = Waiting.start();
        CompletableFuture<Thread> ran = new CompletableFuture<>();
        w.machine().interrupt(call -> ran.complete(Thread.currentThread()));
        // The handler runs on the waiting thread without waiting for a notify (a bound against a hang, not a timing).
        assertThat(ran.get(10, TimeUnit.SECONDS)).isNotSameAs(Thread.currentThread());
        Thread.sleep(50);
        assertThat(w.outcome()).as("the wait resumes after the handler").isNotDone();
        w.shared().writeInt(64, 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!w.outcome().isDone() && System.nanoTime() < deadline) {
            new Machine(w.store()).invoke(w.inst(), "notify");
            Thread.sleep(5);
        }
        assertThat(w.outcome().get(10, TimeUnit.SECONDS)).isIn("returned 0", "returned 1");
    }

    @Test
    void aSafepointHandlerThatThrowsEndsTheWait() throws Exception {
        Waiting w = Waiting.start();
        w.machine().interrupt(call -> { throw new Trap(TrapKind.HOST, "killed from a handler", null); });
        assertThat(w.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(TrapKind.HOST + ": killed from a handler");
    }
}
