;; nojit's own spec-style script: deep recursion. Deep but bounded recursion completes (direct, mutual,
;; through call_indirect, with large frames); unbounded recursion of each kind exhausts the call stack
;; instead of failing the host, and the instance keeps working afterwards.
;; min-passed: 16

(module
  (type $i_i (func (param i32) (result i32)))
  (table funcref (elem $down-indirect))
  (global $calls (mut i32) (i32.const 0))

  (func $down (export "down") (param i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1)))))))

  (func $ping (export "ping") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 100))
      (else (call $pong (i32.sub (local.get 0) (i32.const 1))))))
  (func $pong (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 200))
      (else (call $ping (i32.sub (local.get 0) (i32.const 1))))))

  (func $down-indirect (export "down-indirect") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (i32.const 2)
        (call_indirect (type $i_i) (i32.sub (local.get 0) (i32.const 1)) (i32.const 0))))))

  ;; a frame with many locals, each call keeping values live across the recursive call
  (func $wide (export "wide") (param $n i32) (result i64)
    (local $a i64) (local $b i64) (local $c i64) (local $d i64) (local $e i64) (local $f i64) (local $g i64) (local $h i64)
    (local $p f64) (local $q f64) (local $r f64) (local $s f64) (local $t f64) (local $u f64) (local $v f64) (local $w f64)
    (local.set $a (i64.extend_i32_u (local.get $n)))
    (local.set $h (i64.const 1))
    (if (result i64) (i32.eqz (local.get $n))
      (then (i64.const 0))
      (else
        (i64.add (i64.add (local.get $a) (local.get $h))
          (call $wide (i32.sub (local.get $n) (i32.const 1)))))))

  (func $forever (export "forever") (result i32) (call $forever))
  (func $forever-mutual-a (export "forever-mutual") (param i64) (result i64)
    (call $forever-mutual-b (i64.add (local.get 0) (i64.const 1))))
  (func $forever-mutual-b (param i64) (result i64)
    (call $forever-mutual-a (i64.mul (local.get 0) (i64.const 1))))
  (func (export "forever-indirect") (param i32) (result i32)
    (call_indirect (type $i_i) (i32.const -1) (i32.const 0)))
  (func (export "calls") (result i32) (global.get $calls))
  (func (export "reset") (global.set $calls (i32.const 0)))
)

(assert_return (invoke "down" (i32.const 0)) (i32.const 0))
(assert_return (invoke "down" (i32.const 10000)) (i32.const 10000))
(assert_return (invoke "calls") (i32.const 10002))
(assert_return (invoke "ping" (i32.const 9999)) (i32.const 200))
(assert_return (invoke "ping" (i32.const 10000)) (i32.const 100))
(assert_return (invoke "down-indirect" (i32.const 5000)) (i32.const 10000))
(assert_return (invoke "wide" (i32.const 5000)) (i64.const 12507500))
(assert_exhaustion (invoke "forever") "call stack exhausted")
(assert_exhaustion (invoke "forever-mutual" (i64.const 0)) "call stack exhausted")
(assert_exhaustion (invoke "forever-indirect" (i32.const 0)) "call stack exhausted")
(invoke "reset")
(assert_exhaustion (invoke "down" (i32.const -1)) "call stack exhausted")
;; the instance still runs after exhaustion
(assert_return (invoke "down" (i32.const 3)) (i32.const 3))
(assert_return (invoke "wide" (i32.const 3)) (i64.const 9))
(assert_return (invoke "down-indirect" (i32.const 3)) (i32.const 6))
