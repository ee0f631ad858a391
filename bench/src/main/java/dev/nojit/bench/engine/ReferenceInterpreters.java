package dev.nojit.bench.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The native-C reference interpreters built by bench/refs/build.sh into one directory: each host
 * ({@code wamr-run}, {@code wasm3-run}) loads and instantiates a module once, then calls its
 * {@code run} N times and prints "CHECKSUM SECONDS" per call like the native workloads, so only
 * the calls are timed. {@code sources} there names the source commit of each runtime.
 */
record ReferenceInterpreters(Path dir) {
    /** The runners ({@link WorkloadResult} keys), in table order. */
    static final List<String> RUNNERS = List.of(WorkloadResult.WAMR, WorkloadResult.WASM3);

    /** The host program's file name for one of {@link #RUNNERS}. */
    static String host(String runner) {
        return switch (runner) {
            case WorkloadResult.WAMR -> "wamr-run";
            case WorkloadResult.WASM3 -> "wasm3-run";
            default -> throw new IllegalArgumentException("not a reference interpreter: " + runner);
        };
    }

    Outcome measure(String runner, Path wasm, int warmup, int reps) {
        Path host = dir.resolve(host(runner));
        if (!Files.isExecutable(host)) return new Outcome.Skipped("no " + host + " (bench/refs/build.sh)");
        return NativeProgram.measure(List.of(host.toString(), wasm.toString()), warmup, reps);
    }

    /** The lines of {@code sources} ("NAME COMMIT SRCDIR"), or why there are none. */
    List<String> sources() {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("sources")));
            lines.removeIf(String::isBlank);
            return lines.isEmpty() ? List.of("(no sources recorded in " + dir.resolve("sources") + ")") : lines;
        } catch (IOException e) {
            return List.of("(no " + dir.resolve("sources") + ": source commits unknown)");
        }
    }
}
