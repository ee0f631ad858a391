package dev.nojit.bundle.manifest;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The container policy (SPEC §4), signed as part of the manifest. Each string key has a
 * fixed set of values; the first of each is the default. Values stay strings here because
 * they are the manifest's words; the vkernel turns them into behaviour.
 *
 * <p>{@code interpreters} maps the container path of an executable of the bundle to the
 * {@link InterpreterSpec} that says how its command line names code; {@code scripts:
 * manifest-only} needs one for every interpreter a script names. It is always the full
 * spec, never a profile name, so the signed manifest says exactly what is enforced.
 */
public record Policy(String exec, String scripts, String memory, String onViolation, String engine,
                     SortedMap<String, InterpreterSpec> interpreters) {
    /** The string keys, in the order the manifest documents them. */
    public static final List<String> KEYS = List.of("exec", "scripts", "memory", "onViolation", "engine");

    /** The member holding {@link #interpreters}, present only when there is one. */
    public static final String INTERPRETERS = "interpreters";

    public Policy {
        interpreters = Collections.unmodifiableSortedMap(new TreeMap<>(interpreters));
    }

    /** A policy without interpreter specs. */
    public Policy(String exec, String scripts, String memory, String onViolation, String engine) {
        this(exec, scripts, memory, onViolation, engine, new TreeMap<>());
    }

    public static Policy defaults() {
        return new Policy(allowed("exec").getFirst(), allowed("scripts").getFirst(), allowed("memory").getFirst(),
                allowed("onViolation").getFirst(), allowed("engine").getFirst());
    }

    /** The values {@code key} may take, default first. */
    public static List<String> allowed(String key) {
        return switch (key) {
            case "exec" -> List.of("manifest-only");
            case "scripts" -> List.of("via-interpreter", "manifest-only");
            case "memory" -> List.of("deny-exec");
            case "onViolation" -> List.of("kill-process", "kill-container");
            case "engine" -> List.of(EngineMode.INTERPRETER.jsonName(), EngineMode.AOT.jsonName());
            default -> throw new IllegalArgumentException("no policy key " + key);
        };
    }

    public String get(String key) {
        return switch (key) {
            case "exec" -> exec;
            case "scripts" -> scripts;
            case "memory" -> memory;
            case "onViolation" -> onViolation;
            case "engine" -> engine;
            default -> throw new IllegalArgumentException("no policy key " + key);
        };
    }

    /** A policy with {@code key} set to {@code value} (both already checked by the caller). */
    public Policy with(String key, String value) {
        return new Policy(
                key.equals("exec") ? value : exec,
                key.equals("scripts") ? value : scripts,
                key.equals("memory") ? value : memory,
                key.equals("onViolation") ? value : onViolation,
                key.equals("engine") ? value : engine,
                interpreters);
    }

    /** A policy with these interpreter specs, by container path, in place of the current ones. */
    public Policy withInterpreters(Map<String, InterpreterSpec> specs) {
        return new Policy(exec, scripts, memory, onViolation, engine, new TreeMap<>(specs));
    }
}
