package dev.nojit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Modules built to stress the loader and the interpreter are refused or run within bounds. */
class HostileModuleTest {
    @Test
    void aHugeTableIsRefusedAtInstantiation() {
        ModuleImage image = Wat.image("(module (table 5000000 funcref))");
        Store store = new Store(EngineConfig.defaults().withMaxTableElements(1_000_000));
        assertThatThrownBy(() -> store.instantiate(image, Imports.empty()))
                .isInstanceOf(LinkException.class)
                .hasMessageContaining("exceeds the engine limit");
    }

    @Test
    void theLargestMemoryIsRefusedAtInstantiation() {
        ModuleImage image = Wat.image("(module (memory 65536))");
        assertThatThrownBy(() -> new Store(EngineConfig.defaults()).instantiate(image, Imports.empty()))
                .isInstanceOf(LinkException.class);
    }

    @Test
    void aHundredThousandWayBrTableRuns() {
        int n = 100_000;
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < n; i++) labels.append(i % 2 == 0 ? " $a" : " $b");
        Instance inst = Wat.instance("""
                (module (func (export "pick") (param i32) (result i32)
                  (block $b (block $a (br_table %s $b (local.get 0))) (return (i32.const 1)))
                  (i32.const 2)))
                """.formatted(labels));
        assertThat(inst.invoke("pick", 0)[0]).isEqualTo(1);
        assertThat(inst.invoke("pick", 1)[0]).isEqualTo(2);
        assertThat(inst.invoke("pick", 99_998)[0]).isEqualTo(1);
        assertThat(inst.invoke("pick", -1)[0]).isEqualTo(2); // out of range takes the default
    }

    @Test
    void tenThousandNestedBlocksTranslateWithoutRecursionAndRun() {
        int depth = 10_000;
        String open = "(block ".repeat(depth);
        String close = ")".repeat(depth);
        Instance inst = Wat.instance("(module (func (export \"f\") (result i32) " + open + "(br " + (depth - 1) + ")" + close
                + " (i32.const 5)))");
        assertThat(inst.invoke("f")[0]).isEqualTo(5);
    }

    @Test
    void fiftyThousandLocalsRunAndRecursionWithThemHitsTheStackBound() {
        String locals = " i64".repeat(50_000);
        Instance inst = Wat.instance("""
                (module (func $f (export "f") (param i32) (result i64) (local %s)
                  (local.set 49999 (i64.const 3))
                  (if (result i64) (i32.eqz (local.get 0)) (then (local.get 49999))
                    (else (i64.add (local.get 50000) (call $f (i32.sub (local.get 0) (i32.const 1))))))))
                """.formatted(locals));
        assertThat(inst.invoke("f", 0)[0]).isEqualTo(3);
        assertThat(inst.invoke("f", 10)[0]).isEqualTo(3);
        assertThatThrownBy(() -> inst.invoke("f", 1000))
                .isInstanceOfSatisfying(Trap.class, t -> assertThat(t.kind()).isEqualTo(TrapKind.CALL_STACK_EXHAUSTED));
    }

    @Test
    void aMillionInstructionFunctionTranslates() {
        Instance inst = Wat.instance("(module (func (export \"f\") (result i32) (i32.const 0)"
                + " (i32.add (i32.const 1))".repeat(200_000) + "))");
        assertThat(inst.invoke("f")[0]).isEqualTo(200_000);
    }
}
