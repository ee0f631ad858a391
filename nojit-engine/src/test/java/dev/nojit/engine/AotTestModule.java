package dev.nojit.engine;

/**
 * Test code: the functions of {@link #WAT} written by hand the way the AOT translator generates them (static
 * methods with typed parameters and the {@link AotContext} last; enter/leave/poll; memory through
 * {@link AotContext#memory()}; calls of imports and interpreted functions through {@link AotContext#call};
 * call_indirect through resolveIndirect/callIndirect; setjmp sites through an {@link AotFrame}). The functions
 * marked "interpreted" are left to the interpreter ({@link #compiled} false). Running the same exports with and
 * without this class must give the same results: the tests check that too.
 */
final class AotTestModule implements CompiledModule {
    static final String WAT = """
            (module
              (type $i2i (func (param i32) (result i32)))
              (import "env" "host" (func $host (type $i2i)))
              (import "env" "setjmp" (func $setjmp (param i32) (result i32)))
              (import "env" "longjmp" (func $longjmp (param i32 i32)))
              (import "env" "fork" (func $fork (result i32)))
              (memory (export "mem") 1)
              (global $calls (export "calls") (mut i32) (i32.const 0))
              (table 8 funcref)
              (elem (i32.const 0) $rec $interp $host $seven $handler)
              (elem $passive func $seven $rec)
              (data $hello "hello")
              ;; d0: rec(n) = n == 0 ? 0 : 1 + rec(n - 1)
              (func $rec (export "rec") (param $n i32) (result i32)
                (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0))
                  (else (i32.add (i32.const 1) (call $rec (i32.sub (local.get $n) (i32.const 1)))))))
              ;; d1 (interpreted): 2 * rec(x)
              (func $interp (export "interp") (param $x i32) (result i32)
                (i32.mul (call $rec (local.get $x)) (i32.const 2)))
              ;; d2: interp(x) + 1
              (func (export "callInterp") (param $x i32) (result i32)
                (i32.add (call $interp (local.get $x)) (i32.const 1)))
              ;; d3
              (func (export "callHost") (param $x i32) (result i32) (call $host (local.get $x)))
              ;; d4: counts up to n, or until the word at 0 is not zero
              (func $loop (export "loop") (param $n i32) (result i32) (local $i i32)
                (block $done
                  (loop $l
                    (br_if $done (i32.load (i32.const 0)))
                    (br_if $done (i32.eq (local.get $i) (local.get $n)))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $l)))
                (local.get $i))
              ;; d5
              (func (export "indirect") (param $i i32) (param $x i32) (result i32)
                (call_indirect (type $i2i) (local.get $x) (local.get $i)))
              ;; d6
              (func $deep (param $n i32)
                (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
                (if (i32.eqz (local.get $n))
                  (then (call $longjmp (i32.const 16) (i32.const 42)))
                  (else (call $deep (i32.sub (local.get $n) (i32.const 1))))))
              ;; d7: 5*x is a temporary below the setjmp call site
              (func (export "run") (param $x i32) (result i32) (local $r i32)
                (local.set $r (i32.add (i32.mul (local.get $x) (i32.const 5)) (call $setjmp (i32.const 16))))
                (if (i32.eq (local.get $r) (i32.mul (local.get $x) (i32.const 5)))
                  (then (call $deep (i32.const 1000)) (unreachable)))
                (local.get $r))
              ;; d8
              (func $setsJmpAndReturns (drop (call $setjmp (i32.const 32))))
              ;; d9
              (func (export "stale") (call $setsJmpAndReturns) (call $longjmp (i32.const 32) (i32.const 1)))
              ;; d10 (interpreted): run, its setjmp in the interpreter, the longjmp in compiled $deep
              (func (export "irun") (param $x i32) (result i32) (local $r i32)
                (local.set $r (i32.add (i32.mul (local.get $x) (i32.const 5)) (call $setjmp (i32.const 16))))
                (if (i32.eq (local.get $r) (i32.mul (local.get $x) (i32.const 5)))
                  (then (call $deep (i32.const 1000)) (unreachable)))
                (local.get $r))
              ;; d11 (interpreted)
              (func $ideep (param $n i32)
                (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
                (if (i32.eqz (local.get $n))
                  (then (call $longjmp (i32.const 16) (i32.const 42)))
                  (else (call $ideep (i32.sub (local.get $n) (i32.const 1))))))
              ;; d12: run, its setjmp compiled, the longjmp in interpreted $ideep
              (func (export "run2") (param $x i32) (result i32) (local $r i32)
                (local.set $r (i32.add (i32.mul (local.get $x) (i32.const 5)) (call $setjmp (i32.const 16))))
                (if (i32.eq (local.get $r) (i32.mul (local.get $x) (i32.const 5)))
                  (then (call $ideep (i32.const 1000)) (unreachable)))
                (local.get $r))
              ;; d13
              (func (export "callFork") (result i32) (call $fork))
              ;; d14: 100 + what longjmp made setjmp return; -1 if the loop ever ended by itself
              (func (export "waitSignal") (result i32) (local $r i32)
                (local.set $r (call $setjmp (i32.const 16)))
                (if (i32.ne (local.get $r) (i32.const 0)) (then (return (i32.add (local.get $r) (i32.const 100)))))
                (drop (call $loop (i32.const -1)))
                (i32.const -1))
              ;; d15 (interpreted): a signal handler
              (func $handler (call $longjmp (i32.const 16) (i32.const 7)))
              ;; d16 (interpreted): a + 1 interpreted frames, then compiled rec(b)
              (func $irec (export "irec") (param $a i32) (param $b i32) (result i32)
                (if (result i32) (i32.eqz (local.get $a)) (then (call $rec (local.get $b)))
                  (else (call $irec (i32.sub (local.get $a) (i32.const 1)) (local.get $b)))))
              ;; d17 (interpreted)
              (func $irec0 (param $n i32) (result i32)
                (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0))
                  (else (i32.add (i32.const 1) (call $irec0 (i32.sub (local.get $n) (i32.const 1)))))))
              ;; d18: a + 1 compiled frames, then interpreted irec0(b)
              (func $crec (export "crec") (param $a i32) (param $b i32) (result i32)
                (if (result i32) (i32.eqz (local.get $a)) (then (call $irec0 (local.get $b)))
                  (else (call $crec (i32.sub (local.get $a) (i32.const 1)) (local.get $b)))))
              ;; d19
              (func $seven (result i32) (i32.const 7))
              ;; d20 (interpreted)
              (func $ifork (result i32) (call $fork))
              ;; d21
              (func (export "callIFork") (result i32) (call $ifork))
              ;; d22: a setjmp, then a trap
              (func (export "trapAfterSetjmp") (drop (call $setjmp (i32.const 48))) (unreachable))
              ;; d23
              (func (export "jump48") (call $longjmp (i32.const 48) (i32.const 1)))
              ;; d24 (interpreted): the interpreter's call_indirect of compiled functions
              (func (export "iindirect") (param $i i32) (param $x i32) (result i32)
                (call_indirect (type $i2i) (local.get $x) (local.get $i)))
              ;; d25 (interpreted): the interpreter calls the compiled loop
              (func (export "iloop") (param $n i32) (result i32) (call $loop (local.get $n)))
              ;; d26: compiled, calls interpreted $ideep (which longjmps)
              (func $cideep (param $n i32) (call $ideep (local.get $n)))
              ;; d27 (interpreted): setjmp in the interpreter; the longjmp comes from a nested interpreter run
              ;; under compiled $cideep
              (func (export "irun2") (param $x i32) (result i32) (local $r i32)
                (local.set $r (i32.add (i32.mul (local.get $x) (i32.const 5)) (call $setjmp (i32.const 16))))
                (if (i32.eq (local.get $r) (i32.mul (local.get $x) (i32.const 5)))
                  (then (call $cideep (i32.const 1000)) (unreachable)))
                (local.get $r)))
            """;

    // function indices (imports first)
    static final int HOST = 0, SETJMP = 1, LONGJMP = 2, FORK = 3, INTERP = 5, IDEEP = 15, IREC0 = 21, IFORK = 24;
    static final int TYPE_I2I = 0;

    private static final String I2I = "[I32] -> [I32]", II2I = "[I32, I32] -> [I32]", I2V = "[I32] -> []",
            V2V = "[] -> []", V2I = "[] -> [I32]";
    private static final String[] TYPES = {I2I, I2I, I2I, I2I, I2I, II2I, I2V, I2I, V2V, V2V, I2I, I2V, I2I, V2I, V2I,
            V2V, II2I, I2I, II2I, V2I, V2I, V2I, V2V, V2V, II2I, I2I, I2V, I2I};
    private static final java.util.Set<Integer> INTERPRETED = java.util.Set.of(1, 10, 11, 15, 16, 17, 20, 24, 25, 27);

    @Override
    public int definedFunctions() {
        return TYPES.length;
    }

    @Override
    public String functionType(int definedIndex) {
        return TYPES[definedIndex];
    }

    @Override
    public boolean compiled(int definedIndex) {
        return !INTERPRETED.contains(definedIndex);
    }

    @Override
    public long[] invoke(int d, long[] a, AotContext cx) {
        return switch (d) {
            case 0 -> i(rec((int) a[0], cx));
            case 2 -> i(callInterp((int) a[0], cx));
            case 3 -> i(callHost((int) a[0], cx));
            case 4 -> i(loop((int) a[0], cx));
            case 5 -> i(indirect((int) a[0], (int) a[1], cx));
            case 6 -> { deep((int) a[0], cx); yield new long[0]; }
            case 7 -> i(run((int) a[0], cx, false));
            case 8 -> { setsJmpAndReturns(cx); yield new long[0]; }
            case 9 -> { stale(cx); yield new long[0]; }
            case 12 -> i(run((int) a[0], cx, true));
            case 13 -> i(callFork(cx));
            case 14 -> i(waitSignal(cx));
            case 18 -> i(crec((int) a[0], (int) a[1], cx));
            case 19 -> i(seven(cx));
            case 21 -> i(callIFork(cx));
            case 22 -> { trapAfterSetjmp(cx); yield new long[0]; }
            case 23 -> { jump48(cx); yield new long[0]; }
            case 26 -> { cideep((int) a[0], cx); yield new long[0]; }
            default -> throw new IllegalArgumentException("function " + d + " is not compiled");
        };
    }

    private static long[] i(int v) {
        return new long[] {v};
    }

    static int rec(int n, AotContext cx) {
        cx.enter(4);
        int r = n == 0 ? 0 : 1 + rec(n - 1, cx);
        cx.leave();
        return r;
    }

    static int callInterp(int x, AotContext cx) {
        cx.enter(4);
        int r = (int) cx.call(INTERP, new long[] {x})[0] + 1;
        cx.leave();
        return r;
    }

    static int callHost(int x, AotContext cx) {
        cx.enter(2);
        int r = (int) cx.call(HOST, new long[] {x})[0];
        cx.leave();
        return r;
    }

    static int loop(int n, AotContext cx) {
        cx.enter(1);
        int i = 0;
        byte[] m = cx.memory();
        while (true) {
            cx.poll(10);
            m = cx.memory();
            if ((m[0] | m[1] | m[2] | m[3]) != 0) break;
            if (i == n) break;
            i++;
        }
        cx.leave();
        return i;
    }

    static int indirect(int i, int x, AotContext cx) {
        cx.enter(3);
        int d = cx.resolveIndirect(0, TYPE_I2I, i);
        int r = switch (d) {
            case 0 -> rec(x, cx); // the compiled functions of type $i2i
            case 2 -> callInterp(x, cx);
            case 3 -> callHost(x, cx);
            case 4 -> loop(x, cx);
            case 7 -> run(x, cx, false);
            case 12 -> run(x, cx, true);
            case -1 -> (int) cx.callIndirect(0, TYPE_I2I, i, new long[] {x})[0];
            default -> throw new IllegalStateException("resolveIndirect gave " + d);
        };
        cx.leave();
        return r;
    }

    static void deep(int n, AotContext cx) {
        cx.enter(8);
        cx.setGlobal(0, (int) cx.global(0) + 1);
        if (n == 0) cx.call(LONGJMP, new long[] {16, 42});
        else deep(n - 1, cx);
        cx.leave();
    }

    /** run (d7, {@code interpretedDeep} false) and run2 (d12): a setjmp site whose frame saves x, r and 5*x. */
    static int run(int x, AotContext cx, boolean interpretedDeep) {
        cx.enter(6);
        AotFrame frame = cx.openFrame();
        AotResume resume = null;
        while (true) {
            try {
                int r, tmp, got;
                if (resume == null) {
                    r = 0;
                    tmp = x * 5;
                    got = (int) cx.callReturnsTwice(SETJMP, new long[] {16}, frame, 0, new long[] {x, r, tmp})[0];
                } else {
                    x = (int) resume.saved()[0];
                    r = (int) resume.saved()[1];
                    tmp = (int) resume.saved()[2];
                    got = (int) resume.results()[0];
                }
                r = tmp + got;
                if (r == x * 5) {
                    if (interpretedDeep) cx.call(IDEEP, new long[] {1000});
                    else deep(1000, cx);
                    throw new Trap(TrapKind.UNREACHABLE);
                }
                frame.close();
                cx.leave();
                return r;
            } catch (RuntimeException e) {
                resume = frame.resumeFor(e);
                if (resume == null) {
                    frame.close();
                    throw e;
                }
            }
        }
    }

    static void setsJmpAndReturns(AotContext cx) {
        cx.enter(3);
        AotFrame frame = cx.openFrame();
        try {
            cx.callReturnsTwice(SETJMP, new long[] {32}, frame, 0, new long[0]);
        } catch (RuntimeException e) {
            if (frame.resumeFor(e) == null) {
                frame.close();
                throw e;
            }
            // a second return: the rest of the body is empty
        }
        frame.close();
        cx.leave();
    }

    static void stale(AotContext cx) {
        cx.enter(4);
        setsJmpAndReturns(cx);
        cx.call(LONGJMP, new long[] {32, 1});
        cx.leave();
    }

    static int callFork(AotContext cx) {
        cx.enter(1);
        int r = (int) cx.call(FORK, new long[0])[0];
        cx.leave();
        return r;
    }

    static int callIFork(AotContext cx) {
        cx.enter(1);
        int r = (int) cx.call(IFORK, new long[0])[0];
        cx.leave();
        return r;
    }

    static int waitSignal(AotContext cx) {
        cx.enter(5);
        AotFrame frame = cx.openFrame();
        AotResume resume = null;
        while (true) {
            try {
                int r = resume == null
                        ? (int) cx.callReturnsTwice(SETJMP, new long[] {16}, frame, 0, new long[] {0})[0]
                        : (int) resume.results()[0];
                if (r != 0) {
                    frame.close();
                    cx.leave();
                    return r + 100;
                }
                loop(-1, cx);
                frame.close();
                cx.leave();
                return -1;
            } catch (RuntimeException e) {
                resume = frame.resumeFor(e);
                if (resume == null) {
                    frame.close();
                    throw e;
                }
            }
        }
    }

    static int crec(int a, int b, AotContext cx) {
        cx.enter(5);
        int r = a == 0 ? (int) cx.call(IREC0, new long[] {b})[0] : crec(a - 1, b, cx);
        cx.leave();
        return r;
    }

    static int seven(AotContext cx) {
        cx.enter(1);
        cx.leave();
        return 7;
    }

    static void trapAfterSetjmp(AotContext cx) {
        cx.enter(3);
        AotFrame frame = cx.openFrame();
        AotResume resume = null;
        while (true) {
            try {
                if (resume == null) cx.callReturnsTwice(SETJMP, new long[] {48}, frame, 0, new long[0]);
                throw new Trap(TrapKind.UNREACHABLE);
            } catch (RuntimeException e) {
                resume = frame.resumeFor(e);
                if (resume == null) {
                    frame.close();
                    throw e;
                }
            }
        }
    }

    static void cideep(int n, AotContext cx) {
        cx.enter(2);
        cx.call(IDEEP, new long[] {n});
        cx.leave();
    }

    static void jump48(AotContext cx) {
        cx.enter(2);
        cx.call(LONGJMP, new long[] {48, 1});
        cx.leave();
    }
}
