package dev.nojit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The AOT runtime: compiled code ({@link AotTestModule}, written as the translator generates it) run by the real
 * engine, mixed with interpreted functions, host functions, traps, fuel, interrupts and setjmp/longjmp.
 */
class AotRuntimeTest {
    private static final ModuleImage IMAGE = Wat.image(AotTestModule.WAT);
    private static final FuncType SETJMP = FuncType.of(List.of(ValType.I32), List.of(ValType.I32));
    private static final FuncType LONGJMP = FuncType.of(List.of(ValType.I32, ValType.I32), List.of());

    /** What the host functions saw. */
    private static final class Host {
        final Map<Long, ResumePoint> buffers = new HashMap<>();
        final AtomicReference<Instance> caller = new AtomicReference<>();
        final AtomicReference<String> forkRefusal = new AtomicReference<>();

        Imports imports() {
            return Imports.builder()
                    .function("env", "host", Wat.I32_TO_I32, (call, args) -> {
                        caller.set(call.instance());
                        return new long[] {args[0] + 1000};
                    })
                    .function("env", "setjmp", SETJMP, (call, args) -> {
                        buffers.put(args[0], call.resumePoint());
                        return new long[] {0};
                    })
                    .function("env", "longjmp", LONGJMP, (call, args) -> {
                        throw call.unwind(buffers.get(args[0]), args[1]);
                    })
                    .function("env", "fork", Wat.VOID_TO_I32, (call, args) -> {
                        try {
                            call.snapshot();
                            return new long[] {1};
                        } catch (IllegalStateException e) {
                            forkRefusal.set(e.getMessage());
                            return new long[] {-38};
                        }
                    })
                    .build();
        }
    }

    private static Instance aot(Host host, EngineConfig config) throws LinkException {
        return new Store(config).instantiate(IMAGE, host.imports(), new AotTestModule());
    }

    private static Instance interpreted(Host host, EngineConfig config) throws LinkException {
        return new Store(config).instantiate(IMAGE, host.imports(), null);
    }

    private static Trap trap(Runnable r) {
        try {
            r.run();
        } catch (Trap t) {
            return t;
        }
        throw new AssertionError("no trap");
    }

    @Test
    void compiledCodeComputesWhatTheInterpreterComputes() throws Exception {
        Object[][] calls = {
                {"rec", new long[] {10}}, {"interp", new long[] {7}}, {"callInterp", new long[] {5}},
                {"callHost", new long[] {3}}, {"loop", new long[] {20}}, {"indirect", new long[] {0, 5}},
                {"indirect", new long[] {1, 5}}, {"indirect", new long[] {2, 5}}, {"run", new long[] {3}},
                {"run2", new long[] {4}}, {"irun", new long[] {5}}, {"irec", new long[] {5, 6}},
                {"crec", new long[] {6, 5}}, {"iindirect", new long[] {0, 9}}, {"iloop", new long[] {12}},
                {"irun2", new long[] {6}}};
        Instance a = aot(new Host(), EngineConfig.defaults());
        Instance i = interpreted(new Host(), EngineConfig.defaults());
        for (Object[] c : calls) {
            long[] want = i.invoke((String) c[0], (long[]) c[1]);
            assertThat(a.invoke((String) c[0], (long[]) c[1])).as((String) c[0]).isEqualTo(want);
        }
        assertThat(a.exportedGlobal("calls").get()).isEqualTo(i.exportedGlobal("calls").get()).isEqualTo(4004);
        assertThat(a.invoke("run", 3)[0]).isEqualTo(15 + 42);
    }

    @Test
    void compiledCodeChargesTheMachinesFuelAndTrapsWhenItRunsOut() throws Exception {
        Instance inst = aot(new Host(), EngineConfig.defaults());
        Machine m = new Machine(inst.store());
        m.setFuel(1000);
        assertThat(m.invoke(inst, "rec", 10)[0]).isEqualTo(10);
        assertThat(m.fuel()).isEqualTo(1000 - 11 * 4); // the hand-written rec charges 4 per frame: it ran compiled
        m.setFuel(100);
        Trap t = trap(() -> m.invoke(inst, "loop", 1_000_000));
        assertThat(t.kind()).isEqualTo(TrapKind.OUT_OF_FUEL);
        assertThat(m.fuel()).isZero();
        // the interpreter calls the compiled loop: the fuel both spend is one
        m.setFuel(100);
        assertThat(trap(() -> m.invoke(inst, "iloop", 1_000_000)).kind()).isEqualTo(TrapKind.OUT_OF_FUEL);
        assertThat(m.fuel()).isZero();
        m.setFuel(-1);
        assertThat(m.invoke(inst, "loop", 1000)[0]).isEqualTo(1000);
    }

    @Test
    void compiledAndInterpretedFramesCountTogetherAgainstTheDepthLimit() throws Exception {
        EngineConfig config = EngineConfig.defaults().withMaxCallDepth(100);
        for (Instance inst : new Instance[] {aot(new Host(), config), interpreted(new Host(), config)}) {
            Machine m = new Machine(inst.store());
            assertThat(m.invoke(inst, "rec", 99)[0]).isEqualTo(99); // 100 frames
            assertThat(trap(() -> m.invoke(inst, "rec", 100)).kind()).isEqualTo(TrapKind.CALL_STACK_EXHAUSTED);
            // 51 interpreted frames, then 49 compiled ones (and the other way round)
            assertThat(m.invoke(inst, "irec", 50, 48)[0]).isEqualTo(48);
            assertThat(trap(() -> m.invoke(inst, "irec", 50, 49)).kind()).isEqualTo(TrapKind.CALL_STACK_EXHAUSTED);
            assertThat(m.invoke(inst, "crec", 50, 48)[0]).isEqualTo(48);
            assertThat(trap(() -> m.invoke(inst, "crec", 50, 49)).kind()).isEqualTo(TrapKind.CALL_STACK_EXHAUSTED);
            // a trap leaves no frame counted behind
            assertThat(m.aotDepth).isZero();
            assertThat(m.invoke(inst, "rec", 99)[0]).isEqualTo(99);
        }
    }

    @Test
    void runningOutOfJavaStackInCompiledCodeIsACallStackExhaustedTrap() throws Exception {
        Instance inst = aot(new Host(), EngineConfig.defaults().withMaxCallDepth(500_000_000));
        Machine m = new Machine(inst.store());
        AtomicReference<Object> outcome = new AtomicReference<>();
        // A small thread stack: the JVM's stack ends long before the depth limit.
        Thread t = new Thread(null, () -> {
            Trap direct = trap(() -> m.invoke(inst, "rec", 400_000_000));
            Trap throughInterpreter = trap(() -> m.invoke(inst, "interp", 400_000_000));
            outcome.set(List.of(direct.kind(), throughInterpreter.kind(), m.aotDepth, m.invoke(inst, "rec", 1000)[0]));
        }, "aot-small-stack", 512 * 1024);
        t.start();
        t.join(60_000);
        assertThat(outcome.get()).isEqualTo(List.of(TrapKind.CALL_STACK_EXHAUSTED, TrapKind.CALL_STACK_EXHAUSTED, 0, 1000L));
    }

    @Test
    void anInterruptStopsACompiledLoop() throws Exception {
        Instance inst = aot(new Host(), EngineConfig.defaults());
        Machine m = new Machine(inst.store());
        CompletableFuture<long[]> run = CompletableFuture.supplyAsync(() -> m.invoke(inst, "loop", -1));
        Thread.sleep(100);
        m.interrupt();
        assertThatThrownBy(() -> run.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(Trap.class).cause().hasMessage("interrupted");
    }

    @Test
    void aSafepointHandlerRunsInCompiledCodeWithTheCompiledInstance() throws Exception {
        Instance inst = aot(new Host(), EngineConfig.defaults());
        Machine m = new Machine(inst.store());
        AtomicReference<Instance> seen = new AtomicReference<>();
        CompletableFuture<long[]> run = CompletableFuture.supplyAsync(() -> m.invoke(inst, "loop", -1));
        Thread.sleep(100);
        m.interrupt(call -> {
            seen.set(call.instance());
            call.memory().writeInt(0, 1); // the loop stops at its next header: memory reloaded after poll
        });
        assertThat(run.get(10, TimeUnit.SECONDS)[0]).isPositive();
        assertThat(seen.get()).isSameAs(inst);
    }

    @Test
    void aSignalHandlerThatLongjmpsResumesAtTheCompiledSetjmp() throws Exception {
        Host host = new Host();
        Instance inst = aot(host, EngineConfig.defaults());
        Machine m = new Machine(inst.store());
        // the guest's handler (interpreted) calls longjmp, as the vkernel delivers a signal
        CompletableFuture<long[]> run = CompletableFuture.supplyAsync(() -> m.invoke(inst, "waitSignal"));
        Thread.sleep(100);
        m.interrupt(call -> call.machine().invoke(inst.tableFunction(4)));
        assertThat(run.get(10, TimeUnit.SECONDS)[0]).isEqualTo(107);
        // the handler itself unwinds
        run = CompletableFuture.supplyAsync(() -> m.invoke(inst, "waitSignal"));
        Thread.sleep(100);
        m.interrupt(call -> {
            throw call.unwind(host.buffers.get(16L), 9);
        });
        assertThat(run.get(10, TimeUnit.SECONDS)[0]).isEqualTo(109);
        assertThat(m.aotDepth).isZero();
        assertThat(m.topFrame).isNull();
    }

    @Test
    void hostFunctionsCalledByCompiledCodeSeeTheCompiledInstance() throws Exception {
        Host host = new Host();
        Instance inst = aot(host, EngineConfig.defaults());
        assertThat(inst.invoke("callHost", 5)[0]).isEqualTo(1005);
        assertThat(host.caller.get()).isSameAs(inst);
        host.caller.set(null);
        assertThat(inst.invoke("indirect", 2, 6)[0]).isEqualTo(1006); // through callIndirect
        assertThat(host.caller.get()).isSameAs(inst);
    }

    @Test
    void compiledCodeCallsInterpretedCodeWhichCallsCompiledCodeAgain() throws Exception {
        Instance inst = aot(new Host(), EngineConfig.defaults());
        assertThat(inst.invoke("callInterp", 6)[0]).isEqualTo(13); // compiled -> interpreted -> compiled rec
        assertThat(inst.invoke("crec", 3, 4)[0]).isEqualTo(4); // compiled frames, then interpreted irec0
    }

    @Test
    void callIndirectResolvesCompiledTargetsAndTrapsAsTheInterpreterDoes() throws Exception {
        Instance inst = aot(new Host(), EngineConfig.defaults());
        AotContext cx = new Machine(inst.store()).aotContext(inst);
        int i2i = AotTestModule.TYPE_I2I;
        assertThat(cx.resolveIndirect(0, i2i, 0)).isEqualTo(0); // rec, compiled: called directly
        assertThat(cx.resolveIndirect(0, i2i, 1)).isEqualTo(-1); // interpreted
        assertThat(cx.resolveIndirect(0, i2i, 2)).isEqualTo(-1); // a host function
        assertThat(cx.callIndirect(0, i2i, 1, new long[] {5})).containsExactly(10);
        assertThat(trap(() -> cx.resolveIndirect(0, i2i, 3)).getMessage())
                .isEqualTo("indirect call type mismatch: the call expects [I32] -> [I32], element 3 is [] -> [I32] (#23)");
        assertThat(trap(() -> cx.resolveIndirect(0, i2i, 5)).kind()).isEqualTo(TrapKind.UNINITIALIZED_ELEMENT);
        assertThat(trap(() -> cx.resolveIndirect(0, i2i, 8)).kind()).isEqualTo(TrapKind.UNDEFINED_ELEMENT);
        assertThat(trap(() -> cx.resolveIndirect(0, i2i, -1)).kind()).isEqualTo(TrapKind.UNDEFINED_ELEMENT);
        assertThat(trap(() -> cx.callIndirect(0, i2i, 3, new long[] {5})).kind()).isEqualTo(TrapKind.INDIRECT_CALL_TYPE_MISMATCH);
        Instance interp = interpreted(new Host(), EngineConfig.defaults());
        for (long element : new long[] {3, 5, 8}) {
            assertThat(trap(() -> inst.invoke("indirect", element, 1)).getMessage())
                    .isEqualTo(trap(() -> interp.invoke("indirect", element, 1)).getMessage());
        }
    }

    @Test
    void lenientCallIndirectAdaptsArgumentsAndResultsLikeTheInterpreter() throws Exception {
        EngineConfig lenient = EngineConfig.defaults().withLenientCallIndirect(true);
        Instance inst = aot(new Host(), lenient);
        AotContext cx = new Machine(inst.store()).aotContext(inst);
        assertThat(cx.resolveIndirect(0, AotTestModule.TYPE_I2I, 3)).isEqualTo(-1); // a mismatch goes the slow way
        assertThat(cx.callIndirect(0, AotTestModule.TYPE_I2I, 3, new long[] {5})).containsExactly(7);
        assertThat(inst.invoke("indirect", 3, 5)).isEqualTo(interpreted(new Host(), lenient).invoke("indirect", 3, 5));
        // the interpreter's lenient call_indirect of a compiled function adapts the same way
        assertThat(inst.invoke("iindirect", 3, 5)).containsExactly(7);
        assertThat(inst.invoke("iindirect", 0, 5)).containsExactly(5);
    }

    @Test
    void longjmpReturnsAgainFromACompiledSetjmpThroughCompiledAndInterpretedFrames() throws Exception {
        Host host = new Host();
        Instance inst = aot(host, EngineConfig.defaults().withMaxCallDepth(1103));
        Machine m = new Machine(inst.store());
        for (int round = 0; round < 3; round++) { // each round needs the whole depth: nothing may stay counted
            assertThat(m.invoke(inst, "run", 3)[0]).isEqualTo(15 + 42); // compiled setjmp, compiled longjmp
            assertThat(m.invoke(inst, "run2", 4)[0]).isEqualTo(20 + 42); // compiled setjmp, interpreted longjmp
            assertThat(m.invoke(inst, "irun", 5)[0]).isEqualTo(25 + 42); // interpreted setjmp, compiled longjmp
            // interpreted setjmp; the longjmp from a nested interpreter run under a compiled frame
            assertThat(m.invoke(inst, "irun2", 6)[0]).isEqualTo(30 + 42);
            assertThat(m.aotDepth).isZero();
            assertThat(m.topFrame).isNull();
        }
        assertThat(inst.exportedGlobal("calls").get()).isEqualTo(12 * 1001);
    }

    @Test
    void unwindingToACompiledFrameThatEndedTraps() throws Exception {
        Host host = new Host();
        Instance inst = aot(host, EngineConfig.defaults());
        Machine m = new Machine(inst.store());
        assertThat(trap(() -> m.invoke(inst, "stale")).getMessage()).isEqualTo("unwind target is no longer on the stack");
        assertThat(host.buffers.get(32L).live()).isFalse();
        // a frame an exception left is dead too
        assertThat(trap(() -> m.invoke(inst, "trapAfterSetjmp")).kind()).isEqualTo(TrapKind.UNREACHABLE);
        assertThat(host.buffers.get(48L).live()).isFalse();
        assertThat(trap(() -> m.invoke(inst, "jump48")).getMessage()).isEqualTo("unwind target is no longer on the stack");
    }

    @Test
    void aResumePointNeedsAReturnsTwiceSiteInCompiledCode() throws Exception {
        AtomicReference<String> refusal = new AtomicReference<>();
        Host host = new Host();
        Imports imports = Imports.builder()
                .function("env", "host", Wat.I32_TO_I32, (call, args) -> {
                    try {
                        call.resumePoint();
                    } catch (IllegalStateException e) {
                        refusal.set(e.getMessage());
                    }
                    return new long[] {0};
                })
                .function("env", "setjmp", SETJMP, (call, args) -> new long[] {0})
                .function("env", "longjmp", LONGJMP, (call, args) -> null)
                .function("env", "fork", Wat.VOID_TO_I32, (call, args) -> new long[] {0})
                .build();
        Instance inst = new Store(EngineConfig.defaults()).instantiate(IMAGE, imports, new AotTestModule());
        inst.invoke("callHost", 1);
        assertThat(refusal.get()).isEqualTo("compiled code made this host call at a site not translated as returns-twice");
    }

    @Test
    void forkWithCompiledFramesOnTheStackIsRefused() throws Exception {
        Host host = new Host();
        Instance inst = aot(host, EngineConfig.defaults());
        assertThat(inst.invoke("callFork")[0]).isEqualTo(-38);
        assertThat(host.forkRefusal.get()).contains("compiled (AOT) frames");
        host.forkRefusal.set(null);
        assertThat(inst.invoke("callIFork")[0]).isEqualTo(-38); // the fork call is interpreted, its caller compiled
        assertThat(host.forkRefusal.get()).contains("compiled (AOT) frames");
        Host plain = new Host();
        assertThat(interpreted(plain, EngineConfig.defaults()).invoke("callFork")[0]).isEqualTo(1);
        assertThat(plain.forkRefusal.get()).isNull();
    }

    @Test
    void compiledCodeThatDoesNotMatchTheModuleIsRefusedAtInstantiation() {
        CompiledModule wrongType = new Delegate(new AotTestModule()) {
            @Override
            public String functionType(int definedIndex) {
                return definedIndex == 5 ? "[I32] -> [I32]" : super.functionType(definedIndex);
            }
        };
        assertThatThrownBy(() -> new Store(EngineConfig.defaults()).instantiate(IMAGE, new Host().imports(), wrongType))
                .isInstanceOf(LinkException.class)
                .hasMessage("the compiled code of function 9 has type [I32] -> [I32], the module's is [I32, I32] -> [I32]");
        CompiledModule fewer = new Delegate(new AotTestModule()) {
            @Override
            public int definedFunctions() {
                return 3;
            }
        };
        assertThatThrownBy(() -> new Store(EngineConfig.defaults()).instantiate(IMAGE, new Host().imports(), fewer))
                .isInstanceOf(LinkException.class)
                .hasMessage("the compiled code defines 3 functions, the module 28");
    }

    @Test
    void javaExceptionsOutOfCompiledCodeAndHostFunctionsAreTraps() throws Exception {
        CompiledModule broken = new Delegate(new AotTestModule()) {
            @Override
            public long[] invoke(int definedIndex, long[] args, AotContext cx) {
                if (definedIndex == 0) throw new ArrayIndexOutOfBoundsException("a translator bug");
                return super.invoke(definedIndex, args, cx);
            }
        };
        Instance inst = new Store(EngineConfig.defaults()).instantiate(IMAGE, new Host().imports(), broken);
        for (String export : new String[] {"rec", "interp", "callInterp"}) { // directly, from the interpreter, nested
            Trap t = trap(() -> inst.invoke(export, 3));
            assertThat(t.kind()).as(export).isEqualTo(TrapKind.ENGINE_FAULT);
            assertThat(t.getMessage()).isEqualTo("engine fault: java.lang.ArrayIndexOutOfBoundsException: a translator bug");
        }
        Imports failing = Imports.builder()
                .function("env", "host", Wat.I32_TO_I32, (call, args) -> {
                    throw new IllegalStateException("boom");
                })
                .function("env", "setjmp", SETJMP, (call, args) -> new long[] {0})
                .function("env", "longjmp", LONGJMP, (call, args) -> null)
                .function("env", "fork", Wat.VOID_TO_I32, (call, args) -> new long[] {0})
                .build();
        Instance compiled = new Store(EngineConfig.defaults()).instantiate(IMAGE, failing, new AotTestModule());
        Trap t = trap(() -> compiled.invoke("callHost", 1));
        assertThat(t.kind()).isEqualTo(TrapKind.HOST);
        Instance interpreted = new Store(EngineConfig.defaults()).instantiate(IMAGE, failing);
        assertThat(t.getMessage()).isEqualTo(trap(() -> interpreted.invoke("callHost", 1)).getMessage());
        assertThat(t.getCause()).hasMessage("boom");
    }

    private static class Delegate implements CompiledModule {
        private final CompiledModule inner;

        Delegate(CompiledModule inner) {
            this.inner = inner;
        }

        @Override
        public int definedFunctions() {
            return inner.definedFunctions();
        }

        @Override
        public String functionType(int definedIndex) {
            return inner.functionType(definedIndex);
        }

        @Override
        public boolean compiled(int definedIndex) {
            return inner.compiled(definedIndex);
        }

        @Override
        public long[] invoke(int definedIndex, long[] args, AotContext cx) {
            return inner.invoke(definedIndex, args, cx);
        }
    }

    @Test
    void memoryTableAndGlobalOperationsBehaveAsTheInterpretersInstructions() throws Exception {
        Instance inst = aot(new Host(), EngineConfig.defaults().withMaxMemoryPages(3));
        AotContext cx = new Machine(inst.store()).aotContext(inst);
        byte[] before = cx.memory();
        assertThat(cx.memorySize()).isEqualTo(1);
        assertThat(cx.memoryGrow(1)).isEqualTo(1);
        assertThat(cx.memoryGrow(5)).isEqualTo(-1); // past the engine limit
        assertThat(cx.memory()).isNotSameAs(before).hasSize(2 * Memory.PAGE_SIZE);
        cx.memoryInit(0, 100, 0, 5);
        assertThat(new String(inst.memory().read(100, 5))).isEqualTo("hello");
        cx.memoryCopy(200, 101, 4);
        assertThat(new String(inst.memory().read(200, 4))).isEqualTo("ello");
        cx.memoryFill(300, 'x', 3);
        assertThat(new String(inst.memory().read(300, 3))).isEqualTo("xxx");
        assertThat(trap(() -> cx.memoryFill(2 * Memory.PAGE_SIZE - 1, 0, 2)).kind()).isEqualTo(TrapKind.OUT_OF_BOUNDS_MEMORY);
        assertThat(trap(() -> cx.memoryCopy(-1, 0, 1)).kind()).isEqualTo(TrapKind.OUT_OF_BOUNDS_MEMORY); // -1 is 4 GiB - 1
        cx.dataDrop(0);
        cx.memoryInit(0, 100, 0, 0); // a dropped segment is empty
        assertThat(trap(() -> cx.memoryInit(0, 100, 0, 1)).kind()).isEqualTo(TrapKind.OUT_OF_BOUNDS_MEMORY);

        assertThat(cx.tableSize(0)).isEqualTo(8);
        assertThat(cx.tableGet(0, 5)).isEqualTo(Values.NULL_REF);
        long seven = cx.refFunc(23);
        assertThat(cx.tableGet(0, 3)).isEqualTo(seven);
        cx.tableSet(0, 5, seven);
        assertThat(cx.resolveIndirect(0, AotTestModule.TYPE_I2I, 0)).isZero();
        assertThat(cx.tableGrow(0, Values.NULL_REF, 2)).isEqualTo(8);
        cx.tableFill(0, 8, seven, 2);
        assertThat(cx.tableGet(0, 9)).isEqualTo(seven);
        cx.tableCopy(0, 0, 6, 0, 2);
        assertThat(cx.tableGet(0, 7)).isEqualTo(cx.tableGet(0, 1));
        cx.tableInit(0, 1, 0, 0, 2); // the passive segment: $seven $rec
        assertThat(cx.tableGet(0, 0)).isEqualTo(seven);
        assertThat(cx.tableGet(0, 1)).isEqualTo(cx.refFunc(4));
        cx.elemDrop(1);
        assertThat(trap(() -> cx.tableInit(0, 1, 0, 0, 1)).kind()).isEqualTo(TrapKind.OUT_OF_BOUNDS_TABLE);
        assertThat(trap(() -> cx.tableGet(0, 10)).kind()).isEqualTo(TrapKind.OUT_OF_BOUNDS_TABLE);
        assertThat(trap(() -> cx.tableSet(0, -1, seven)).kind()).isEqualTo(TrapKind.OUT_OF_BOUNDS_TABLE);
        assertThat(trap(() -> cx.tableFill(0, 9, seven, 2)).kind()).isEqualTo(TrapKind.OUT_OF_BOUNDS_TABLE);

        cx.setGlobal(0, -5);
        assertThat(cx.global(0)).isEqualTo(-5);
        assertThat(inst.exportedGlobal("calls").get()).isEqualTo(-5);

        // atomics on an unshared memory: notify wakes nobody, wait traps; alignment and bounds first
        assertThat(cx.atomicNotify(64, 1)).isZero();
        assertThat(trap(() -> cx.atomicWait(64, 0, 0, false)).kind()).isEqualTo(TrapKind.EXPECTED_SHARED_MEMORY);
        assertThat(trap(() -> cx.atomicNotify(66, 1)).kind()).isEqualTo(TrapKind.UNALIGNED_ATOMIC);
        assertThat(trap(() -> cx.atomicWait(-8, 0, 0, true)).kind()).isEqualTo(TrapKind.OUT_OF_BOUNDS_MEMORY);
    }

    private static final String SHARED = """
            (module (memory (export "mem") 1 1 shared))
            """;

    @Test
    void atomicWaitInCompiledCodeWakesTimesOutAndTakesInterrupts() throws Exception {
        Instance inst = Wat.instance(SHARED);
        Machine m = new Machine(inst.store());
        AotContext cx = m.aotContext(inst);
        inst.memory().writeInt(64, 5);
        assertThat(cx.atomicWait(64, 4, -1, false)).isEqualTo(1); // not equal
        assertThat(cx.atomicWait(64, 5, 1_000_000, false)).isEqualTo(2); // timed out
        // a handler that returns lets the wait go on; notify ends it
        AtomicReference<Instance> seen = new AtomicReference<>();
        CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> cx.atomicWait(64, 5, -1, false));
        Thread.sleep(100);
        m.interrupt(call -> seen.set(call.instance()));
        Thread.sleep(100);
        assertThat(waiting).isNotDone();
        AotContext other = new Machine(inst.store()).aotContext(inst);
        assertThat(other.atomicNotify(64, 1)).isEqualTo(1);
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(seen.get()).isSameAs(inst);
        // a plain interrupt traps
        CompletableFuture<Integer> trapped = CompletableFuture.supplyAsync(() -> cx.atomicWait(64, 5, -1, true));
        Thread.sleep(100);
        m.interrupt();
        assertThatThrownBy(() -> trapped.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(Trap.class).cause().hasMessage("interrupted");
    }
}
