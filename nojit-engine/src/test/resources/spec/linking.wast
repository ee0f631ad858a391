;; nojit's own spec-style script: modules linked through register. A memory, a table and a global shared
;; between instances; functions imported, re-exported and imported again; imports that do not link (unknown
;; names, wrong kinds, signatures, limits, sharedness, element types); start functions, including one that
;; traps after writing into an imported memory.
;; min-passed: 58

(module $base
  (memory (export "mem") 1 4)
  (table (export "tab") 2 8 funcref)
  (global (export "g") (mut i32) (i32.const 5))
  (global (export "k") i64 (i64.const 77))
  (func $seven (export "seven") (result i32) (i32.const 7))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (elem (i32.const 0) $seven)
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "mem-size") (result i32) (memory.size))
  (func (export "tab-size") (result i32) (table.size 0))
  (func (export "get-g") (result i32) (global.get 0))
)
(register "base" $base)

(module $client
  (type $v_i (func (result i32)))
  (import "base" "mem" (memory 1))
  (import "base" "tab" (table 1 funcref))
  (import "base" "g" (global $g (mut i32)))
  (import "base" "add" (func $add (param i32 i32) (result i32)))
  (import "base" "seven" (func $seven (result i32)))
  (import "spectest" "print_i32" (func $print (param i32)))
  (func $nine (result i32) (i32.const 9))
  (elem (i32.const 1) $nine)
  (data (i32.const 100) "\63")
  (export "seven-again" (func $seven))
  (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "grow-tab") (param i32) (result i32) (table.grow 0 (ref.null func) (local.get 0)))
  (func (export "call-table") (param i32) (result i32) (call_indirect (type $v_i) (local.get 0)))
  (func (export "set-g") (param i32) (global.set $g (local.get 0)))
  (func (export "sum") (result i32)
    (call $print (i32.const 1))
    (call $add (call $seven) (global.get $g)))
)
(register "client" $client)

;; the data and element segments of $client landed in $base's memory and table
(assert_return (invoke $base "load8" (i32.const 100)) (i32.const 0x63))
(assert_return (invoke $client "call-table" (i32.const 0)) (i32.const 7))
(assert_return (invoke $client "call-table" (i32.const 1)) (i32.const 9))
(assert_return (invoke $client "sum") (i32.const 12))
(invoke $client "set-g" (i32.const 30))
(assert_return (invoke $base "get-g") (i32.const 30))
(assert_return (get $base "g") (i32.const 30))
(assert_return (invoke $client "sum") (i32.const 37))
(invoke $client "store8" (i32.const 200) (i32.const 0xfe))
(assert_return (invoke $base "load8" (i32.const 200)) (i32.const 0xfe))
;; growth through one instance is seen by the other; the exporter's maximum holds
(assert_return (invoke $client "grow" (i32.const 2)) (i32.const 1))
(assert_return (invoke $base "mem-size") (i32.const 3))
(assert_return (invoke $base "load8" (i32.const 196607)) (i32.const 0))
(assert_return (invoke $client "grow" (i32.const 2)) (i32.const -1))
(assert_return (invoke $client "grow-tab" (i32.const 3)) (i32.const 2))
(assert_return (invoke $base "tab-size") (i32.const 5))
(assert_return (invoke $client "grow-tab" (i32.const 4)) (i32.const -1))
(assert_return (invoke $client "seven-again") (i32.const 7))

;; an import of a re-exported import
(module
  (import "client" "seven-again" (func $s (result i32)))
  (func (export "fourteen") (result i32) (i32.mul (call $s) (i32.const 2)))
)
(assert_return (invoke "fourteen") (i32.const 14))

;; the current sizes count when checking limits: mem is now 3 pages with max 4, tab 5 with max 8
(module (import "base" "mem" (memory 3 4)))
(module (import "base" "mem" (memory 2 5)))
(module (import "base" "tab" (table 5 8 funcref)))
(assert_unlinkable (module (import "base" "mem" (memory 4))) "incompatible import type")
(assert_unlinkable (module (import "base" "mem" (memory 1 3))) "incompatible import type")
(assert_unlinkable (module (import "base" "mem" (memory 1 4 shared))) "incompatible import type")
(assert_unlinkable (module (import "base" "tab" (table 6 funcref))) "incompatible import type")
(assert_unlinkable (module (import "base" "tab" (table 1 7 funcref))) "incompatible import type")
(assert_unlinkable (module (import "base" "tab" (table 1 externref))) "incompatible import type")
(assert_unlinkable (module (import "spectest" "memory" (memory 1 1))) "incompatible import type")
(assert_unlinkable (module (import "spectest" "shared_memory" (memory 1 2))) "incompatible import type")

;; function signatures must match exactly
(assert_unlinkable (module (import "base" "add" (func (param i32) (result i32)))) "incompatible import type")
(assert_unlinkable (module (import "base" "add" (func (param i32 i32)))) "incompatible import type")
(assert_unlinkable (module (import "base" "add" (func (param i32 i32) (result i64)))) "incompatible import type")
(assert_unlinkable (module (import "base" "seven" (func (result i32 i32)))) "incompatible import type")
(assert_unlinkable (module (import "spectest" "print_i32" (func (param i64)))) "incompatible import type")
;; kinds must match
(assert_unlinkable (module (import "base" "mem" (func))) "incompatible import type")
(assert_unlinkable (module (import "base" "seven" (memory 1))) "incompatible import type")
(assert_unlinkable (module (import "base" "g" (table 1 funcref))) "incompatible import type")
(assert_unlinkable (module (import "base" "tab" (global i32))) "incompatible import type")
(assert_unlinkable (module (import "base" "k" (global i32))) "incompatible import type")
;; unknown names
(assert_unlinkable (module (import "base" "nope" (func))) "unknown import")
(assert_unlinkable (module (import "nowhere" "seven" (func (result i32)))) "unknown import")
(assert_unlinkable (module (import "spectest" "print_i128" (func))) "unknown import")
(assert_unlinkable (module (import "Base" "seven" (func (result i32)))) "unknown import")

;; a module that fails to link leaves the shared state alone
(assert_unlinkable
  (module
    (import "base" "mem" (memory 1))
    (import "base" "missing" (func))
    (data (i32.const 300) "\01"))
  "unknown import")
(assert_return (invoke $base "load8" (i32.const 300)) (i32.const 0))

;; start functions run at instantiation, after the data segments
(module $started
  (import "base" "mem" (memory 1))
  (global $ran (mut i32) (i32.const 0))
  (data (i32.const 400) "\05")
  (func $start
    (global.set $ran (i32.add (i32.load8_u (i32.const 400)) (i32.const 1)))
    (i32.store8 (i32.const 401) (i32.const 0x11)))
  (start $start)
  (func (export "ran") (result i32) (global.get $ran))
)
(assert_return (invoke $started "ran") (i32.const 6))
(assert_return (invoke $base "load8" (i32.const 401)) (i32.const 0x11))

;; a start function that traps: the module is not instantiated, but its writes to shared memory stay
(assert_trap
  (module
    (import "base" "mem" (memory 1))
    (func $start (i32.store8 (i32.const 500) (i32.const 0x22)) (unreachable))
    (start $start))
  "unreachable")
(assert_return (invoke $base "load8" (i32.const 500)) (i32.const 0x22))
(assert_trap
  (module
    (func $start (drop (i32.div_s (i32.const 1) (i32.const 0))))
    (start $start))
  "integer divide by zero")
(assert_trap
  (module
    (memory 1)
    (func $start (drop (i32.load (i32.const 65536))))
    (start $start))
  "out of bounds memory access")
(assert_trap
  (module
    (import "base" "seven" (func $seven (result i32)))
    (func $start (if (i32.eq (call $seven) (i32.const 7)) (then unreachable)))
    (start $start))
  "unreachable")
;; the last successfully instantiated module is still the current one
(assert_return (invoke "ran") (i32.const 6))
