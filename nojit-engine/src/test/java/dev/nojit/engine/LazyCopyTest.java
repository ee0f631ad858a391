package dev.nojit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * A snapshot copies an unshared memory lazily (LazyCopy): these forks of a 64 MiB memory check, over every 4 KiB
 * page and across every 64 KiB chunk boundary, that each side sees exactly the memory of the fork and none of the
 * other side's later writes, whichever side writes first and while the copy is still being made: the
 * interpreter's stores of every width, stores straddling two chunks, memory.fill, memory.copy, an atomic store,
 * host writes, growth, repeated forks and an abandoned snapshot.
 */
class LazyCopyTest {
    private static final int PAGES = 1024; // 64 MiB
    private static final long BYTES = (long) PAGES * Memory.PAGE_SIZE;

    // $fill writes generation $g everywhere it is checked; $bad counts the places that differ from it.
    // Per 4 KiB page: words at +8 and +2048. Per 64 KiB chunk k >= 1: an i64 across the boundary (k*64Ki - 4), a
    // byte at +100, an i16 at +200, memory.fill of 16 bytes at +300, an atomic i32 at +400, memory.copy of 8 bytes
    // from +8 to +500.
    // run($before, $after, $grow): fill($before), fork, then each side checks $before, writes its own generation
    // ($after in the parent, $after + 1 in the child; the parent first grows the memory by a page if $grow) and
    // checks it: returns bad($before) * 100000 + bad(own). The parent's fork returns 7, the child's 0.
    private static final String MODULE = """
            (module
              (import "host" "fork" (func $fork (result i32)))
              (memory (export "memory") 1024)
              (func $word (param $g i32) (param $a i32) (result i32)
                (i32.add (i32.mul (local.get $g) (i32.const 1000003)) (local.get $a)))
              (func $fill (export "fill") (param $g i32) (local $a i32)
                (loop $pages
                  (i32.store offset=8 (local.get $a) (call $word (local.get $g) (local.get $a)))
                  (i32.store offset=2048 (local.get $a) (i32.xor (local.get $g) (local.get $a)))
                  (local.set $a (i32.add (local.get $a) (i32.const 4096)))
                  (br_if $pages (i32.lt_u (local.get $a) (i32.const 67108864))))
                (local.set $a (i32.const 65536))
                (loop $chunks
                  (i64.store offset=0 (i32.sub (local.get $a) (i32.const 4))
                    (i64.mul (i64.extend_i32_u (local.get $g)) (i64.const 0x100000001)))
                  (i32.store8 offset=100 (local.get $a) (local.get $g))
                  (i32.store16 offset=200 (local.get $a) (local.get $g))
                  (memory.fill (i32.add (local.get $a) (i32.const 300)) (local.get $g) (i32.const 16))
                  (i32.atomic.store offset=400 (local.get $a) (local.get $g))
                  (memory.copy (i32.add (local.get $a) (i32.const 500)) (i32.add (local.get $a) (i32.const 8)) (i32.const 8))
                  (local.set $a (i32.add (local.get $a) (i32.const 65536)))
                  (br_if $chunks (i32.lt_u (local.get $a) (i32.const 67108864)))))
              (func $bad (export "bad") (param $g i32) (result i32) (local $a i32) (local $n i32)
                (loop $pages
                  (if (i32.ne (i32.load offset=8 (local.get $a)) (call $word (local.get $g) (local.get $a)))
                    (then (local.set $n (i32.add (local.get $n) (i32.const 1)))))
                  (if (i32.ne (i32.load offset=2048 (local.get $a)) (i32.xor (local.get $g) (local.get $a)))
                    (then (local.set $n (i32.add (local.get $n) (i32.const 1)))))
                  (local.set $a (i32.add (local.get $a) (i32.const 4096)))
                  (br_if $pages (i32.lt_u (local.get $a) (i32.const 67108864))))
                (local.set $a (i32.const 65536))
                (loop $chunks
                  (if (i64.ne (i64.load offset=0 (i32.sub (local.get $a) (i32.const 4)))
                              (i64.mul (i64.extend_i32_u (local.get $g)) (i64.const 0x100000001)))
                    (then (local.set $n (i32.add (local.get $n) (i32.const 1)))))
                  (if (i32.ne (i32.load8_u offset=100 (local.get $a)) (i32.and (local.get $g) (i32.const 0xff)))
                    (then (local.set $n (i32.add (local.get $n) (i32.const 1)))))
                  (if (i32.ne (i32.load16_u offset=200 (local.get $a)) (i32.and (local.get $g) (i32.const 0xffff)))
                    (then (local.set $n (i32.add (local.get $n) (i32.const 1)))))
                  (if (i32.ne (i32.load8_u offset=315 (local.get $a)) (i32.and (local.get $g) (i32.const 0xff)))
                    (then (local.set $n (i32.add (local.get $n) (i32.const 1)))))
                  (if (i32.ne (i32.atomic.load offset=400 (local.get $a)) (local.get $g))
                    (then (local.set $n (i32.add (local.get $n) (i32.const 1)))))
                  (if (i32.ne (i32.load offset=500 (local.get $a)) (call $word (local.get $g) (local.get $a)))
                    (then (local.set $n (i32.add (local.get $n) (i32.const 1)))))
                  (local.set $a (i32.add (local.get $a) (i32.const 65536)))
                  (br_if $chunks (i32.lt_u (local.get $a) (i32.const 67108864))))
                (local.get $n))
              (func (export "run") (param $before i32) (param $after i32) (param $grow i32) (result i32) (local $own i32)
                (call $fill (local.get $before))
                (local.set $own (local.get $after))
                (if (i32.eqz (call $fork))
                  (then (local.set $own (i32.add (local.get $after) (i32.const 1)))))
                (i32.mul (call $bad (local.get $before)) (i32.const 100000))
                (if (i32.and (local.get $grow) (i32.eq (local.get $own) (local.get $after)))
                  (then (drop (memory.grow (i32.const 1)))))
                (call $fill (local.get $own))
                (i32.add (call $bad (local.get $own)))))
            """;

    private enum When { AFTER_PARENT, CONCURRENT, BEFORE_PARENT, NEVER }

    /** A parent instance whose fork resumes each child as {@code when} says; children's results in {@link #results}. */
    private static final class Forker {
        final List<Snapshot> snapshots = new ArrayList<>();
        final ConcurrentLinkedQueue<Long> results = new ConcurrentLinkedQueue<>();
        final List<Thread> threads = new ArrayList<>();
        final Instance parent;

        Forker(When when) {
            Imports imports = Imports.builder()
                    .function("host", "fork", Wat.VOID_TO_I32, (call, args) -> {
                        Snapshot snap = call.snapshot();
                        snapshots.add(snap);
                        switch (when) {
                            case CONCURRENT -> threads.add(Thread.ofPlatform().start(() -> results.add(snap.resume(0)[0])));
                            case BEFORE_PARENT -> {
                                Thread t = Thread.ofPlatform().start(() -> results.add(snap.resume(0)[0]));
                                join(t);
                            }
                            case NEVER -> snap.abandon();
                            case AFTER_PARENT -> { }
                        }
                        return new long[] {7};
                    })
                    .build();
            parent = Wat.instance(MODULE, imports, EngineConfig.defaults());
        }

        long run(int before, int after, boolean grow) {
            return parent.invoke("run", before, after, grow ? 1 : 0)[0];
        }

        Memory memory() {
            return parent.exportedMemory("memory");
        }

        void joinAll() {
            for (Thread t : threads) join(t);
        }

        private static void join(Thread t) {
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A host fork that adds its snapshot to {@code snaps} (resumed by the test, or never) and returns 7. */
    private static Imports recordingFork(List<Snapshot> snaps) {
        return Imports.builder()
                .function("host", "fork", Wat.VOID_TO_I32, (call, args) -> {
                    snaps.add(call.snapshot());
                    return new long[] {7};
                })
                .build();
    }

        private static int bad(Instance inst, int gen) {
        return (int) inst.invoke("bad", gen)[0];
    }

    @Test
    void theParentsWritesAfterTheForkAreNotInTheChild() {
        Forker f = new Forker(When.AFTER_PARENT);
        assertThat(f.run(11, 20, false)).isZero(); // the parent saw 11 after the fork, then all of its 20
        // Host writes too: the parent's memory through the host accessors, after its guest code wrote everything.
        f.memory().writeInt(8, 99);
        f.memory().write(BYTES - 16, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        Snapshot snap = f.snapshots.getFirst();
        Memory childMemory = snap.memory(f.memory());
        // A host read of the copy before the child ran waits for the copy: the memory of the fork.
        assertThat(childMemory.readInt(8)).isEqualTo(11 * 1000003);
        assertThat(childMemory.readLong(BYTES - 8)).isZero();
        assertThat(snap.resume(0)[0]).isZero(); // the child saw 11, then all of its 21
        assertThat(bad(snap.instance(f.parent), 21)).isZero();
        assertThat(bad(f.parent, 20)).isEqualTo(1); // the host's word at 8 (99), not the child's 21
        assertThat(f.memory().readInt(8)).isEqualTo(99);
    }

    @Test
    void theChildsWritesAreNotInTheParentWhenTheChildRunsFirst() {
        Forker f = new Forker(When.BEFORE_PARENT);
        assertThat(f.run(30, 40, false)).isZero(); // the child wrote all of 41 before the parent went on
        assertThat(f.results).containsExactly(0L);
        assertThat(bad(f.snapshots.getFirst().instance(f.parent), 41)).isZero();
        assertThat(bad(f.parent, 40)).isZero();
    }

    @Test
    void bothSidesWriteEverythingAtOnceWhileTheCopyIsMade() {
        for (int round = 0; round < 4; round++) {
            Forker f = new Forker(When.CONCURRENT);
            int before = 100 + 10 * round;
            assertThat(f.run(before, before + 5, false)).isZero();
            f.joinAll();
            assertThat(f.results).containsExactly(0L);
            assertThat(bad(f.snapshots.getFirst().instance(f.parent), before + 6)).isZero();
            assertThat(bad(f.parent, before + 5)).isZero();
        }
    }

    @Test
    void repeatedForksEachCopyTheirOwnMoment() {
        // Each fork's child starts at once; the parent forks again at once (the previous copy may still be made).
        Forker f = new Forker(When.CONCURRENT);
        for (int round = 1; round <= 6; round++) assertThat(f.run(1000 * round, 1000 * round + 2, false)).isZero();
        f.joinAll();
        assertThat(f.results).hasSize(6).containsOnly(0L);
        for (int round = 1; round <= 6; round++) {
            assertThat(bad(f.snapshots.get(round - 1).instance(f.parent), 1000 * round + 3)).isZero();
        }
        assertThat(bad(f.parent, 6002)).isZero();
    }

    @Test
    void aForkOfAForkCopiesTheChildsMemory() {
        Forker f = new Forker(When.AFTER_PARENT);
        assertThat(f.run(5, 6, false)).isZero();
        Snapshot child = f.snapshots.getFirst();
        assertThat(child.resume(0)[0]).isZero(); // the child holds 7 now
        Instance c = child.instance(f.parent);
        assertThat(c.invoke("run", 8, 9, 0)[0]).isZero(); // the child forks: its fork returns 7 too
        Snapshot grandchild = f.snapshots.get(1);
        assertThat(grandchild.resume(0)[0]).isZero();
        assertThat(bad(grandchild.instance(c), 10)).isZero();
        assertThat(bad(c, 9)).isZero();
        assertThat(bad(f.parent, 6)).isZero();
    }

    @Test
    void theParentGrowingAfterTheForkLeavesTheCopyAsItWas() {
        Forker f = new Forker(When.AFTER_PARENT);
        assertThat(f.run(50, 60, true)).isZero();
        assertThat(f.memory().pages()).isEqualTo(PAGES + 1);
        Snapshot snap = f.snapshots.getFirst();
        assertThat(snap.memory(f.memory()).pages()).isEqualTo(PAGES);
        assertThat(snap.resume(0)[0]).isZero(); // the child: 50 at the fork (it does not grow)
        assertThat(bad(f.parent, 60)).isZero();
    }

    @Test
    void anAbandonedSnapshotStopsTheCopyAndCannotResume() {
        Forker f = new Forker(When.NEVER);
        assertThat(f.run(70, 80, false)).isZero();
        assertThat(f.memory().lazy).isNull();
        assertThatThrownBy(() -> f.snapshots.getFirst().resume(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aCompleteCopyNoLongerChecksTheOriginalsWrites() {
        Forker f = new Forker(When.AFTER_PARENT);
        assertThat(f.run(1, 2, false)).isZero();
        assertThat(f.memory().lazy).isNotNull(); // the child has not run: the parent's writes still copy first
        Snapshot snap = f.snapshots.getFirst();
        snap.completeCopies();
        assertThat(f.memory().lazy).isNull();
        assertThat(snap.memory(f.memory()).lazy).isNull();
        assertThat(snap.resume(0)[0]).isZero();
    }

    @Test
    void aSharedMemoryIsCopiedAtOnce() {
        List<Snapshot> snaps = new ArrayList<>();
        Instance inst = Wat.instance("""
                (module
                  (import "host" "fork" (func $fork (result i32)))
                  (memory (export "memory") 1 1 shared)
                  (func (export "run") (result i32)
                    (i32.store (i32.const 0) (i32.const 5))
                    (drop (call $fork))
                    (i32.store (i32.const 0) (i32.const 6))
                    (i32.load (i32.const 0))))
                """, recordingFork(snaps), EngineConfig.defaults());
        assertThat(inst.invoke("run")[0]).isEqualTo(6);
        Memory copy = snaps.getFirst().memory(inst.exportedMemory("memory"));
        assertThat(copy.lazy).isNull();
        assertThat(inst.exportedMemory("memory").lazy).isNull();
        assertThat(copy.readInt(0)).isEqualTo(5);
    }

    // One kind of write ($how) right after the fork, to every 64 KiB chunk of a fresh memory (so no other write
    // copied the chunk first): 0 i32.store, 1 memory.fill, 2 i32.atomic.store, 3 memory.copy, 4 i32.atomic.rmw.add,
    // 5 i64.store across the chunk's start (at chunk - 4). The first 64 KiB chunk is left alone.
    private static final String ONE_KIND = """
            (module
              (import "host" "fork" (func $fork (result i32)))
              (memory (export "memory") 1024)
              (data (i32.const 16) "\2a\2a\2a\2a")
              (func (export "run") (param $how i32) (param $g i32) (local $a i32)
                (drop (call $fork))
                (local.set $a (i32.const 65536))
                (loop $chunks
                  (if (i32.eq (local.get $how) (i32.const 0)) (then (i32.store offset=300 (local.get $a) (local.get $g))))
                  (if (i32.eq (local.get $how) (i32.const 1))
                    (then (memory.fill (i32.add (local.get $a) (i32.const 300)) (local.get $g) (i32.const 4))))
                  (if (i32.eq (local.get $how) (i32.const 2)) (then (i32.atomic.store offset=300 (local.get $a) (local.get $g))))
                  (if (i32.eq (local.get $how) (i32.const 3))
                    (then (memory.copy (i32.add (local.get $a) (i32.const 300)) (i32.const 16) (i32.const 4))))
                  (if (i32.eq (local.get $how) (i32.const 4))
                    (then (drop (i32.atomic.rmw.add offset=300 (local.get $a) (local.get $g)))))
                  (if (i32.eq (local.get $how) (i32.const 5))
                    (then (i64.store (i32.sub (local.get $a) (i32.const 4)) (i64.const -1))))
                  (local.set $a (i32.add (local.get $a) (i32.const 65536)))
                  (br_if $chunks (i32.lt_u (local.get $a) (i32.const 67108864))))))
            """;

    @Test
    void everyKindOfWriteRightAfterTheForkCopiesItsChunkFirst() {
        for (int how = 0; how <= 6; how++) {
            List<Snapshot> snaps = new ArrayList<>();
            Instance inst = Wat.instance(ONE_KIND, recordingFork(snaps), EngineConfig.defaults());
            inst.invoke("run", how, 0x01020304); // how 6: no guest write; the host writes below
            Memory parent = inst.exportedMemory("memory");
            for (long a = Memory.PAGE_SIZE; a < BYTES; a += Memory.PAGE_SIZE) {
                if (how == 6) parent.writeInt(a + 300, 0x01020304);
                long word = how == 5 ? parent.readLong(a - 4) : parent.readInt(a + 300);
                assertThat(word).as("how %d, the parent at %d", how, a).isNotZero();
            }
            Memory child = snaps.getFirst().memory(parent);
            for (long a = Memory.PAGE_SIZE; a < BYTES; a += Memory.PAGE_SIZE) {
                long word = how == 5 ? child.readLong(a - 4) : child.readInt(a + 300);
                assertThat(word).as("how %d, the child at %d", how, a).isZero();
            }
        }
    }
}
