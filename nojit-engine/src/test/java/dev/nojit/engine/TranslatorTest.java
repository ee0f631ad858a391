package dev.nojit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void aRunOfMovesIsOneInstructionDoneInOrder() {
        // three locals rotated at a loop's back edge: b <- c, c <- a, a <- t: the moves depend on their order
        Instance inst = Wat.instance("""
                (module (func (export "f") (param $n i32) (result i32) (local $a i32) (local $b i32) (local $c i32) (local $t i32)
                  (local.set $a (i32.const 1)) (local.set $b (i32.const 2)) (local.set $c (i32.const 3))
                  (loop $l
                    (local.set $t (i32.add (local.get $b) (i32.mul (local.get $a) (i32.const 10))))
                    (local.set $b (local.get $c))
                    (local.set $c (local.get $a))
                    (local.set $a (local.get $t))
                    (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
                  (i32.add (i32.mul (local.get $a) (i32.const 10000)) (i32.add (i32.mul (local.get $b) (i32.const 100)) (local.get $c)))))
                """);
        int a = 1, b = 2, c = 3;
        for (int i = 0; i < 3; i++) {
            int t = b + a * 10;
            b = c;
            c = a;
            a = t;
        }
        assertThat(inst.invoke("f", 3)[0]).isEqualTo(a * 10000 + b * 100 + c);
        assertThat(Op.names(inst.image.functions[0].code())).contains("MOVS").doesNotContain("MOV");
    }

    @Test
    void movesOnEitherSideOfABranchTargetStaySeparate() {
        // the move into $y ends the block and the move into $x starts after its end, where br_if lands: they must
        // not become one MOVS, or the branch would land inside it
        Instance inst = Wat.instance("""
                (module (func (export "f") (param $c i32) (result i32) (local $x i32) (local $y i32)
                  (local.set $x (i32.const 5))
                  (block $b
                    (br_if $b (local.get $c))
                    (local.set $y (local.get $x)))
                  (local.set $x (local.get $y))
                  (local.get $x)))
                """);
        assertThat(inst.invoke("f", 0)[0]).isEqualTo(5);
        assertThat(inst.invoke("f", 1)[0]).isEqualTo(0);
        // $y <- $x alone; then, from the branch target on, $x <- $y joined with the move of the result
        assertThat(Op.names(inst.image.functions[0].code())).containsExactly("MOV", "BR_IF", "MOV", "MOVS", "RETURN");
    }

    @Test
    void aBranchBackToALoopDoesTheLoopsCheck() {
        // br to a loop header is BR_LOOP, which charges the header's CHECK itself; a machine out of fuel still stops
        Instance inst = Wat.instance("""
                (module (func (export "f") (param $n i32) (result i32) (local $s i32)
                  (loop $l
                    (local.set $s (i32.add (local.get $s) (local.get $n)))
                    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                    (if (local.get $n) (then (br $l))))
                  (local.get $s)))
                """);
        assertThat(Op.names(inst.image.functions[0].code())).contains("BR_LOOP");
        assertThat(inst.invoke("f", 100)[0]).isEqualTo(5050);
        Machine m = new Machine(inst.store());
        m.setFuel(50);
        assertThatThrownBy(() -> m.invoke(inst, "f", 1_000_000))
                .isInstanceOfSatisfying(Trap.class, t -> assertThat(t.kind()).isEqualTo(TrapKind.OUT_OF_FUEL));
    }

    @Test
    void aShiftFeedingAnXorIsFusedWithEveryOperandWhereItWas() {
        // SHA-256's sigma shapes: rotates (rotl and rotr) and a shift by constants, xored; also a rotate of a computed
        // value, whose home slot the fused instruction reads before writing its own result
        Instance inst = Wat.instance("""
                (module (func (export "f") (param $x i32) (param $y i32) (result i32)
                  (i32.xor (i32.xor (i32.rotl (local.get $x) (i32.const 7)) (i32.rotr (local.get $x) (i32.const 18)))
                           (i32.shr_u (local.get $x) (i32.const 3))))
                 (func (export "g") (param $x i32) (param $y i32) (result i32)
                  (i32.xor (local.get $y) (i32.rotr (i32.add (local.get $x) (local.get $y)) (i32.const 0)))))
                """);
        for (int x : new int[] {0, 1, -1, 0x80000001, 0x12345678, 0x9abcdef0}) {
            int y = x * 31 + 5;
            assertThat((int) inst.invoke("f", x, y)[0]).isEqualTo(Integer.rotateLeft(x, 7) ^ Integer.rotateRight(x, 18) ^ x >>> 3);
            assertThat((int) inst.invoke("g", x, y)[0]).isEqualTo(y ^ (x + y));
        }
        assertThat(Op.names(inst.image.functions[0].code())).containsExactly("I32_ROTL_I", "I32_XOR_ROTL_I", "I32_XOR_SHR_U_I", "RETURN");
        assertThat(Op.names(inst.image.functions[1].code())).containsExactly("I32_ADD", "I32_XOR_ROTL_I", "RETURN");
    }
}
