;; nojit's own spec-style script: locals (zero-initialised on every call, tee, many of them across types)
;; and globals (mutable and immutable, initialised from imported globals, exported and imported between
;; modules with register, a mutable global shared by two modules).
;; min-passed: 32

(module
  (func (export "defaults") (result i64)
    (local i32 i64 f32 f64)
    (i64.add
      (i64.extend_i32_u (local.get 0))
      (i64.add (local.get 1)
        (i64.add (i64.reinterpret_f64 (f64.promote_f32 (local.get 2))) (i64.reinterpret_f64 (local.get 3))))))
  ;; a local written in one call is zero again in the next
  (func (export "fresh") (param i32) (result i32)
    (local $x i32)
    (local.set $x (i32.add (local.get $x) (local.get 0)))
    (local.get $x))
  (func (export "tee") (param i32) (result i32)
    (local $a i32)
    (i32.mul (local.tee $a (i32.add (local.get 0) (i32.const 1))) (local.get $a)))
  (func (export "param-overwrite") (param i32 i32) (result i32)
    (local.set 0 (local.get 1))
    (local.set 1 (i32.const 0))
    (i32.sub (local.get 0) (local.get 1)))
  (func (export "many-locals") (param $n i32) (result f64)
    (local $a f64) (local $b f64) (local $c f64) (local $d i64) (local $e i64) (local $f f32)
    (local.set $a (f64.const 1.5))
    (local.set $d (i64.const 3))
    (local.set $f (f32.const 0.25))
    (local.set $b (f64.mul (local.get $a) (f64.convert_i64_s (local.get $d))))
    (local.set $e (i64.extend_i32_s (local.get $n)))
    (local.set $c (f64.add (local.get $b) (f64.promote_f32 (local.get $f))))
    (f64.add (local.get $c) (f64.convert_i64_s (local.get $e))))
)

(assert_return (invoke "defaults") (i64.const 0))
(assert_return (invoke "fresh" (i32.const 5)) (i32.const 5))
(assert_return (invoke "fresh" (i32.const 6)) (i32.const 6))
(assert_return (invoke "tee" (i32.const 6)) (i32.const 49))
(assert_return (invoke "param-overwrite" (i32.const 1) (i32.const 9)) (i32.const 9))
(assert_return (invoke "many-locals" (i32.const -10)) (f64.const -5.25))

(module $owner
  (global $counter (export "counter") (mut i32) (i32.const 10))
  (global $wide (export "wide") (mut i64) (i64.const -1))
  (global $pi (export "pi") f64 (f64.const 3.14159))
  (global $fbits (export "fbits") (mut f32) (f32.const nan:0x200000))
  (func (export "bump") (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (global.get $counter))
  (func (export "set-wide") (param i64) (global.set $wide (local.get 0)))
  (func (export "get-fbits") (result f32) (global.get $fbits))
)
(register "owner" $owner)

(assert_return (get $owner "counter") (i32.const 10))
(assert_return (invoke $owner "bump") (i32.const 11))
(assert_return (get $owner "counter") (i32.const 11))
(assert_return (get $owner "pi") (f64.const 3.14159))
(assert_return (get $owner "fbits") (f32.const nan:0x200000))
(assert_return (invoke $owner "get-fbits") (f32.const nan:0x200000))

(module $user
  (import "owner" "counter" (global $c (mut i32)))
  (import "owner" "wide" (global $w (mut i64)))
  (import "owner" "pi" (global $pi f64))
  (import "spectest" "global_i32" (global $host i32))
  ;; constant initialisers may read imported immutable globals
  (global $twice-pi (export "twice-pi") f64 (global.get $pi))
  (global $from-host (export "from-host") i32 (global.get $host))
  (func (export "read-c") (result i32) (global.get $c))
  (func (export "write-c") (param i32) (global.set $c (local.get 0)))
  (func (export "read-w") (result i64) (global.get $w))
  (func (export "add-w") (param i64) (global.set $w (i64.add (global.get $w) (local.get 0))))
)

(assert_return (invoke $user "read-c") (i32.const 11))
(assert_return (invoke $owner "bump") (i32.const 12))
(assert_return (invoke $user "read-c") (i32.const 12))
(invoke $user "write-c" (i32.const 100))
(assert_return (get $owner "counter") (i32.const 100))
(assert_return (invoke $owner "bump") (i32.const 101))
(assert_return (invoke $user "read-w") (i64.const -1))
(invoke $user "add-w" (i64.const 0x100000000))
(assert_return (invoke $user "read-w") (i64.const 0xffffffff))
(invoke $owner "set-wide" (i64.const 0x8000000000000000))
(assert_return (invoke $user "read-w") (i64.const 0x8000000000000000))
(assert_return (get $user "twice-pi") (f64.const 3.14159))
(assert_return (get $user "from-host") (i32.const 666))

;; importing with the wrong mutability or type does not link
(assert_unlinkable
  (module (import "owner" "counter" (global i32)))
  "incompatible import type")
(assert_unlinkable
  (module (import "owner" "pi" (global (mut f64))))
  "incompatible import type")
(assert_unlinkable
  (module (import "owner" "counter" (global (mut i64))))
  "incompatible import type")
(assert_unlinkable
  (module (import "owner" "bump" (global i32)))
  "incompatible import type")
(assert_unlinkable
  (module (import "owner" "missing" (global i32)))
  "unknown import")
