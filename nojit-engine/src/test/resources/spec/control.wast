;; nojit's own spec-style script: structured control flow. Blocks, loops and ifs with parameters and
;; several results, branches carrying values out of nested blocks (dropping what lies below them on the
;; stack), br_table including indices past the end, multi-value functions, unreachable.
;; min-passed: 45

(module
  (type $ii_i (func (param i32 i32) (result i32)))
  (type $i_ii (func (param i32) (result i32 i32)))

  (func (export "block-value") (result i32)
    (block (result i32) (i32.const 1) (br 0 (i32.const 7)) (drop) (i32.const 3)))

  (func (export "nested-br") (param i32) (result i32)
    ;; the branch leaves two blocks and drops the extra operands pushed inside them
    (i32.add (i32.const 100)
      (block $out (result i32)
        (i32.const 11)
        (drop (block $mid (result i32)
          (i32.const 22) (i32.const 33)
          (drop (br_if $out (i32.const 44) (local.get 0)))
          (drop) (drop)
          (i32.const 55)))
        )))

  (func (export "br-from-loop") (result i32)
    (local $i i32)
    (block $done (result i32)
      (loop $again
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (drop (br_if $done (i32.mul (local.get $i) (i32.const 10)) (i32.eq (local.get $i) (i32.const 5))))
        (br $again))
      (i32.const -1)))

  (func (export "loop-sum") (param $n i32) (result i32)
    (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get $n) (i32.const 0))))
    (local.get $acc))

  ;; a block taking two parameters and returning one
  (func (export "block-params") (param i32 i32) (result i32)
    (local.get 0) (local.get 1)
    (block (type $ii_i) (i32.sub)))

  ;; a block taking one parameter and returning two, branched out of
  (func (export "block-split") (param i32) (result i32 i32)
    (local.get 0)
    (block (type $i_ii)
      (i32.const 1) (i32.add)
      (i32.const 2)
      (br 0)))

  ;; a loop with a parameter: branching to it passes the new value back in
  (func (export "loop-param") (param $n i32) (result i32)
    (i32.const 0)
    (loop $l (param i32) (result i32)
      (i32.add (local.get $n))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      ;; taken: the running sum is the loop's new parameter; not taken: the loop's result
      (br_if $l (i32.ne (local.get $n) (i32.const 0)))))

  (func (export "if-params") (param i32 i32 i32) (result i32 i32)
    (local.get 1) (local.get 2)
    (if (param i32 i32) (result i32 i32) (local.get 0)
      (then (i32.add) (i32.const 1))
      (else (i32.sub) (i32.const 0))))

  (func (export "if-no-else") (param i32) (result i32)
    (local $r i32)
    (local.set $r (i32.const 5))
    (if (local.get 0) (then (local.set $r (i32.const 6))))
    (local.get $r))

  (func (export "if-br") (param i32) (result i32)
    (if (result i32) (local.get 0)
      (then (br 0 (i32.const 1)) (i32.const 2))
      (else (i32.const 3))))

  (func (export "swap") (param i64 f64) (result f64 i64) (local.get 1) (local.get 0))
  (func (export "three") (result i32 i64 f32) (i32.const 1) (i64.const 2) (f32.const 3))
  (func $divmod (param i32 i32) (result i32 i32)
    (i32.div_u (local.get 0) (local.get 1)) (i32.rem_u (local.get 0) (local.get 1)))
  (func (export "divmod-sum") (param i32 i32) (result i32)
    (call $divmod (local.get 0) (local.get 1)) (i32.add))
  (func (export "divmod") (param i32 i32) (result i32 i32) (call $divmod (local.get 0) (local.get 1)))

  (func (export "br_table") (param i32) (result i32)
    (block $d (result i32)
      (block $c (result i32)
        (block $b (result i32)
          (block $a (result i32)
            (br_table $a $b $c $d (i32.const 10) (local.get 0)))
          (return (i32.add (i32.const 1))))
        (return (i32.add (i32.const 2))))
      (return (i32.add (i32.const 3))))
    (i32.add (i32.const 4)))

  ;; br_table carrying two values
  (func (export "br_table-multi") (param i32) (result i32 i32)
    (block $b (result i32 i32)
      (block $a (result i32 i32)
        (br_table $a $b (i32.const 1) (i32.const 2) (local.get 0)))
      (return (i32.const 9) (i32.const 9))))

  (func (export "br_table-loop") (param $n i32) (result i32)
    (local $count i32)
    (block $exit
      (loop $l
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br_table $exit $l (i32.gt_s (local.get $n) (i32.const 0)))))
    (local.get $count))

  (func (export "return-nested") (param i32) (result i32)
    (block (block (block (br_if 2 (local.get 0)) (return (i32.const 1)))))
    (i32.const 2))

  (func (export "unreachable") (unreachable))
  (func (export "unreachable-in-arg") (result i32) (i32.add (i32.const 1) (unreachable)))
  (func (export "unreachable-after-branch") (param i32) (result i32)
    (block (br_if 0 (local.get 0)) (unreachable))
    (i32.const 42))

  (func (export "select") (param i32) (result i64) (select (i64.const 10) (i64.const 20) (local.get 0)))
  (func (export "select-f64") (param i32) (result f64)
    (select (result f64) (f64.const -0) (f64.const nan:0x1) (local.get 0)))
)

(assert_return (invoke "block-value") (i32.const 7))
(assert_return (invoke "nested-br" (i32.const 1)) (i32.const 144))
(assert_return (invoke "nested-br" (i32.const 0)) (i32.const 111))
(assert_return (invoke "br-from-loop") (i32.const 50))
(assert_return (invoke "loop-sum" (i32.const 100)) (i32.const 5050))
(assert_return (invoke "loop-sum" (i32.const 0)) (i32.const 0))
(assert_return (invoke "block-params" (i32.const 10) (i32.const 3)) (i32.const 7))
(assert_return (invoke "block-split" (i32.const 41)) (i32.const 42) (i32.const 2))
(assert_return (invoke "loop-param" (i32.const 4)) (i32.const 10))
(assert_return (invoke "loop-param" (i32.const 1)) (i32.const 1))
(assert_return (invoke "if-params" (i32.const 1) (i32.const 5) (i32.const 3)) (i32.const 8) (i32.const 1))
(assert_return (invoke "if-params" (i32.const 0) (i32.const 5) (i32.const 3)) (i32.const 2) (i32.const 0))
(assert_return (invoke "if-no-else" (i32.const 0)) (i32.const 5))
(assert_return (invoke "if-no-else" (i32.const -1)) (i32.const 6))
(assert_return (invoke "if-br" (i32.const 7)) (i32.const 1))
(assert_return (invoke "if-br" (i32.const 0)) (i32.const 3))
(assert_return (invoke "swap" (i64.const -5) (f64.const -0.5)) (f64.const -0.5) (i64.const -5))
(assert_return (invoke "three") (i32.const 1) (i64.const 2) (f32.const 3))
(assert_return (invoke "divmod" (i32.const 17) (i32.const 5)) (i32.const 3) (i32.const 2))
(assert_return (invoke "divmod-sum" (i32.const 17) (i32.const 5)) (i32.const 5))
;; (assert_trap on a function with several results makes wabt 1.0.32's wast2json write invalid JSON)
(assert_trap (invoke "divmod-sum" (i32.const 17) (i32.const 0)) "integer divide by zero")
(assert_return (invoke "br_table" (i32.const 0)) (i32.const 11))
(assert_return (invoke "br_table" (i32.const 1)) (i32.const 12))
(assert_return (invoke "br_table" (i32.const 2)) (i32.const 13))
(assert_return (invoke "br_table" (i32.const 3)) (i32.const 14))
(assert_return (invoke "br_table" (i32.const 4)) (i32.const 14))
(assert_return (invoke "br_table" (i32.const 1000)) (i32.const 14))
(assert_return (invoke "br_table" (i32.const -1)) (i32.const 14))
(assert_return (invoke "br_table" (i32.const 0x80000000)) (i32.const 14))
(assert_return (invoke "br_table-multi" (i32.const 0)) (i32.const 9) (i32.const 9))
(assert_return (invoke "br_table-multi" (i32.const 1)) (i32.const 1) (i32.const 2))
(assert_return (invoke "br_table-multi" (i32.const 99)) (i32.const 1) (i32.const 2))
(assert_return (invoke "br_table-loop" (i32.const 5)) (i32.const 5))
(assert_return (invoke "br_table-loop" (i32.const 0)) (i32.const 1))
(assert_return (invoke "return-nested" (i32.const 0)) (i32.const 1))
(assert_return (invoke "return-nested" (i32.const 1)) (i32.const 2))
(assert_trap (invoke "unreachable") "unreachable")
(assert_trap (invoke "unreachable-in-arg") "unreachable")
(assert_trap (invoke "unreachable-after-branch" (i32.const 0)) "unreachable")
(assert_return (invoke "unreachable-after-branch" (i32.const 1)) (i32.const 42))
(assert_return (invoke "select" (i32.const 1)) (i64.const 10))
(assert_return (invoke "select" (i32.const 0)) (i64.const 20))
(assert_return (invoke "select-f64" (i32.const 0)) (f64.const nan:0x1))
(assert_return (invoke "select-f64" (i32.const 2)) (f64.const -0))

;; a branch target out of range and a stack-shape mismatch are invalid
(assert_invalid
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\04\01\60\00\00"          ;; type 0: [] -> []
    "\03\02\01\00"                ;; one function of type 0
    "\0a\07\01\05\00\02\40\0c\02\0b\0b")  ;; block; br 2; end; end
  "unknown label")
(assert_invalid
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\05\01\60\00\01\7f"       ;; type 0: [] -> [i32]
    "\03\02\01\00"
    "\0a\05\01\03\00\01\0b")      ;; nop; end: nothing left for the i32 result
  "type mismatch")
