package dev.nojit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every trap surfaces as a {@link Trap} of the right kind, and the machine stays usable afterwards. */
class TrapTest {
    private static final String TRAPS = """
            (module
              (import "host" "fail" (func $fail))
              (type $ii (func (param i32) (result i32)))
              (type $v (func))
              (memory 1)
              (table 4 funcref)
              (elem (i32.const 0) $id $v)
              (func $id (type $ii) (local.get 0))
              (func $v (type $v))
              (func (export "unreachable") (unreachable))
              (func (export "div0") (result i32) (i32.div_s (i32.const 1) (i32.const 0)))
              (func (export "rem0") (result i64) (i64.rem_u (i64.const 1) (i64.const 0)))
              (func (export "overflow") (result i32) (i32.div_s (i32.const 0x80000000) (i32.const -1)))
              (func (export "overflow64") (result i64) (i64.div_s (i64.const 0x8000000000000000) (i64.const -1)))
              (func (export "nanToInt") (result i32) (i32.trunc_f32_s (f32.const nan)))
              (func (export "bigToInt") (result i32) (i32.trunc_f64_u (f64.const 4294967296)))
              (func (export "loadPastEnd") (result i32) (i32.load (i32.const 65533)))
              (func (export "loadOffsetPastEnd") (result i32) (i32.load8_u offset=65536 (i32.const 0)))
              (func (export "loadWrapping") (result i64) (i64.load offset=4294967295 (i32.const 4294967295)))
              (func (export "storePastEnd") (i64.store (i32.const 65529) (i64.const 1)))
              (func (export "tablePastEnd") (result funcref) (table.get 0 (i32.const 4)))
              (func (export "undefinedElement") (call_indirect (type $v) (i32.const 9)))
              (func (export "uninitializedElement") (call_indirect (type $v) (i32.const 3)))
              (func (export "typeMismatch") (call_indirect (type $v) (i32.const 0)))
              (func $forever (export "recurse") (call $forever))
              (func (export "unaligned") (result i32) (i32.atomic.load (i32.const 2)))
              (func (export "waitUnshared") (result i32) (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const 0)))
              (func (export "host") (call $fail))
              (func (export "fine") (result i32) (i32.const 7)))
            """;

    private static Instance instance() {
        Imports imports = Imports.builder()
                .function("host", "fail", FuncType.of(List.of(), List.of()), (call, args) -> {
                    throw new IllegalStateException("boom");
                })
                .build();
        return Wat.instance(TRAPS, imports, EngineConfig.defaults());
    }

    @ParameterizedTest
    @CsvSource({
            "unreachable, UNREACHABLE",
            "div0, INTEGER_DIVIDE_BY_ZERO",
            "rem0, INTEGER_DIVIDE_BY_ZERO",
            "overflow, INTEGER_OVERFLOW",
            "overflow64, INTEGER_OVERFLOW",
            "nanToInt, INVALID_CONVERSION",
            "bigToInt, INTEGER_OVERFLOW",
            "loadPastEnd, OUT_OF_BOUNDS_MEMORY",
            "loadOffsetPastEnd, OUT_OF_BOUNDS_MEMORY",
            "loadWrapping, OUT_OF_BOUNDS_MEMORY",
            "storePastEnd, OUT_OF_BOUNDS_MEMORY",
            "tablePastEnd, OUT_OF_BOUNDS_TABLE",
            "undefinedElement, UNDEFINED_ELEMENT",
            "uninitializedElement, UNINITIALIZED_ELEMENT",
            "typeMismatch, INDIRECT_CALL_TYPE_MISMATCH",
            "recurse, CALL_STACK_EXHAUSTED",
            "unaligned, UNALIGNED_ATOMIC",
            "waitUnshared, EXPECTED_SHARED_MEMORY",
            "host, HOST",
    })
    void traps(String export, TrapKind kind) {
        Instance inst = instance();
        assertThatThrownBy(() -> inst.invoke(export))
                .isInstanceOfSatisfying(Trap.class, t -> {
                    assertThat(t.kind()).isEqualTo(kind);
                    assertThat(t.getMessage()).startsWith(kind.message());
                });
        assertThat(inst.invoke("fine")[0]).isEqualTo(7);
    }

    @Test
    void aMillionDeepRecursionTrapsCleanlyAndTheMachineIsReusable() {
        Instance inst = Wat.instance("""
                (module
                  (func $down (export "down") (param i32) (result i32)
                    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
                      (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))))
                """);
        Machine m = new Machine(inst.store());
        assertThatThrownBy(() -> m.invoke(inst, "down", 1_000_000))
                .isInstanceOfSatisfying(Trap.class, t -> assertThat(t.kind()).isEqualTo(TrapKind.CALL_STACK_EXHAUSTED));
        assertThat(m.invoke(inst, "down", 10_000)[0]).isEqualTo(10_000);
        // with a configured depth the same million-deep recursion completes
        Store deep = new Store(EngineConfig.defaults().withMaxCallDepth(1_100_000).withMaxStackSlots(1 << 24));
        try {
            Instance d = deep.instantiate(inst.image(), Imports.empty());
            assertThat(d.invoke("down", 1_000_000)[0]).isEqualTo(1_000_000);
        } catch (LinkException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void lenientCallIndirectToleratesAResultOnlyMismatch() {
        String wat = """
                (module
                  (type $returnsInt (func (param i32) (result i32)))
                  (table 1 funcref)
                  (elem (i32.const 0) $free)
                  (global $freed (export "freed") (mut i32) (i32.const 0))
                  (func $free (param i32) (global.set $freed (local.get 0)))
                  (func (export "run") (result i32) (call_indirect (type $returnsInt) (i32.const 9) (i32.const 0))))
                """;
        Instance strict = Wat.instance(wat);
        assertThatThrownBy(() -> strict.invoke("run"))
                .isInstanceOfSatisfying(Trap.class, t -> assertThat(t.kind()).isEqualTo(TrapKind.INDIRECT_CALL_TYPE_MISMATCH));
        Instance lenient = Wat.instance(wat, Imports.empty(), EngineConfig.defaults().withLenientCallIndirect(true));
        assertThat(lenient.invoke("run")[0]).isZero(); // the missing result reads as zero
        assertThat(lenient.exportedGlobal("freed").get()).isEqualTo(9);
    }

    @Test
    void lenientCallIndirectDropsExtraArgumentsAndZeroesMissingOnes() {
        String wat = """
                (module
                  (type $takesTwo (func (param i32 i32) (result i32)))
                  (type $takesNone (func (result i32)))
                  (table 2 funcref)
                  (elem (i32.const 0) $one $three)
                  (global $seen (export "seen") (mut i32) (i32.const 0))
                  (func $one (param i32) (global.set $seen (local.get 0)))
                  (func $three (param i32 i32 i32) (result i32)
                    (i32.add (i32.add (local.get 0) (local.get 1)) (i32.add (local.get 2) (i32.const 100))))
                  (func (export "fewer") (result i32)
                    (i32.add (i32.const 1000) (call_indirect (type $takesTwo) (i32.const 7) (i32.const 8) (i32.const 0))))
                  (func (export "more") (result i32)
                    (call_indirect (type $takesNone) (i32.const 1))))
                """;
        Instance strict = Wat.instance(wat);
        assertThatThrownBy(() -> strict.invoke("fewer"))
                .isInstanceOfSatisfying(Trap.class, t -> assertThat(t.getMessage())
                        .startsWith("indirect call type mismatch").contains("[I32, I32] -> [I32]"));
        Instance lenient = Wat.instance(wat, Imports.empty(), EngineConfig.defaults().withLenientCallIndirect(true));
        // $one gets the first argument, the second is dropped, the missing result reads as zero.
        assertThat(lenient.invoke("fewer")[0]).isEqualTo(1000);
        assertThat(lenient.exportedGlobal("seen").get()).isEqualTo(7);
        // $three's three parameters are all zero: 0 + 0 + 0 + 100.
        assertThat(lenient.invoke("more")[0]).isEqualTo(100);
    }
}
