package dev.nojit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The measuring tool behind {@code -Dnojit.engine.profile}: the instruction decoder it relies on ({@link Op#length},
 * {@link Op#targets}) walks real translated code exactly, the instrumented copy keeps every instruction in order
 * with a CHECK at each block start and every branch retargeted to its block's CHECK, and the report multiplies a
 * block's count over its instructions and the pairs inside it.
 */
class InstructionProfileTest {
    private static final String MODULE = """
            (module
              (memory 1 1 shared)
              (table 2 funcref)
              (elem (i32.const 0) $sq $sq)
              (data $d "abcd")
              (type $t (func (param i32) (result i32)))
              (func $sq (type $t) (i32.mul (local.get 0) (local.get 0)))
              (func (export "mix") (param $n i32) (result i32) (local $acc i32) (local $f f64)
                (loop $l
                  (local.set $acc (i32.add (local.get $acc) (call $sq (local.get $n))))
                  (local.set $acc (i32.add (local.get $acc) (call_indirect (type $t) (local.get $n) (i32.const 1))))
                  (block $a (block $b (block $c
                    (br_table $a $b $c (i32.and (local.get $n) (i32.const 3))))
                    (local.set $acc (i32.xor (local.get $acc) (i32.const 5))))
                    (i32.store offset=8 (local.get $n) (local.get $acc)))
                  (if (i32.lt_s (local.get $acc) (i32.const 0))
                    (then (local.set $acc (i32.sub (i32.const 0) (local.get $acc))))
                    (else (local.set $f (f64.floor (f64.convert_i32_s (local.get $acc))))))
                  (memory.init $d (i32.const 100) (i32.const 0) (i32.const 4))
                  (table.copy (i32.const 0) (i32.const 1) (i32.const 1))
                  (drop (i32.atomic.rmw.add offset=16 (i32.const 0) (local.get $n)))
                  (memory.fill (i32.const 200) (i32.const 7) (i32.const 3))
                  (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
                (i32.add (local.get $acc) (i32.load offset=16 (i32.const 0)))))
            """;

    @Test
    void theDecoderWalksTranslatedCodeExactly() {
        ModuleImage image = Wat.image(MODULE);
        for (FunctionCode f : image.functions) {
            int[] c = f.code();
            int pc = 0;
            while (pc < c.length) {
                assertThat(c[pc]).as("opcode at %d", pc).isBetween(0, Op.COUNT - 1);
                for (int t : Op.targets(c, pc)) assertThat(c[t]).as("target at %d", t).isBetween(0, c.length);
                pc += Op.length(c, pc);
            }
            assertThat(pc).isEqualTo(c.length);
        }
        List<String> mix = Op.names(image.functions[1].code());
        assertThat(mix).contains("CALL", "CALL_INDIRECT", "BR_TABLE", "MEMORY_INIT", "TABLE_COPY", "I32_ATOMIC_RMW_ADD",
                "MEMORY_FILL", "F64_FLOOR", "I32_STORE", "RETURN");
    }

    @Test
    void theInstrumentedCopyKeepsTheCodeAndChecksEveryBlock() {
        ModuleImage image = Wat.image(MODULE);
        FunctionCode original = image.functions[1];
        FunctionCode copy = InstructionProfile.instrument(original);
        assertThat(InstructionProfile.instrument(original)).isSameAs(copy);
        int[] c = copy.code();
        List<String> kept = new ArrayList<>();
        int inserted = 0;
        for (int pc = 0; pc < c.length; pc += Op.length(c, pc)) {
            boolean mine = c[pc] == Op.CHECK && c[pc + 2] == copy.frameSize();
            if (mine) {
                inserted++;
                assertThat(c[pc + 1]).isEqualTo(1);
            } else {
                kept.add(Op.NAMES[c[pc]]);
            }
            for (int t : Op.targets(c, pc)) assertThat(c[c[t]]).as("branch at %d lands on a CHECK", pc).isEqualTo(Op.CHECK);
            int op = c[pc];
            boolean endsBlock = op == Op.CALL || op == Op.CALL_INDIRECT || op == Op.BR_IF || op == Op.BR_IF_EQZ
                    || op >= Op.BR_IF_I32_EQ && op <= Op.BR_IF_I32_GE_U || op >= Op.BR_IF_I32_EQ_I && op <= Op.BR_IF_I32_GE_U_I;
            int next = pc + Op.length(c, pc);
            if (endsBlock && next < c.length) assertThat(c[next]).as("a block starts after %d", pc).isEqualTo(Op.CHECK);
        }
        assertThat(kept).isEqualTo(Op.names(original.code()));
        assertThat(inserted).isGreaterThanOrEqualTo(6); // after both calls, the br_table's targets, both if arms
    }

    @Test
    void theReportCountsEachInstructionAndPairOfAMeasuredBlock() {
        ModuleImage image = Wat.image("""
                (module (func (export "f") (param i32) (result i32) (local i32)
                  (loop $l
                    (local.set 1 (i32.add (i32.mul (local.get 0) (local.get 0)) (i32.const 3)))
                    (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
                  (local.get 1)))
                """);
        FunctionCode copy = InstructionProfile.instrument(image.functions[0]);
        int[] c = copy.code();
        int loopBody = -1;
        for (int pc = 0; pc < c.length; pc += Op.length(c, pc)) {
            if (c[pc] == Op.CHECK && Op.NAMES[c[pc + 3]].equals("I32_MUL")) loopBody = pc + 3;
        }
        assertThat(loopBody).isPositive();
        for (int i = 0; i < 1_234_567; i++) InstructionProfile.hit(copy, loopBody);
        String report = InstructionProfile.report();
        assertThat(report).containsPattern("1234567 +[0-9.]+%  I32_MUL\\(h,l,l\\)");
        assertThat(report).containsPattern("1234567 +[0-9.]+%  I32_ADD_I\\(l,h,#\\)");
        assertThat(report).containsPattern("1234567 +[0-9.]+%  I32_MUL\\(h,l,l\\) -> I32_ADD_I\\(l,h,#\\)");
    }
}
