package dev.nojit.engine.spec;

import dev.nojit.engine.EngineConfig;
import dev.nojit.engine.FuncType;
import dev.nojit.engine.Global;
import dev.nojit.engine.Imports;
import dev.nojit.engine.Instance;
import dev.nojit.engine.InvalidModuleException;
import dev.nojit.engine.LinkException;
import dev.nojit.engine.Machine;
import dev.nojit.engine.Memory;
import dev.nojit.engine.ModuleImage;
import dev.nojit.engine.Store;
import dev.nojit.engine.Table;
import dev.nojit.engine.Trap;
import dev.nojit.engine.TrapKind;
import dev.nojit.engine.ValType;
import dev.nojit.engine.Values;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one script converted by wabt's {@code wast2json} (a JSON list of commands plus .wasm files) against
 * the engine and counts, per command, passed, failed and skipped. Text-format modules in assert_malformed /
 * assert_invalid are skipped (the engine takes binaries only). Every invocation has a time limit, enforced by
 * interrupting its machine, so an engine hang fails a command instead of the build.
 */
public final class SpecRunner {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spec-watchdog");
        t.setDaemon(true);
        return t;
    });

    /** Counts for one script, and the first failures' descriptions. */
    public record Result(String name, int passed, int failed, int skipped, List<String> failures) {}

    private final Path dir;
    private final Store store = new Store(EngineConfig.defaults().withMaxCallDepth(20_000));
    private final Map<String, Instance> named = new HashMap<>();
    private final Map<String, Instance> registered = new HashMap<>();
    private final Imports.Builder spectest;
    private Instance current;
    private int passed;
    private int failed;
    private int skipped;
    private final List<String> failures = new ArrayList<>();

    private SpecRunner(Path json) {
        this.dir = json.getParent();
        this.spectest = spectestImports();
    }

    public static Result run(Path json) throws IOException {
        SpecRunner r = new SpecRunner(json);
        JsonNode root = JSON.readTree(Files.readString(json));
        for (JsonNode command : root.get("commands")) r.command(command);
        String name = json.getFileName().toString().replaceFirst("\\.json$", "");
        return new Result(name, r.passed, r.failed, r.skipped, List.copyOf(r.failures));
    }

    private static Imports.Builder spectestImports() {
        Imports.Builder b = Imports.builder();
        b.function("spectest", "print", FuncType.of(List.of(), List.of()), (c, a) -> null);
        b.function("spectest", "print_i32", FuncType.of(List.of(ValType.I32), List.of()), (c, a) -> null);
        b.function("spectest", "print_i64", FuncType.of(List.of(ValType.I64), List.of()), (c, a) -> null);
        b.function("spectest", "print_f32", FuncType.of(List.of(ValType.F32), List.of()), (c, a) -> null);
        b.function("spectest", "print_f64", FuncType.of(List.of(ValType.F64), List.of()), (c, a) -> null);
        b.function("spectest", "print_i32_f32", FuncType.of(List.of(ValType.I32, ValType.F32), List.of()), (c, a) -> null);
        b.function("spectest", "print_f64_f64", FuncType.of(List.of(ValType.F64, ValType.F64), List.of()), (c, a) -> null);
        b.global("spectest", "global_i32", new Global(ValType.I32, false, 666));
        b.global("spectest", "global_i64", new Global(ValType.I64, false, 666));
        b.global("spectest", "global_f32", new Global(ValType.F32, false, Values.f32(666.6f)));
        b.global("spectest", "global_f64", new Global(ValType.F64, false, Values.f64(666.6)));
        b.table("spectest", "table", new Table(ValType.FUNCREF, 10, 20));
        b.memory("spectest", "memory", new Memory(1, 2, false));
        b.memory("spectest", "shared_memory", new Memory(1, 2, true));
        return b;
    }

    private Imports imports() {
        Imports.Builder b = spectest;
        registered.forEach(b::instance);
        return b.build();
    }

    private void pass() {
        passed++;
    }

    private void fail(JsonNode command, String why) {
        failed++;
        if (failures.size() < 50) failures.add("line " + command.path("line").asInt() + " " + command.path("type").asString() + ": " + why);
    }

    private void command(JsonNode c) {
        String type = c.get("type").asString();
        try {
            switch (type) {
                case "module" -> {
                    Instance i = instantiate(c.get("filename").asString());
                    current = i;
                    if (c.has("name")) named.put(c.get("name").asString(), i);
                    pass();
                }
                case "register" -> {
                    Instance i = c.has("name") ? named.get(c.get("name").asString()) : current;
                    registered.put(c.get("as").asString(), i);
                    pass();
                }
                case "action" -> {
                    perform(c.get("action"));
                    pass();
                }
                case "assert_return" -> assertReturn(c);
                case "assert_trap", "assert_exhaustion" -> assertTrap(c, type.equals("assert_exhaustion"));
                case "assert_invalid", "assert_malformed" -> assertRefused(c);
                case "assert_unlinkable" -> assertUnlinkable(c);
                case "assert_uninstantiable" -> assertUninstantiable(c);
                default -> skipped++;
            }
        } catch (RuntimeException | InvalidModuleException | LinkException | IOException | Error e) {
            fail(c, e.toString());
        }
    }

    private Instance instantiate(String file) throws IOException, InvalidModuleException, LinkException {
        ModuleImage image = ModuleImage.compile(Files.readAllBytes(dir.resolve(file)));
        image = ModuleImage.deserialize(image.serialize()); // run what a bundle would store
        return store.instantiate(image, imports());
    }

    private Instance target(JsonNode action) {
        return action.has("module") ? named.get(action.get("module").asString()) : current;
    }

    private long[] perform(JsonNode action) {
        Instance inst = target(action);
        String field = action.get("field").asString();
        if (action.get("type").asString().equals("get")) {
            return new long[] {inst.exportedGlobal(field).get()};
        }
        JsonNode args = action.get("args");
        long[] values = new long[args.size()];
        for (int i = 0; i < values.length; i++) values[i] = value(args.get(i));
        Machine m = new Machine(store);
        ScheduledFuture<?> watchdog = WATCHDOG.schedule((Runnable) m::interrupt, 20, TimeUnit.SECONDS);
        try {
            return m.invoke(inst, field, values);
        } finally {
            watchdog.cancel(false);
        }
    }

    private static long value(JsonNode v) {
        String type = v.get("type").asString();
        String text = v.get("value").asString();
        if (type.equals("funcref") || type.equals("externref")) return text.equals("null") ? Values.NULL_REF : Long.parseLong(text);
        return Long.parseUnsignedLong(text);
    }

    private void assertReturn(JsonNode c) {
        long[] actual;
        try {
            actual = perform(c.get("action"));
        } catch (Trap t) {
            fail(c, "trapped: " + t.getMessage());
            return;
        }
        JsonNode expected = c.get("expected");
        if (actual.length != expected.size()) {
            fail(c, "expected " + expected.size() + " results, got " + actual.length);
            return;
        }
        for (int i = 0; i < actual.length; i++) {
            String mismatch = compare(expected.get(i), actual[i]);
            if (mismatch != null) {
                fail(c, c.get("action").path("field").asString() + ": result " + i + ": " + mismatch);
                return;
            }
        }
        pass();
    }

    /** Null when {@code actual} matches the expected value, else a description of the difference. */
    private static String compare(JsonNode expected, long actual) {
        String type = expected.get("type").asString();
        String text = expected.get("value").asString();
        switch (type) {
            case "i32" -> {
                return (int) Long.parseUnsignedLong(text) == (int) actual ? null : "expected i32 " + text + ", got " + (int) actual;
            }
            case "i64" -> {
                return Long.parseUnsignedLong(text) == actual ? null : "expected i64 " + text + ", got " + actual;
            }
            case "f32" -> {
                int bits = (int) actual;
                if (text.equals("nan:canonical")) return (bits & 0x7FFF_FFFF) == 0x7FC0_0000 ? null : "expected canonical NaN, got " + Integer.toHexString(bits);
                if (text.equals("nan:arithmetic")) return Float.isNaN(Float.intBitsToFloat(bits)) && (bits & 0x0040_0000) != 0 ? null : "expected arithmetic NaN, got " + Integer.toHexString(bits);
                return (int) Long.parseUnsignedLong(text) == bits ? null : "expected f32 bits " + Long.toHexString(Long.parseUnsignedLong(text)) + ", got " + Integer.toHexString(bits);
            }
            case "f64" -> {
                if (text.equals("nan:canonical")) return (actual & Long.MAX_VALUE) == 0x7FF8_0000_0000_0000L ? null : "expected canonical NaN, got " + Long.toHexString(actual);
                if (text.equals("nan:arithmetic")) return Double.isNaN(Double.longBitsToDouble(actual)) && (actual & 0x0008_0000_0000_0000L) != 0 ? null : "expected arithmetic NaN, got " + Long.toHexString(actual);
                return Long.parseUnsignedLong(text) == actual ? null : "expected f64 bits " + Long.toHexString(Long.parseUnsignedLong(text)) + ", got " + Long.toHexString(actual);
            }
            case "funcref", "externref" -> {
                if (text.equals("null")) return actual == Values.NULL_REF ? null : "expected null, got " + actual;
                if (type.equals("funcref")) return actual != Values.NULL_REF ? null : "expected a function, got null";
                return Long.parseLong(text) == actual ? null : "expected externref " + text + ", got " + actual;
            }
            default -> {
                return "unsupported result type " + type;
            }
        }
    }

    private void assertTrap(JsonNode c, boolean exhaustion) {
        String text = c.get("text").asString();
        try {
            long[] r = perform(c.get("action"));
            fail(c, "expected trap '" + text + "', returned " + r.length + " values");
        } catch (Trap t) {
            boolean ok = exhaustion ? t.kind() == TrapKind.CALL_STACK_EXHAUSTED : t.getMessage().startsWith(text) || text.startsWith(t.getMessage());
            if (ok) pass();
            else fail(c, "expected trap '" + text + "', got '" + t.getMessage() + "'");
        }
    }

    private void assertRefused(JsonNode c) throws IOException {
        if (!c.path("module_type").asString().equals("binary")) {
            skipped++;
            return;
        }
        try {
            ModuleImage.compile(Files.readAllBytes(dir.resolve(c.get("filename").asString())));
            fail(c, "accepted a module that should be refused: " + c.get("text").asString());
        } catch (InvalidModuleException e) {
            pass();
        }
    }

    private void assertUnlinkable(JsonNode c) throws IOException, InvalidModuleException {
        ModuleImage image = ModuleImage.compile(Files.readAllBytes(dir.resolve(c.get("filename").asString())));
        try {
            store.instantiate(image, imports());
            fail(c, "linked a module that should be unlinkable: " + c.get("text").asString());
        } catch (LinkException e) {
            pass();
        }
    }

    private void assertUninstantiable(JsonNode c) throws IOException, InvalidModuleException, LinkException {
        ModuleImage image = ModuleImage.compile(Files.readAllBytes(dir.resolve(c.get("filename").asString())));
        try {
            store.instantiate(image, imports());
            fail(c, "instantiated a module whose start should trap: " + c.get("text").asString());
        } catch (Trap t) {
            pass();
        }
    }
}
