package dev.nojit.bundle.manifest;

import java.util.List;

/**
 * The container policy (SPEC §4), signed as part of the manifest. Each key has a fixed set
 * of values; the first of each is the default. Values stay strings here because they are
 * the manifest's words; the vkernel turns them into behaviour.
 */
public record Policy(String exec, String scripts, String memory, String onViolation, String engine) {
    /** The keys, in the order the manifest documents them. */
    public static final List<String> KEYS = List.of("exec", "scripts", "memory", "onViolation", "engine");

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
            case "engine" -> List.of("interpreter");
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
                key.equals("engine") ? value : engine);
    }
}
