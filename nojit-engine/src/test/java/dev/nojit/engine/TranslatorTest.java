package dev.nojit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Cases where the register translation's shortcuts (lazy operands, retargeting, fusion) must not apply. */
class TranslatorTest {
    @Test
    void aLoopParameterConsumedByLocalSetIsCopiedOnEveryIteration() {
        // the add before the loop must not write local 1 directly: later iterations bring the value by branch
        Instance inst = Wat.instance("""
                (module (func (export "f") (param $n i32) (result i32) (local $x i32) (local $sum i32)
                  (i32.add (local.get $n) (i32.const 0))
                  (loop $l (param i32)
                    (local.set $x)
                    (local.set $sum (i32.add (local.get $sum) (local.get $x)))
                    (drop (br_if $l (i32.sub (local.get $x) (i32.const 1)) (local.get $x))))
                  (local.get $sum)))
                """);
        assertThat(inst.invoke("f", 4)[0]).isEqualTo(4 + 3 + 2 + 1);
    }

    @Test
    void aLocalReadLazilyKeepsItsOldValueWhenTheLocalIsWrittenBeforeUse() {
        Instance inst = Wat.instance("""
                (module (func (export "f") (param $a i32) (result i32)
                  (local.get $a)                          ;; old value, still on the stack
                  (local.set $a (i32.const 100))
                  (local.get $a)
                  (i32.sub)))                              ;; old - 100
                """);
        assertThat(inst.invoke("f", 7)[0]).isEqualTo(7 - 100);
    }

    @Test
    void teeKeepsTheValueAndTheLocal() {
        Instance inst = Wat.instance("""
                (module (func (export "f") (param $a i32) (result i32) (local $b i32)
                  (i32.mul (local.tee $b (i32.add (local.get $a) (i32.const 1))) (local.get $b))))
                """);
        assertThat(inst.invoke("f", 4)[0]).isEqualTo(25);
    }

    @Test
    void deepStacksBeyondTheLazyWindowStayCorrect() {
        // 100 values on the stack, then summed: entries above the lazy window always live in their homes
        String pushes = "(local.get 0) (i32.const 1) (i32.add) ".repeat(100);
        String adds = "(i32.add) ".repeat(99);
        Instance inst = Wat.instance("(module (func (export \"f\") (param i32) (result i32) " + pushes + adds + "))");
        assertThat(inst.invoke("f", 2)[0]).isEqualTo(300);
    }

    @Test
    void compareAndBranchFusionKeepsBothOperandOrders() {
        Instance inst = Wat.instance("""
                (module (func (export "lt") (param i32 i32) (result i32)
                  (block $yes (br_if $yes (i32.lt_s (local.get 0) (local.get 1))) (return (i32.const 0)))
                  (i32.const 1))
                 (func (export "ltConst") (param i32) (result i32)
                  (block $yes (br_if $yes (i32.lt_u (local.get 0) (i32.const 10))) (return (i32.const 0)))
                  (i32.const 1)))
                """);
        assertThat(inst.invoke("lt", 1, 2)[0]).isEqualTo(1);
        assertThat(inst.invoke("lt", 2, 1)[0]).isEqualTo(0);
        assertThat(inst.invoke("ltConst", 9)[0]).isEqualTo(1);
        assertThat(inst.invoke("ltConst", -1)[0]).isEqualTo(0); // unsigned
    }

    /** The opcode names of defined function {@code index}, in order. */
    private static List<String> ops(Instance inst, int index) {
        return Op.names(inst.image.functions[index].code());
    }

    @Test
    void twoMovesInARowBecomeOneMov2InOrder() {
        // t = a; a = b; b = t: the first two moves join (MOV2 runs them in order), the third stays a MOV
        Instance inst = Wat.instance("""
                (module (func (export "swap") (param $a i32) (param $b i32) (result i32) (local $t i32)
                  (local.set $t (local.get $a))
                  (local.set $a (local.get $b))
                  (local.set $b (local.get $t))
                  (i32.sub (i32.mul (local.get $a) (i32.const 10)) (local.get $b))))
                """);
        assertThat(ops(inst, 0)).containsSubsequence("MOV2", "MOV").doesNotContain("I32_LOAD_ADD");
        assertThat(ops(inst, 0).stream().filter(o -> o.startsWith("MOV")).toList()).containsExactly("MOV2", "MOV");
        assertThat(inst.invoke("swap", 3, 7)[0]).isEqualTo(7 * 10 - 3);
    }

    @Test
    void movesOnBothSidesOfABranchTargetStaySeparate() {
        // br_if skips x = p0 and lands on y = p1: the two moves must not become one instruction
        Instance inst = Wat.instance("""
                (module (func (export "f") (param i32 i32) (result i32) (local $x i32) (local $y i32)
                  (block $b
                    (br_if $b (local.get 1))
                    (local.set $x (local.get 0)))
                  (local.set $y (local.get 1))
                  (i32.add (local.get $x) (local.get $y))))
                """);
        assertThat(ops(inst, 0)).doesNotContain("MOV2");
        assertThat(inst.invoke("f", 5, 0)[0]).isEqualTo(5);
        assertThat(inst.invoke("f", 5, 7)[0]).isEqualTo(7);
    }

    private static final String LOADS = """
            (module (memory (export "mem") 1)
              (data (i32.const 0) "\01\00\00\00\02\00\00\00\03\00\00\00\04\00\00\00\05\00\00\00\06\00\00\00")
              (func (export "load") (param i32) (result i32)
                (i32.load offset=8 (i32.add (local.get 0) (i32.const 4))))
              (func (export "load64") (param i32) (result i64)
                (i64.load offset=4 (i32.add (local.get 0) (i32.const 4))))
              (func (export "kept") (param i32) (result i32) (local $p i32)
                (i32.add (i32.load (local.tee $p (i32.add (local.get 0) (i32.const 4)))) (local.get $p)))
              (func (export "joined") (param i32 i32) (result i32)
                (i32.load (block $b (result i32)
                  (drop (br_if $b (i32.const 16) (local.get 1)))
                  (i32.add (local.get 0) (i32.const 4))))))
            """;

    @Test
    void anAddressComputedByAddingAConstantIsFusedIntoTheLoad() {
        Instance inst = Wat.instance(LOADS);
        assertThat(ops(inst, 0)).containsExactly("I32_LOAD_ADD", "RETURN");
        assertThat(ops(inst, 1)).containsExactly("I64_LOAD_ADD", "RETURN");
        assertThat(inst.invoke("load", 0)[0]).isEqualTo(4);             // bytes 12..15
        assertThat(inst.invoke("load", -4)[0]).isEqualTo(3);            // x + 4 wraps to 0: bytes 8..11, not a trap
        assertThat(inst.invoke("load64", 4)[0]).isEqualTo(4L | 5L << 32); // bytes 12..19
        // the trap names the effective address, as the unfused load does: (65532 + 4) + 8
        assertThatThrownBy(() -> inst.invoke("load", 65532))
                .isInstanceOf(Trap.class).hasMessage("out of bounds memory access at 65544");
        assertThatThrownBy(() -> inst.invoke("load64", 65532 - 4))
                .isInstanceOf(Trap.class).hasMessage("out of bounds memory access at 65536");
    }

    @Test
    void anAddWhoseSumIsKeptOrCrossesABranchTargetIsNotFused() {
        Instance inst = Wat.instance(LOADS);
        assertThat(ops(inst, 2)).contains("I32_ADD_I", "I32_LOAD").doesNotContain("I32_LOAD_ADD");
        assertThat(inst.invoke("kept", 0)[0]).isEqualTo(2 + 4);
        assertThat(ops(inst, 3)).contains("I32_ADD_I", "I32_LOAD").doesNotContain("I32_LOAD_ADD");
        assertThat(inst.invoke("joined", 0, 0)[0]).isEqualTo(2);  // the add's address 4
        assertThat(inst.invoke("joined", 0, 1)[0]).isEqualTo(5);  // the branch's address 16
    }

    @Test
    void aShiftThenMaskBecomesOneBitFieldInstruction() {
        Instance inst = Wat.instance("""
                (module (func (export "field") (param i32) (result i32)
                  (i32.and (i32.shr_u (local.get 0) (i32.const 7)) (i32.const 255)))
                 (func (export "highMask") (param i32) (result i32)
                  (i32.and (i32.shr_u (local.get 0) (i32.const 33)) (i32.const -2))))
                """);
        assertThat(ops(inst, 0)).containsExactly("I32_SHR_U_AND_I", "RETURN");
        assertThat(inst.invoke("field", 0x12345678)[0]).isEqualTo((0x12345678 >>> 7) & 255);
        assertThat(inst.invoke("field", -1)[0]).isEqualTo(255);
        assertThat(ops(inst, 1)).containsExactly("I32_SHR_U_AND_I", "RETURN");
        assertThat(inst.invoke("highMask", -1)[0]).isEqualTo(0x7FFF_FFFEL); // shift count 33 is 1; an i32 result
    }
}
