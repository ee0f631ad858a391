package dev.nojit.aot;

import dev.nojit.engine.CompiledModule;
import dev.nojit.engine.EngineConfig;
import dev.nojit.engine.ExportSpec;
import dev.nojit.engine.ExternKind;
import dev.nojit.engine.FuncType;
import dev.nojit.engine.Global;
import dev.nojit.engine.ImportSpec;
import dev.nojit.engine.Imports;
import dev.nojit.engine.Instance;
import dev.nojit.engine.InvalidModuleException;
import dev.nojit.engine.LinkException;
import dev.nojit.engine.Machine;
import dev.nojit.engine.Memory;
import dev.nojit.engine.ModuleImage;
import dev.nojit.engine.Store;
import dev.nojit.engine.Trap;
import dev.nojit.engine.TrapKind;
import dev.nojit.engine.ValType;
import dev.nojit.engine.difffuzz.DifferentialRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs one module on the interpreter and in AOT mode the way binaryen's fuzz shell does (every import logs its
 * arguments, every exported function is called in export order with zero arguments) and compares everything:
 * the import log, each call's raw results or trap message, exported globals and the exported memory, byte for
 * byte. Both sides are nojit, so almost nothing is excused: a call that ran out of fuel, hit the call depth
 * limit or the time limit on either side (fuel is charged at different points) stops the comparison, and NaNs
 * compare equal whatever their payloads (which WebAssembly leaves nondeterministic, and which the JVM's JIT
 * may change by commuting an addition of two NaNs in the shared Numerics code).
 */
final class AotDifferential {
    enum Verdict { AGREE, MISMATCH, SKIPPED_BUDGET, REFUSED }

    record Outcome(Verdict verdict, int callsCompared, String detail) {}

    private static final long FUEL_PER_CALL = 50_000_000L;
    private static final long SECONDS_PER_CALL = 20;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aot-difffuzz-watchdog");
        t.setDaemon(true);
        return t;
    });

    private AotDifferential() {}

    static Outcome run(byte[] wasm) {
        return run(wasm, false);
    }

    /** {@code deopt}: the translation with deoptimization sites at every call (what forking modules get). */
    static Outcome run(byte[] wasm, boolean deopt) {
        return run(wasm, deopt, AotCompiler.SPLIT_ABOVE);
    }

    /** {@code splitAbove}: functions translated longer than this are split into regions where they can be (0: all). */
    static Outcome run(byte[] wasm, boolean deopt, int splitAbove) {
        ModuleImage image;
        CompiledModule compiled;
        try {
            image = ModuleImage.compile(wasm);
            compiled = TestLoader.load(AotCompiler.compile(wasm, Set.of(), deopt, splitAbove));
        } catch (InvalidModuleException e) {
            return new Outcome(Verdict.REFUSED, 0, e.getMessage());
        }
        List<String> interpLog = new ArrayList<>(), aotLog = new ArrayList<>();
        EngineConfig config = EngineConfig.defaults();
        Instance interp, aot;
        String interpStart, aotStart;
        interp = null;
        aot = null;
        try {
            interp = new Store(config).instantiate(image, imports(image, interpLog));
            interpStart = "ok";
        } catch (LinkException | Trap e) {
            interpStart = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        try {
            aot = new Store(config).instantiate(image, imports(image, aotLog), compiled);
            aotStart = "ok";
        } catch (LinkException | Trap e) {
            aotStart = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        if (!interpStart.equals(aotStart)) return new Outcome(Verdict.MISMATCH, 0, "instantiation: interpreter " + interpStart + ", aot " + aotStart);
        if (interp == null) return new Outcome(Verdict.REFUSED, 0, interpStart);
        int compared = 0;
        for (ExportSpec e : image.exports()) {
            if (e.kind() != ExternKind.FUNCTION) continue;
            FuncType type = image.functionType(e.index());
            long[] args = new long[type.params().size()];
            String a = call(interp, e.name(), type, args);
            String b = call(aot, e.name(), type, args);
            if (a == null || b == null) {
                return new Outcome(Verdict.SKIPPED_BUDGET, compared, e.name() + ": " + (a == null ? "interpreter" : "aot") + " ran out of budget");
            }
            interpLog.add(e.name() + " -> " + a);
            aotLog.add(e.name() + " -> " + b);
            if (!interpLog.equals(aotLog)) return new Outcome(Verdict.MISMATCH, compared, firstDifference(interpLog, aotLog));
            compared++;
        }
        for (ExportSpec e : image.exports()) {
            if (e.kind() == ExternKind.GLOBAL) {
                Global g1 = interp.exportedGlobal(e.name()), g2 = aot.exportedGlobal(e.name());
                if (g1.get() != g2.get()) {
                    return new Outcome(Verdict.MISMATCH, compared, "global " + e.name() + ": interpreter " + g1.get() + ", aot " + g2.get());
                }
            }
            if (e.kind() == ExternKind.MEMORY) {
                Memory m1 = interp.exportedMemory(e.name()), m2 = aot.exportedMemory(e.name());
                byte[] x = m1.read(0, (int) m1.byteSize()), y = m2.read(0, (int) m2.byteSize());
                if (!DifferentialRunner.equalUpToNaNPayloads(x, y)) {
                    return new Outcome(Verdict.MISMATCH, compared, "memory " + e.name() + " differs at byte " + Arrays.mismatch(x, y)
                            + " (interpreter " + x.length + " bytes, aot " + y.length + ")");
                }
            }
        }
        return new Outcome(Verdict.AGREE, compared, "");
    }

    /** Raw results, or the trap's kind and message; null when a budget (fuel, depth, time) ran out. */
    private static String call(Instance instance, String name, FuncType type, long[] args) {
        Machine m = new Machine(instance.store());
        m.setFuel(FUEL_PER_CALL);
        var watchdog = WATCHDOG.schedule((Runnable) m::interrupt, SECONDS_PER_CALL, TimeUnit.SECONDS);
        try {
            return values(type.results(), m.invoke(instance, name, args.clone()));
        } catch (Trap t) {
            if (t.kind() == TrapKind.OUT_OF_FUEL || t.kind() == TrapKind.CALL_STACK_EXHAUSTED || t.kind() == TrapKind.INTERRUPTED) return null;
            return "trap " + t.kind() + ": " + t.getMessage();
        } finally {
            watchdog.cancel(false);
        }
    }

    private static Imports imports(ModuleImage image, List<String> log) {
        Imports.Builder b = Imports.builder();
        for (ImportSpec i : image.imports()) {
            if (i.kind() != ExternKind.FUNCTION) continue;
            FuncType t = i.funcType();
            b.function(i.module(), i.name(), t, (call, args) -> {
                log.add(i.name() + values(t.params(), args));
                return new long[t.results().size()];
            });
        }
        return b.build();
    }

    /** Values as text by type, any NaN as "nan" (DifferentialRunner's notation). */
    private static String values(List<ValType> types, long[] values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < types.size(); i++) {
            if (i > 0) b.append(", ");
            b.append(DifferentialRunner.value(types.get(i), values == null || i >= values.length ? 0 : values[i]));
        }
        return b.append(']').toString();
    }

    private static String firstDifference(List<String> a, List<String> b) {
        int i = 0;
        while (i < a.size() && i < b.size() && a.get(i).equals(b.get(i))) i++;
        return "event " + i + ": interpreter " + (i < a.size() ? a.get(i) : "(nothing)") + " vs aot " + (i < b.size() ? b.get(i) : "(nothing)");
    }
}
