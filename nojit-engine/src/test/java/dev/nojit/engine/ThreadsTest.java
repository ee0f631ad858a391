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

    @Test
    void aWaitingGuestCanStillBeInterrupted() throws Exception {
        Memory shared = new Memory(1, 1, true);
        Store store = new Store(EngineConfig.defaults());
        Instance inst = store.instantiate(Wat.image(WORKER), Imports.builder().memory("env", "memory", shared).build());
        Machine m = new Machine(store);
        CompletableFuture<TrapKind> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                m.invoke(inst, "wait");
                return null;
            } catch (Trap t) {
                return t.kind();
            }
        });
        Thread.sleep(100);
        m.interrupt();
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo(TrapKind.INTERRUPTED);
    }

    @Test
    void aSafepointHandlerRunsInsideAWaitWhichThenGoesOn() throws Exception {
        Memory shared = new Memory(1, 1, true);
        Store store = new Store(EngineConfig.defaults());
        Instance inst = store.instantiate(Wat.image(WORKER), Imports.builder().memory("env", "memory", shared).build());
        Machine m = new Machine(store);
        CompletableFuture<long[]> waiter = CompletableFuture.supplyAsync(() -> m.invoke(inst, "wait"));
        Thread.sleep(100);
        CompletableFuture<Thread> ran = new CompletableFuture<>();
        m.interrupt(call -> ran.complete(Thread.currentThread()));
        // The handler runs on the waiting thread without waiting for a notify (a bound against a hang, not a timing).
        assertThat(ran.get(10, TimeUnit.SECONDS).getName()).isNotEqualTo(Thread.currentThread().getName());
        Thread.sleep(50);
        assertThat(waiter).as("the wait resumes after the handler").isNotDone();
        shared.writeInt(64, 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!waiter.isDone() && System.nanoTime() < deadline) {
            new Machine(store).invoke(inst, "notify");
            Thread.sleep(5);
        }
        assertThat(waiter.get(10, TimeUnit.SECONDS)[0]).isIn(0L, 1L);
    }

    @Test
    void aSafepointHandlerThatThrowsEndsTheWait() throws Exception {
        Memory shared = new Memory(1, 1, true);
        Store store = new Store(EngineConfig.defaults());
        Instance inst = store.instantiate(Wat.image(WORKER), Imports.builder().memory("env", "memory", shared).build());
        Machine m = new Machine(store);
        CompletableFuture<String> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                m.invoke(inst, "wait");
                return "returned";
            } catch (Trap t) {
                return t.getMessage();
            }
        });
        Thread.sleep(100);
        m.interrupt(call -> { throw new Trap(TrapKind.HOST, "killed from a handler", null); });
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("killed from a handler");
    }
}
