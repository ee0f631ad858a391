package dev.nojit.bench.engine;

import com.dylibso.chicory.wasm.Parser;
import dev.nojit.engine.ImportSpec;
import dev.nojit.engine.ModuleImage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * How long it takes to get a module ready to instantiate: once at build time
 * ({@code ModuleImage.compile}: parse, validate, translate) and then at every start
 * ({@code ModuleImage.deserialize} of the stored image), next to Chicory's parser.
 */
record LoadTiming(Path module, long wasmBytes, Timings compile, long imageBytes, Timings serialize,
                  Timings deserialize, Timings chicoryParse, Map<String, Integer> importsByModule) {

    private static final int COMPILE_WARMUP = 1;
    private static final int COMPILE_REPS = 3;
    private static final int DESERIALIZE_WARMUP = 5;

    static LoadTiming measure(Path module, byte[] wasm, int deserializeReps) throws Exception {
        // The first compile throws the engine's own exception for a module it refuses, and warms up.
        ModuleImage image = ModuleImage.compile(wasm);
        Timings compile = time(0, COMPILE_REPS, () -> uncheckedCompile(wasm));
        byte[] stored = image.serialize();
        Timings serialize = time(COMPILE_WARMUP, COMPILE_REPS, image::serialize);
        Timings deserialize = time(DESERIALIZE_WARMUP, deserializeReps, () -> uncheckedDeserialize(stored));
        Timings parse = time(COMPILE_WARMUP, COMPILE_REPS, () -> Parser.parse(wasm));
        Map<String, Integer> imports = new TreeMap<>();
        for (ImportSpec spec : image.imports()) imports.merge(spec.module(), 1, Integer::sum);
        return new LoadTiming(module, wasm.length, compile, stored.length, serialize, deserialize, parse, imports);
    }

    private static Timings time(int warmup, int reps, Supplier<?> action) {
        List<Double> seconds = new ArrayList<>();
        Object sink = null;
        for (int i = 0; i < warmup + reps; i++) {
            long t0 = System.nanoTime();
            sink = action.get();
            long t1 = System.nanoTime();
            if (i >= warmup) seconds.add((t1 - t0) / 1e9);
        }
        if (sink == null) throw new IllegalStateException("no result");
        return new Timings(seconds);
    }

    private static ModuleImage uncheckedCompile(byte[] wasm) {
        try {
            return ModuleImage.compile(wasm);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ModuleImage uncheckedDeserialize(byte[] stored) {
        try {
            return ModuleImage.deserialize(stored);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
