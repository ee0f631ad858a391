package dev.nojit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Guest-controlled sizes are bounded by configuration, so the guest sees failure, not the JVM. */
class LimitsTest {
    private static final String GROWER = """
            (module
              (memory (export "memory") 1)
              (table $t 1 funcref)
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "size") (result i32) (memory.size))
              (func (export "growTable") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0))))
            """;

    @Test
    void memoryGrowthStopsAtTheEngineLimit() {
        Instance inst = Wat.instance(GROWER, Imports.empty(), EngineConfig.defaults().withMaxMemoryPages(16));
        assertThat(inst.invoke("grow", 15)[0]).isEqualTo(1);
        assertThat(inst.invoke("grow", 1)[0]).isEqualTo(-1);
        assertThat(inst.invoke("grow", -1)[0]).isEqualTo(-1); // 4 billion pages
        assertThat(inst.invoke("size")[0]).isEqualTo(16);
        assertThat(inst.exportedMemory("memory").byteSize()).isEqualTo(16L * 65536);
    }

    @Test
    void memoryGrowIsAskedOfTheGrowthBudgetBeforeItAllocates() {
        Instance inst = Wat.instance(GROWER, Imports.empty(), EngineConfig.defaults().withMaxMemoryPages(16));
        Memory memory = inst.exportedMemory("memory");
        long[] reserved = {0};
        memory.growthBudget(new GrowthBudget() {
            @Override
            public boolean reserve(long bytes) {
                if (reserved[0] + bytes > 3L * Memory.PAGE_SIZE) return false;
                reserved[0] += bytes;
                return true;
            }

            @Override
            public void cancel(long bytes) {
                reserved[0] -= bytes;
            }
        });
        assertThat(inst.invoke("grow", 2)[0]).isEqualTo(1);
        assertThat(reserved[0]).isEqualTo(2L * Memory.PAGE_SIZE);
        assertThat(inst.invoke("grow", 2)[0]).as("past the budget: -1, nothing allocated").isEqualTo(-1);
        assertThat(memory.byteSize()).isEqualTo(3L * Memory.PAGE_SIZE);
        assertThat(inst.invoke("grow", 1)[0]).isEqualTo(3);
        assertThat(reserved[0]).isEqualTo(3L * Memory.PAGE_SIZE);
        assertThat(inst.invoke("grow", 0)[0]).as("growing by nothing asks for nothing").isEqualTo(4);
    }

    @Test
    void stackGrowthIsAskedOfTheGrowthBudgetAndARefusalIsAStackOverflow() {
        Instance inst = Wat.instance("""
                (module (func $f (export "f") (param i32) (result i32) (local i64 i64 i64 i64 i64 i64 i64 i64)
                  (if (result i32) (local.get 0)
                    (then (i32.add (i32.const 1) (call $f (i32.sub (local.get 0) (i32.const 1)))))
                    (else (i32.const 0)))))
                """, Imports.empty(), EngineConfig.defaults());
        Machine m = new Machine(inst.store());
        long before = m.footprintBytes();
        long[] reserved = {0};
        m.growthBudget(new GrowthBudget() {
            @Override
            public boolean reserve(long bytes) {
                if (reserved[0] + bytes > (1 << 20)) return false;
                reserved[0] += bytes;
                return true;
            }

            @Override
            public void cancel(long bytes) {
                reserved[0] -= bytes;
            }
        });
        assertThat(m.call(inst.exportedFunction("f"), new long[]{2000})[0]).isEqualTo(2000);
        assertThat(reserved[0]).as("the stack grew, and every byte of it was reserved").isPositive()
                .isEqualTo(m.footprintBytes() - before);
        assertThat(new Machine(inst.store()).call(inst.exportedFunction("f"), new long[]{40_000})[0])
                .as("without a budget only the configured depth bounds it").isEqualTo(40_000);
        assertThatThrownBy(() -> m.call(inst.exportedFunction("f"), new long[]{40_000}))
                .isInstanceOfSatisfying(Trap.class, t -> assertThat(t.kind()).isEqualTo(TrapKind.CALL_STACK_EXHAUSTED));
        assertThat(reserved[0]).isLessThanOrEqualTo(1 << 20);
    }

    @Test
    void aMemoryLargerThanTheLimitIsRefusedAtInstantiation() {
        ModuleImage image = Wat.image("(module (memory 17))");
        Store store = new Store(EngineConfig.defaults().withMaxMemoryPages(16));
        assertThatThrownBy(() -> store.instantiate(image, Imports.empty()))
                .isInstanceOf(LinkException.class)
                .hasMessageContaining("exceeds the engine limit");
    }

    @Test
    void tableGrowthStopsAtTheEngineLimit() {
        Instance inst = Wat.instance(GROWER, Imports.empty(), EngineConfig.defaults().withMaxTableElements(100));
        assertThat(inst.invoke("growTable", 99)[0]).isEqualTo(1);
        assertThat(inst.invoke("growTable", 1)[0]).isEqualTo(-1);
        assertThat(inst.invoke("growTable", -1)[0]).isEqualTo(-1);
    }

    @Test
    void theOperandStackIsBoundedToo() {
        // each frame needs more slots than the whole stack allows: the first call traps
        StringBuilder locals = new StringBuilder();
        for (int i = 0; i < 2000; i++) locals.append(" i64");
        Instance inst = Wat.instance("(module (func (export \"f\") (local" + locals + ")))",
                Imports.empty(), EngineConfig.defaults().withMaxStackSlots(1024));
        assertThatThrownBy(() -> inst.invoke("f"))
                .isInstanceOfSatisfying(Trap.class, t -> assertThat(t.kind()).isEqualTo(TrapKind.CALL_STACK_EXHAUSTED));
    }
}
