package dev.nojit.engine.difffuzz;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionType;
import dev.nojit.engine.EngineConfig;
import dev.nojit.engine.ExportSpec;
import dev.nojit.engine.ExternKind;
import dev.nojit.engine.FuncType;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one module on the nojit engine and on Chicory's interpreter (the oracle) the way binaryen's fuzz shell
 * does: every host import logs its arguments, every exported function is called in export order with zero
 * arguments, and after the calls the exported memory is compared. Floats compare by bits except that any NaN
 * equals any NaN (NaN payloads are nondeterministic in WebAssembly). Traps compare as "trapped", not by message.
 */
public final class DifferentialRunner {
    /** What happened with one module. */
    enum Verdict { AGREE, MISMATCH, SKIPPED_BUDGET, SKIPPED_ORACLE }

    record Outcome(Verdict verdict, int callsCompared, String detail) {}

    private static final long FUEL_PER_CALL = 200_000_000L;
    private static final String UNALIGNED = "trap (atomic address)";
    private static final String WRAPPED = "trap (address past 2^32)";
    private static final String ORACLE_FAILURE = "Chicory failed internally: ";
    private static final long ORACLE_SECONDS = 30;
    private static final ExecutorService ORACLE = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(null, r, "chicory-oracle", 512L << 20); // Chicory recurses on the Java stack
        t.setDaemon(true);
        return t;
    });

    private static final java.util.concurrent.ScheduledExecutorService WATCHDOG =
            Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "nojit-watchdog");
                t.setDaemon(true);
                return t;
            });

    private DifferentialRunner() {}

    static Outcome run(byte[] wasm) {
        WasmModule parsed;
        try {
            parsed = Parser.parse(wasm);
        } catch (RuntimeException e) {
            return new Outcome(Verdict.SKIPPED_ORACLE, 0, "Chicory cannot parse: " + e);
        }
        String deviation = OracleDeviations.find(parsed);
        if (deviation != null) return new Outcome(Verdict.SKIPPED_ORACLE, 0, deviation);
        ModuleImage image;
        try {
            image = ModuleImage.compile(wasm);
        } catch (InvalidModuleException e) {
            boolean beyondScope = e.getMessage().contains("does not implement");
            return new Outcome(beyondScope ? Verdict.SKIPPED_ORACLE : Verdict.MISMATCH, 0, "nojit refused: " + e.getMessage());
        }

        List<String> nojitLog = new ArrayList<>();
        List<String> oracleLog = new ArrayList<>();
        Instance nojit;
        com.dylibso.chicory.runtime.Instance oracle;
        try {
            oracle = oracleInstance(parsed, image, oracleLog);
        } catch (RuntimeException | StackOverflowError e) {
            return new Outcome(Verdict.SKIPPED_ORACLE, 0, "Chicory cannot instantiate: " + e);
        }
        try {
            nojit = new Store(EngineConfig.defaults()).instantiate(image, nojitImports(image, nojitLog));
        } catch (LinkException | Trap e) {
            return new Outcome(Verdict.MISMATCH, 0, "nojit cannot instantiate what Chicory did: " + e.getMessage());
        }

        int compared = 0;
        for (ExportSpec e : image.exports()) {
            if (e.kind() != ExternKind.FUNCTION) continue;
            FuncType type = image.functionType(e.index());
            long[] args = new long[type.params().size()];
            String mine = callNojit(nojit, e.name(), type, args);
            String theirs = callOracle(oracle, e.name(), type, args);
            if (mine == null || theirs == null) {
                return new Outcome(Verdict.SKIPPED_BUDGET, compared, e.name() + ": " + (mine == null ? "nojit" : "Chicory") + " ran out of budget");
            }
            if (theirs.startsWith(ORACLE_FAILURE)) {
                return new Outcome(Verdict.SKIPPED_ORACLE, compared, e.name() + ": " + theirs);
            }
            if (mine.equals(WRAPPED) && !theirs.equals("trap")) {
                // Chicory 1.7.5 wraps a narrow store's address + offset at 2^32 (e.g. i32.store8 offset=11 at
                // address 0xFFFFFFFF writes byte 10) where the specification traps; nothing after is comparable.
                return new Outcome(Verdict.SKIPPED_ORACLE, compared, e.name() + ": Chicory wraps an effective address past 2^32");
            }
            if (mine.equals(WRAPPED)) mine = "trap";
            if (mine.equals(UNALIGNED)) {
                // Chicory 1.7.5 checks neither bounds nor alignment of memory.atomic.notify, nor the alignment of
                // every other atomic access, where the threads proposal requires a trap: Chicory then runs on, or
                // traps later, with different side effects, so nothing from this call on is comparable.
                return new Outcome(Verdict.SKIPPED_ORACLE, compared, e.name() + ": Chicory skips an atomic address check");
            }
            nojitLog.add(e.name() + " -> " + mine);
            oracleLog.add(e.name() + " -> " + theirs);
            if (!nojitLog.equals(oracleLog)) {
                return new Outcome(Verdict.MISMATCH, compared, firstDifference(nojitLog, oracleLog));
            }
            compared++;
        }
        Memory memory = nojit.exportedMemory("memory");
        if (memory != null) {
            byte[] mine = memory.read(0, (int) memory.byteSize());
            com.dylibso.chicory.runtime.Memory theirs = oracle.memory();
            byte[] other = theirs.readBytes(0, theirs.pages() * Memory.PAGE_SIZE);
            if (!equalUpToNaNPayloads(mine, other)) {
                return new Outcome(Verdict.MISMATCH, compared, "final memory differs at byte " + Arrays.mismatch(mine, other)
                        + " (nojit " + mine.length + " bytes, Chicory " + other.length + ")");
            }
        }
        return new Outcome(Verdict.AGREE, compared, "");
    }

    /** The call's results as text, "trap", or null when the budget ran out or the stack bound was hit. */
    private static String callNojit(Instance instance, String name, FuncType type, long[] args) {
        Machine m = new Machine(instance.store());
        m.setFuel(FUEL_PER_CALL);
        // fuel bounds computation; a wait on shared memory that nobody notifies needs a clock
        var watchdog = WATCHDOG.schedule((Runnable) m::interrupt, ORACLE_SECONDS, TimeUnit.SECONDS);
        try {
            return results(type.results(), m.invoke(instance, name, args));
        } catch (Trap t) {
            if (t.kind() == TrapKind.OUT_OF_FUEL || t.kind() == TrapKind.CALL_STACK_EXHAUSTED
                    || t.kind() == TrapKind.INTERRUPTED) return null;
            if (t.kind() == TrapKind.ENGINE_FAULT || t.kind() == TrapKind.HOST) return "host failure: " + t.getMessage();
            if (t.kind() == TrapKind.OUT_OF_BOUNDS_MEMORY && beyond32Bits(t.getMessage())) return WRAPPED;
            if (t.kind() == TrapKind.OUT_OF_BOUNDS_MEMORY && t.getMessage().endsWith("(atomic access)")) return UNALIGNED;
            return t.kind() == TrapKind.UNALIGNED_ATOMIC ? UNALIGNED : "trap";
        } finally {
            watchdog.cancel(false);
        }
    }

    /**
     * Memories agree when every differing byte lies in a float (4 bytes) or double (8 bytes), at any offset, that
     * is a NaN in both: a stored NaN's payload is nondeterministic (and Chicory returns min/max of a signalling
     * NaN unquieted where the specification asks for a quiet one).
     */
    public static boolean equalUpToNaNPayloads(byte[] a, byte[] b) {
        if (a.length != b.length) return false;
        int i = Arrays.mismatch(a, b);
        while (i >= 0) {
            int end = nanWindowEnd(a, b, i);
            if (end < 0) return false;
            int next = Arrays.mismatch(Arrays.copyOfRange(a, end, a.length), Arrays.copyOfRange(b, end, b.length));
            i = next < 0 ? -1 : end + next;
        }
        return true;
    }

    /** The end of a float or double window around {@code i} that is NaN in both arrays, or -1. */
    private static int nanWindowEnd(byte[] a, byte[] b, int i) {
        var f32 = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
        var f64 = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int start = Math.max(0, i - 7); start <= i; start++) {
            if (start + 8 <= a.length && Double.isNaN(Double.longBitsToDouble((long) f64.get(a, start)))
                    && Double.isNaN(Double.longBitsToDouble((long) f64.get(b, start)))) return start + 8;
        }
        for (int start = Math.max(0, i - 3); start <= i; start++) {
            if (start + 4 <= a.length && Float.isNaN(Float.intBitsToFloat((int) f32.get(a, start)))
                    && Float.isNaN(Float.intBitsToFloat((int) f32.get(b, start)))) return start + 4;
        }
        return -1;
    }

    /** Whether an out-of-bounds message names an effective address of 2^32 or more. */
    private static boolean beyond32Bits(String message) {
        int at = message.lastIndexOf(" at ");
        if (at < 0) return false;
        try {
            return Long.parseLong(message.substring(at + 4)) >= 1L << 32;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String callOracle(com.dylibso.chicory.runtime.Instance instance, String name, FuncType type, long[] args) {
        ExportFunction f = instance.export(name);
        Future<String> result = ORACLE.submit(() -> {
            try {
                return results(type.results(), f.apply(args));
            } catch (StackOverflowError e) {
                return null;
            } catch (com.dylibso.chicory.wasm.ChicoryException e) {
                return "trap";
            } catch (RuntimeException e) {
                return ORACLE_FAILURE + e; // a bug inside Chicory (NullPointerException and the like), not a trap
            }
        });
        try {
            return result.get(ORACLE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return "trap";
        }
    }

    private static String results(List<ValType> types, long[] values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < types.size(); i++) {
            if (i > 0) b.append(", ");
            b.append(value(types.get(i), values == null || i >= values.length ? 0 : values[i]));
        }
        return b.append(']').toString();
    }

    public static String value(ValType type, long v) {
        return switch (type) {
            case I32 -> "i32:" + (int) v;
            case I64 -> "i64:" + v;
            case F32 -> Float.isNaN(Float.intBitsToFloat((int) v)) ? "f32:nan" : "f32:" + Integer.toHexString((int) v);
            case F64 -> Double.isNaN(Double.longBitsToDouble(v)) ? "f64:nan" : "f64:" + Long.toHexString(v);
            default -> type + ":" + v;
        };
    }

    private static String logLine(String name, List<ValType> params, long[] args) {
        StringBuilder b = new StringBuilder(name).append('(');
        for (int i = 0; i < params.size(); i++) {
            if (i > 0) b.append(", ");
            b.append(value(params.get(i), args[i]));
        }
        return b.append(')').toString();
    }

    private static Imports nojitImports(ModuleImage image, List<String> log) {
        Imports.Builder b = Imports.builder();
        for (ImportSpec i : image.imports()) {
            if (i.kind() != ExternKind.FUNCTION) continue;
            FuncType t = i.funcType();
            b.function(i.module(), i.name(), t, (call, args) -> {
                log.add(logLine(i.name(), t.params(), args));
                return new long[t.results().size()];
            });
        }
        return b.build();
    }

    private static com.dylibso.chicory.runtime.Instance oracleInstance(WasmModule parsed, ModuleImage image, List<String> log) {
        ImportValues.Builder b = ImportValues.builder();
        for (ImportSpec i : image.imports()) {
            if (i.kind() != ExternKind.FUNCTION) continue;
            FuncType t = i.funcType();
            FunctionType ct = FunctionType.of(chicory(t.params()), chicory(t.results()));
            b.addFunction(new HostFunction(i.module(), i.name(), ct, (inst, args) -> {
                log.add(logLine(i.name(), t.params(), args));
                return new long[t.results().size()];
            }));
        }
        return com.dylibso.chicory.runtime.Instance.builder(parsed).withImportValues(b.build()).build();
    }

    private static List<com.dylibso.chicory.wasm.types.ValType> chicory(List<ValType> types) {
        List<com.dylibso.chicory.wasm.types.ValType> out = new ArrayList<>();
        for (ValType t : types) {
            out.add(switch (t) {
                case I32 -> com.dylibso.chicory.wasm.types.ValType.I32;
                case I64 -> com.dylibso.chicory.wasm.types.ValType.I64;
                case F32 -> com.dylibso.chicory.wasm.types.ValType.F32;
                case F64 -> com.dylibso.chicory.wasm.types.ValType.F64;
                case FUNCREF -> com.dylibso.chicory.wasm.types.ValType.FuncRef;
                case EXTERNREF -> com.dylibso.chicory.wasm.types.ValType.ExternRef;
                case V128 -> com.dylibso.chicory.wasm.types.ValType.V128;
            });
        }
        return out;
    }

    private static String firstDifference(List<String> mine, List<String> theirs) {
        int i = 0;
        while (i < mine.size() && i < theirs.size() && mine.get(i).equals(theirs.get(i))) i++;
        return "event " + i + ": nojit " + (i < mine.size() ? mine.get(i) : "(nothing)") + " vs Chicory "
                + (i < theirs.size() ? theirs.get(i) : "(nothing)");
    }
}
