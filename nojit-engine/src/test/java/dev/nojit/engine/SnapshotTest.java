package dev.nojit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Snapshot/resume is what fork needs: the copy continues independently, with its own memory and globals. */
class SnapshotTest {
    // fork() is called three frames deep with a computed value below the call on the operand stack;
    // each side then writes a different global, memory word and local, and returns what it sees.
    private static final String FORKING = """
            (module
              (import "host" "fork" (func $fork (result i32)))
              (memory (export "memory") 1)
              (global $g (export "g") (mut i32) (i32.const 0))
              (func $inner (param $x i32) (result i32)
                (i32.add (i32.mul (local.get $x) (i32.const 3)) (call $fork)))
              (func $middle (param $x i32) (result i32) (call $inner (i32.add (local.get $x) (i32.const 1))))
              (func (export "run") (result i32) (local $pid i32) (local $acc i32)
                (i32.store (i32.const 0) (i32.const 5))
                (local.set $acc (i32.const 10))
                (local.set $pid (call $middle (i32.const 1)))   ;; 6 + fork()
                (if (i32.eq (local.get $pid) (i32.const 6))
                  (then (global.set $g (i32.const 1)) (i32.store (i32.const 0) (i32.const 111))
                        (local.set $acc (i32.add (local.get $acc) (i32.const 1))))
                  (else (global.set $g (i32.const 2)) (i32.store (i32.const 0) (i32.const 222))
                        (local.set $acc (i32.add (local.get $acc) (i32.const 100)))))
                (i32.add (i32.mul (local.get $pid) (i32.const 1000))
                         (i32.add (local.get $acc) (i32.load (i32.const 0))))))
            """;

    @Test
    void forkedCopyContinuesIndependentlyOnAnotherThread() throws Exception {
        AtomicReference<Snapshot> child = new AtomicReference<>();
        Imports imports = Imports.builder()
                .function("host", "fork", Wat.VOID_TO_I32, (call, args) -> {
                    child.set(call.snapshot());
                    return new long[] {7}; // the parent sees a child id of 7
                })
                .build();
        Instance parent = Wat.instance(FORKING, imports, EngineConfig.defaults());
        long parentResult = parent.invoke("run")[0];

        AtomicReference<long[]> childResult = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> childResult.set(child.get().resume(0)));
        t.join();

        // parent: pid 6+7=13 → else branch: 13*1000 + 110 + 222
        assertThat(parentResult).isEqualTo(13 * 1000 + 110 + 222);
        // child: pid 6+0=6 → then branch: 6*1000 + 11 + 111
        assertThat(childResult.get()[0]).isEqualTo(6 * 1000 + 11 + 111);
        Instance copy = child.get().instance(parent);
        assertThat(parent.exportedGlobal("g").get()).isEqualTo(2);
        assertThat(copy.exportedGlobal("g").get()).isEqualTo(1);
        assertThat(parent.exportedMemory("memory").readInt(0)).isEqualTo(222);
        assertThat(copy.exportedMemory("memory").readInt(0)).isEqualTo(111);
        assertThat(copy.exportedMemory("memory")).isNotSameAs(parent.exportedMemory("memory"));
    }

    @Test
    void aSnapshotResumesOnce() throws Exception {
        AtomicReference<Snapshot> child = new AtomicReference<>();
        Imports imports = Imports.builder()
                .function("host", "fork", Wat.VOID_TO_I32, (call, args) -> {
                    child.set(call.snapshot());
                    return new long[] {1};
                })
                .build();
        Wat.instance(FORKING, imports, EngineConfig.defaults()).invoke("run");
        child.get().resume(0);
        assertThatThrownBy(() -> child.get().resume(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void snapshotsOfSnapshotsAreIndependentToo() throws Exception {
        // every process forks once more: the grandchild is a snapshot taken inside a resumed copy
        AtomicReference<Snapshot> latest = new AtomicReference<>();
        Imports imports = Imports.builder()
                .function("host", "fork", Wat.VOID_TO_I32, (call, args) -> {
                    latest.set(call.snapshot());
                    return new long[] {7};
                })
                .build();
        Instance parent = Wat.instance(FORKING, imports, EngineConfig.defaults());
        parent.invoke("run");
        Snapshot first = latest.get();
        Snapshot second = Snapshot.of(first.machine(), FuncType.of(List.of(), List.of(ValType.I32)));
        assertThat(first.resume(0)[0]).isEqualTo(6 * 1000 + 11 + 111);
        assertThat(second.resume(7)[0]).isEqualTo(13 * 1000 + 110 + 222);
    }
}
