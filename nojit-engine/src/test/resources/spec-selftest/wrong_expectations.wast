;; Expectations that are deliberately wrong, each next to one that is right. SpecRunnerSelfTest checks that
;; the runner fails exactly the wrong ones, with the reason in its report, so a runner that passes everything
;; cannot go unnoticed. Not run by ProjectSpecSubsetTest (it lives outside spec/).

(module
  (memory 1 1 shared)
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "add64") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
  (func (export "f32_signalling") (result f32) (f32.const nan:0x200000))
  (func (export "f32_quiet_payload") (result f32) (f32.const nan:0x600000))
  (func (export "f64_quiet_payload") (result f64) (f64.const -nan:0xc000000000000))
  (func (export "f32_one") (result f32) (f32.const 1))
  (func (export "id") (param externref) (result externref) (local.get 0))
  (func (export "null_func") (result funcref) (ref.null func))
  (func (export "spin") (loop (br 0)))
  (func (export "wait_forever") (result i32) (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
)
(assert_return (invoke "add" (i32.const 1) (i32.const 1)) (i32.const 2))
(assert_return (invoke "add" (i32.const 1) (i32.const 1)) (i32.const 3))
(assert_return (invoke "add64" (i64.const -1) (i64.const 0)) (i64.const -1))
(assert_return (invoke "add64" (i64.const -1) (i64.const 0)) (i64.const 0xffffffff))
(assert_return (invoke "f32_signalling") (f32.const nan:arithmetic))
(assert_return (invoke "f32_quiet_payload") (f32.const nan:arithmetic))
(assert_return (invoke "f32_quiet_payload") (f32.const nan:canonical))
(assert_return (invoke "f64_quiet_payload") (f64.const nan:arithmetic))
(assert_return (invoke "f64_quiet_payload") (f64.const nan:canonical))
(assert_return (invoke "f32_one") (f32.const 1))
(assert_return (invoke "f32_one") (f32.const -1))
(assert_return (invoke "id" (ref.extern 1)) (ref.extern 1))
(assert_return (invoke "id" (ref.extern 1)) (ref.extern 2))
(assert_return (invoke "id" (ref.extern 1)) (ref.null extern))
(assert_return (invoke "null_func") (ref.null func))
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer overflow")
(assert_trap (invoke "div" (i32.const 1) (i32.const 1)) "integer divide by zero")
(assert_exhaustion (invoke "add" (i32.const 0) (i32.const 0)) "call stack exhausted")

;; hangs in guest code: the watchdog interrupts them after the runner's time limit
(assert_return (invoke "spin"))
(assert_return (invoke "wait_forever") (i32.const 0))

;; module-level assertions (assert_trap on a module becomes assert_uninstantiable)
(assert_unlinkable (module (import "spectest" "print_i32" (func (param i64)))) "incompatible import type")
(assert_unlinkable (module (import "spectest" "print_i32" (func (param i32)))) "incompatible import type")
(assert_unlinkable (module (import "spectest" "print_i32" (func (param i64)))) "unknown import")
(assert_trap (module (func $start unreachable) (start $start)) "unreachable")
(assert_trap (module (func $start unreachable) (start $start)) "out of bounds memory access")
(assert_trap (module (func $start) (start $start)) "unreachable")
(assert_malformed (module binary "\00asm" "\02\00\00\00") "unknown binary version")
(assert_malformed (module binary "\00asm" "\01\00\00\00") "unknown binary version")

;; a module that fails leaves no current module behind
(module (import "spectest" "no_such_import" (func)) (func (export "add") (param i32 i32) (result i32) (i32.const 2)))
(assert_return (invoke "add" (i32.const 1) (i32.const 1)) (i32.const 2))

;; a start function that does not answer within the limit and cannot be interrupted: the command is given
;; up as hung after the limit and its grace period (the wait would end by itself after 3 s), and the rest
;; of the script is not run
(module (memory 1 1 shared) (func $start (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const 3000000000)))) (start $start)
  (func (export "add") (param i32 i32) (result i32) (i32.const 2)))
(assert_return (invoke "add" (i32.const 1) (i32.const 1)) (i32.const 2))
