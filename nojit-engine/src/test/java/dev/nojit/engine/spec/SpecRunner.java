package dev.nojit.engine.spec;

import dev.nojit.engine.EngineConfig;
import dev.nojit.engine.Global;
import dev.nojit.engine.Imports;
import dev.nojit.engine.Instance;
import dev.nojit.engine.InvalidModuleException;
import dev.nojit.engine.LinkException;
import dev.nojit.engine.Machine;
import dev.nojit.engine.ModuleImage;
import dev.nojit.engine.Store;
import dev.nojit.engine.Trap;
import dev.nojit.engine.TrapKind;
import dev.nojit.engine.UnsupportedFeatureException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one script converted by wabt's {@code wast2json} (a JSON list of commands plus .wasm files) against
 * the engine and counts, per command, passed, failed and skipped. Text-format modules in assert_malformed /
 * assert_invalid are skipped (the engine takes binaries only). Each invocation is interrupted through its
 * machine after the time limit, and {@link CommandGuard} gives up on any command that still does not answer,
 * so an engine hang fails a command instead of hanging the build.
 */
public final class SpecRunner {
    /** Per-command time limit; {@code -Dnojit.spec.timeout.seconds=N} changes it. */
    public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(Long.getLong("nojit.spec.timeout.seconds", 20));
    private static final int KEPT_FAILURES = 50;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spec-watchdog");
        t.setDaemon(true);
        return t;
    });

    /**
     * Counts for one script, the first failures' descriptions, and every failure's cause (its description
     * without line, function name and numbers) with how often it occurred.
     */
    public record Result(String name, int passed, int failed, int skipped, List<String> failures, Map<String, Integer> causes) {}

    /**
     * How the script's modules become instances: {@link #INTERPRETER}, or another engine mode (nojit-aot's
     * tests translate {@code wasm} ahead of time and instantiate the image with the compiled code).
     */
    public interface ModuleLoader {
        Instance instantiate(Store store, byte[] wasm, ModuleImage image, Imports imports) throws InvalidModuleException, LinkException;
    }

    public static final ModuleLoader INTERPRETER = (store, wasm, image, imports) -> store.instantiate(image, imports);

    private final Path dir;
    private final Duration limit;
    private final ModuleLoader loader;
    private final Store store = new Store(EngineConfig.defaults().withMaxCallDepth(20_000));
    private final Imports.Builder imports = SpectestImports.builder();
    private final Map<String, Instance> named = new HashMap<>();
    /** The last module defined; null after a module that failed, so later assertions do not test a stale one. */
    private Instance current;

    private int passed;
    private int failed;
    private int skipped;
    private final List<String> failures = new ArrayList<>();
    private final Map<String, Integer> causes = new TreeMap<>();

    private SpecRunner(Path json, Duration limit, ModuleLoader loader) {
        this.dir = json.getParent();
        this.limit = limit;
        this.loader = loader;
    }

    public static Result run(Path json) throws IOException {
        return run(json, DEFAULT_LIMIT, INTERPRETER);
    }

    public static Result run(Path json, ModuleLoader loader) throws IOException {
        return run(json, DEFAULT_LIMIT, loader);
    }

    public static Result run(Path json, Duration limit, ModuleLoader loader) throws IOException {
        SpecRunner r = new SpecRunner(json, limit, loader);
        JsonNode root = JSON.readTree(Files.readString(json));
        try (CommandGuard guard = new CommandGuard(limit)) {
            int hungAt = -1;
            for (JsonNode command : root.get("commands")) {
                if (hungAt >= 0) {
                    r.count(command, Outcome.failed("not run: the command at line " + hungAt + " hung"));
                    continue;
                }
                r.count(command, guard.run(() -> r.execute(command)));
                if (guard.hung()) hungAt = command.path("line").asInt();
            }
        }
        String name = json.getFileName().toString().replaceFirst("\\.json$", "");
        return new Result(name, r.passed, r.failed, r.skipped, List.copyOf(r.failures), Map.copyOf(r.causes));
    }

    private void count(JsonNode command, Outcome outcome) {
        switch (outcome.status()) {
            case PASSED -> passed++;
            case SKIPPED -> skipped++;
            case FAILED -> {
                failed++;
                causes.merge(command.path("type").asString() + ": " + cause(outcome.detail()), 1, Integer::sum);
                if (failures.size() < KEPT_FAILURES) {
                    failures.add("line " + command.path("line").asInt() + " " + command.path("type").asString() + ": " + outcome.detail());
                }
            }
        }
    }

    private static String cause(String detail) {
        String general = detail.replaceFirst("^[\\w$.-]+: (?=trapped|result)", "")
                .replaceAll("(?<![\\w.])(0x[0-9a-f]+|-?\\d+(\\.\\d+)?(E-?\\d+)?)(?![\\w.])", "N");
        return general.length() <= 160 ? general : general.substring(0, 160) + "...";
    }

    /** Runs on the guard's worker thread, one command at a time. */
    private Outcome execute(JsonNode c) throws Exception {
        try {
            return dispatch(c);
        } catch (ScriptStateException e) {
            return Outcome.failed(e.getMessage());
        }
    }

    private Outcome dispatch(JsonNode c) throws Exception {
        String type = c.get("type").asString();
        return switch (type) {
            case "module" -> defineModule(c);
            case "register" -> register(c);
            case "action" -> action(c);
            case "assert_return" -> assertReturn(c);
            case "assert_trap" -> assertTrap(c);
            case "assert_exhaustion" -> assertExhaustion(c);
            case "assert_invalid", "assert_malformed" -> assertRefused(c);
            case "assert_unlinkable" -> assertUnlinkable(c);
            case "assert_uninstantiable" -> assertUninstantiable(c);
            default -> Outcome.failed("unknown command type " + type);
        };
    }

    private Outcome defineModule(JsonNode c) throws IOException {
        current = null;
        if (c.has("name")) named.remove(c.get("name").asString());
        Instance instance;
        try {
            instance = instantiate(c);
        } catch (InvalidModuleException | LinkException | Trap e) {
            return Outcome.failed("module refused: " + e);
        }
        current = instance;
        if (c.has("name")) named.put(c.get("name").asString(), instance);
        return Outcome.PASSED;
    }

    private Outcome action(JsonNode c) {
        try {
            perform(c.get("action"));
            return Outcome.PASSED;
        } catch (Trap t) {
            return Outcome.failed(c.get("action").path("field").asString() + ": trapped: " + t.getMessage());
        }
    }

    private Outcome register(JsonNode c) {
        Instance instance = c.has("name") ? named.get(c.get("name").asString()) : current;
        if (instance == null) return Outcome.failed("no module " + c.path("name").asString("(current)") + " to register");
        imports.instance(c.get("as").asString(), instance);
        return Outcome.PASSED;
    }

    /** The module as a bundle would carry it (compiled, serialized and read back), instantiated by the loader. */
    private Instance instantiate(JsonNode c) throws IOException, InvalidModuleException, LinkException {
        byte[] wasm = Files.readAllBytes(dir.resolve(c.get("filename").asString()));
        ModuleImage image = ModuleImage.deserialize(ModuleImage.compile(wasm).serialize());
        return loader.instantiate(store, wasm, image, imports.build());
    }

    private Instance target(JsonNode action) {
        Instance inst = action.has("module") ? named.get(action.get("module").asString()) : current;
        if (inst == null) {
            throw new ScriptStateException("no module " + action.path("module").asString("(current)") + " (it failed or was never defined)");
        }
        return inst;
    }

    private long[] perform(JsonNode action) {
        Instance inst = target(action);
        String field = action.get("field").asString();
        if (action.get("type").asString().equals("get")) {
            Global g = inst.exportedGlobal(field);
            if (g == null) throw new ScriptStateException("no exported global " + field);
            return new long[] {g.get()};
        }
        JsonNode args = action.get("args");
        long[] values = new long[args.size()];
        for (int i = 0; i < values.length; i++) values[i] = ExpectedValues.argument(args.get(i));
        Machine m = new Machine(store);
        ScheduledFuture<?> watchdog = WATCHDOG.schedule((Runnable) m::interrupt, limit.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return m.invoke(inst, field, values);
        } finally {
            watchdog.cancel(false);
        }
    }

    /** The script refers to something that is not there (often because an earlier command failed). */
    private static final class ScriptStateException extends RuntimeException {
        ScriptStateException(String message) {
            super(message);
        }
    }

    private Outcome assertReturn(JsonNode c) {
        long[] actual;
        try {
            actual = perform(c.get("action"));
        } catch (Trap t) {
            return Outcome.failed(c.get("action").path("field").asString() + ": trapped: " + t.getMessage());
        }
        JsonNode expected = c.get("expected");
        if (actual == null || actual.length != expected.size()) {
            return Outcome.failed("expected " + expected.size() + " results, got " + (actual == null ? "null" : actual.length));
        }
        for (int i = 0; i < actual.length; i++) {
            String mismatch = ExpectedValues.mismatch(expected.get(i), actual[i]);
            if (mismatch != null) return Outcome.failed(c.get("action").path("field").asString() + ": result " + i + ": " + mismatch);
        }
        return Outcome.PASSED;
    }

    private Outcome assertTrap(JsonNode c) {
        String text = c.get("text").asString();
        try {
            long[] r = perform(c.get("action"));
            return Outcome.failed("expected trap '" + text + "', returned " + (r == null ? 0 : r.length) + " values");
        } catch (Trap t) {
            return TrapMessages.matches(t, text) ? Outcome.PASSED : Outcome.failed("expected trap '" + text + "', got '" + t.getMessage() + "'");
        }
    }

    private Outcome assertExhaustion(JsonNode c) {
        try {
            perform(c.get("action"));
            return Outcome.failed("expected call stack exhaustion, returned");
        } catch (Trap t) {
            return t.kind() == TrapKind.CALL_STACK_EXHAUSTED ? Outcome.PASSED
                    : Outcome.failed("expected call stack exhaustion, got '" + t.getMessage() + "'");
        }
    }

    /** assert_invalid / assert_malformed: a binary module must be refused when compiled. */
    private Outcome assertRefused(JsonNode c) throws IOException {
        if (!c.path("module_type").asString().equals("binary")) return Outcome.SKIPPED;
        try {
            ModuleImage.compile(Files.readAllBytes(dir.resolve(c.get("filename").asString())));
            return Outcome.failed("accepted a module that should be refused: " + c.get("text").asString());
        } catch (UnsupportedFeatureException e) {
            // "not implemented" proves nothing about validity, unless the unsupported feature is what the
            // script calls invalid (WebAssembly 2.0 forbids "multiple memories", which nojit does not implement)
            String text = c.get("text").asString();
            return e.getMessage().contains(text) ? Outcome.PASSED
                    : Outcome.failed("refused only as unsupported (" + e.getMessage() + "), expected: " + text);
        } catch (InvalidModuleException e) {
            return Outcome.PASSED;
        }
    }

    private Outcome assertUnlinkable(JsonNode c) throws IOException, InvalidModuleException {
        String text = c.get("text").asString();
        try {
            instantiate(c);
            return Outcome.failed("linked a module that should be unlinkable: " + text);
        } catch (LinkException e) {
            String message = String.valueOf(e.getMessage());
            return message.contains(text) ? Outcome.PASSED : Outcome.failed("expected link error '" + text + "', got '" + message + "'");
        }
    }

    private Outcome assertUninstantiable(JsonNode c) throws IOException, InvalidModuleException, LinkException {
        String text = c.get("text").asString();
        try {
            instantiate(c);
            return Outcome.failed("instantiated a module that should trap while instantiating: " + text);
        } catch (Trap t) {
            return TrapMessages.matches(t, text) ? Outcome.PASSED : Outcome.failed("expected trap '" + text + "', got '" + t.getMessage() + "'");
        }
    }
}
