package dev.nojit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Resume points and unwinding are what setjmp/longjmp need. */
class UnwindTest {
    private static final FuncType SETJMP = FuncType.of(List.of(ValType.I32), List.of(ValType.I32));
    private static final FuncType LONGJMP = FuncType.of(List.of(ValType.I32, ValType.I32), List.of());

    private static final String PROGRAM = """
            (module
              (import "env" "setjmp" (func $setjmp (param i32) (result i32)))
              (import "env" "longjmp" (func $longjmp (param i32 i32)))
              (global $calls (export "calls") (mut i32) (i32.const 0))
              (func $deep (param $n i32)
                (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
                (if (i32.eqz (local.get $n))
                  (then (call $longjmp (i32.const 16) (i32.const 42)))
                  (else (call $deep (i32.sub (local.get $n) (i32.const 1))))))
              ;; 5*x is a temporary below the setjmp call site; it is overwritten before the longjmp
              (func (export "run") (param $x i32) (result i32) (local $r i32)
                (local.set $r (i32.add (i32.mul (local.get $x) (i32.const 5)) (call $setjmp (i32.const 16))))
                (if (i32.eq (local.get $r) (i32.mul (local.get $x) (i32.const 5)))
                  (then (call $deep (i32.const 1000)) (unreachable)))
                (local.get $r))
              (func $setsJmpAndReturns (drop (call $setjmp (i32.const 32))))
              ;; What Binaryen's wasm-opt makes of C code: $base (a frame pointer) is dead on the path that does
              ;; not return from setjmp again, so that path reuses it for a temporary before the longjmp.
              (func (export "reuse") (param $base i32) (result i32) (local $r i32)
                (local.set $r (call $setjmp (i32.const 16)))
                (if (i32.eqz (local.get $r))
                  (then (local.set $base (i32.const -1000))
                        (call $deep (local.get $r)) (unreachable)))
                (i32.add (local.get $base) (local.get $r)))
              (func (export "stale") (call $setsJmpAndReturns) (call $longjmp (i32.const 32) (i32.const 1))))
            """;

    private static Imports setjmpLongjmp(Map<Long, ResumePoint> buffers) {
        return Imports.builder()
                .function("env", "setjmp", SETJMP, (call, args) -> {
                    buffers.put(args[0], call.resumePoint());
                    return new long[] {0};
                })
                .function("env", "longjmp", LONGJMP, (call, args) -> {
                    throw call.unwind(buffers.get(args[0]), args[1]);
                })
                .build();
    }

    @Test
    void longjmpReturnsAgainFromSetjmpThroughAThousandFrames() {
        Instance inst = Wat.instance(PROGRAM, setjmpLongjmp(new HashMap<>()), EngineConfig.defaults());
        assertThat(inst.invoke("run", 3)[0]).isEqualTo(15 + 42);
        assertThat(inst.exportedGlobal("calls").get()).isEqualTo(1001);
        // the machine is clean afterwards: a second run works the same
        assertThat(inst.invoke("run", 4)[0]).isEqualTo(20 + 42);
    }

    @Test
    void theSecondReturnFindsTheLocalsAsTheyWereAtTheCall() {
        Instance inst = Wat.instance(PROGRAM, setjmpLongjmp(new HashMap<>()), EngineConfig.defaults());
        // $deep(0) longjmps to buffer 16 with 42 at once
        assertThat(inst.invoke("reuse", 100)[0]).isEqualTo(100 + 42);
    }

    @Test
    void unwindingToAFrameThatReturnedTraps() {
        Instance inst = Wat.instance(PROGRAM, setjmpLongjmp(new HashMap<>()), EngineConfig.defaults());
        assertThatThrownBy(() -> inst.invoke("stale"))
                .isInstanceOf(Trap.class)
                .hasMessageContaining("no longer on the stack");
    }

    private static final String WAITER = """
            (module
              (import "env" "setjmp" (func $setjmp (param i32) (result i32)))
              (import "env" "longjmp" (func $longjmp (param i32 i32)))
              (memory 1 1 shared)
              (table 1 funcref)
              (elem (i32.const 0) $handler)
              (func $handler (call $longjmp (i32.const 16) (i32.const 7)))
              ;; 100 + what longjmp made setjmp return; -1 if the wait ever ended by itself
              (func (export "run") (result i32) (local $r i32)
                (local.set $r (call $setjmp (i32.const 16)))
                (if (i32.ne (local.get $r) (i32.const 0)) (then (return (i32.add (local.get $r) (i32.const 100)))))
                (drop (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const -1)))
                (i32.const -1)))
            """;

    @Test
    void aSignalHandlerThatLongjmpsOutOfAnAtomicWaitResumesAtItsSetjmp() throws Exception {
        Instance inst = Wat.instance(WAITER, setjmpLongjmp(new HashMap<>()), EngineConfig.defaults());
        Machine m = new Machine(inst.store());
        java.util.concurrent.CompletableFuture<long[]> run = java.util.concurrent.CompletableFuture.supplyAsync(() -> m.invoke(inst, "run"));
        Thread.sleep(100); // into the wait
        // What the vkernel does to deliver a signal: run the guest's handler at the machine's safepoint.
        m.interrupt(call -> call.machine().invoke(inst.tableFunction(0)));
        assertThat(run.get(10, java.util.concurrent.TimeUnit.SECONDS)[0]).isEqualTo(107);
    }
}
