package dev.nojit.aot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.nojit.engine.difffuzz.DifferentialFuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Differential fuzzing of the translator: random valid modules from binaryen ({@code wasm-opt RANDOM -ttf}, the
 * features of the engine's own {@link DifferentialFuzzTest}) must behave identically in AOT mode and on the interpreter
 * ({@link AotDifferential}). Bounded for CI: 30 modules from fixed seeds; {@code -Dnojit.aotfuzz.count=N} and
 * {@code -Dnojit.aotfuzz.seed=S} for more. A mismatching module is saved under target/aotfuzz-failures/.
 */
class AotDifferentialFuzzTest {
    @Test
    void randomModulesBehaveTheSameInAotModeAndOnTheInterpreter() throws Exception {
        fuzz(Integer.getInteger("nojit.aotfuzz.count", 30), false);
    }

    /** With deoptimization sites at every call (--deopt): the sites change nothing a program can see. */
    @Test
    void randomModulesBehaveTheSameWithDeoptimizationSites() throws Exception {
        fuzz(Integer.getInteger("nojit.aotfuzz.count", 30) / 3, true);
    }

    /**
     * With every function that can be split split into regions (nojit-aot's Regions: what long functions such as
     * CPython's eval loop get): the outlined regions change nothing a program can see.
     */
    @Test
    void randomModulesBehaveTheSameWithEveryFunctionSplit() throws Exception {
        fuzz(Integer.getInteger("nojit.aotfuzz.count", 30) / 2, false, 0);
    }

    /** Split and with deoptimization sites (a forking module's long functions): each region records its own sites. */
    @Test
    void randomModulesBehaveTheSameSplitWithDeoptimizationSites() throws Exception {
        fuzz(Integer.getInteger("nojit.aotfuzz.count", 30) / 3, true, 0);
    }

    private static void fuzz(int count, boolean deopt) throws Exception {
        fuzz(count, deopt, AotCompiler.SPLIT_ABOVE);
    }

    private static void fuzz(int count, boolean deopt, int splitAbove) throws Exception {
        long seed = Long.getLong("nojit.aotfuzz.seed", 20261208L);
        Path work = Files.createDirectories(Path.of("target", "aotfuzz"));
        Map<AotDifferential.Verdict, Integer> verdicts = new EnumMap<>(AotDifferential.Verdict.class);
        List<String> mismatches = new ArrayList<>();
        int calls = 0, split = 0;
        for (int i = 0; i < count; i++) {
            long moduleSeed = seed + i;
            byte[] wasm = DifferentialFuzzTest.generate(work, moduleSeed); // the engine's generator: same features
            AotDifferential.Outcome o = AotDifferential.run(wasm, deopt, splitAbove);
            if (splitAbove == 0 && o.verdict() != AotDifferential.Verdict.REFUSED) split += AotCompiler.compile(wasm, Set.of(), deopt, 0).split();
            verdicts.merge(o.verdict(), 1, Integer::sum);
            calls += o.callsCompared();
            if (o.verdict() == AotDifferential.Verdict.MISMATCH) {
                Path saved = Files.createDirectories(Path.of("target", "aotfuzz-failures")).resolve("seed-" + moduleSeed + ".wasm");
                Files.write(saved, wasm);
                mismatches.add("seed " + moduleSeed + " (" + saved + "): " + o.detail());
            }
        }
        System.out.printf("aot differential fuzzing%s: %d modules, %d calls compared, verdicts %s%n",
                (deopt ? " (deopt)" : "") + (splitAbove == 0 ? " (split: " + split + " functions)" : ""), count, calls, verdicts);
        if (splitAbove == 0) assertThat(split).as("functions split into regions").isGreaterThan(count / 2);
        if (!mismatches.isEmpty()) fail(mismatches.size() + " mismatches:\n" + String.join("\n", mismatches));
        assertThat(verdicts.getOrDefault(AotDifferential.Verdict.AGREE, 0)).as("modules compared in full").isGreaterThanOrEqualTo(count / 3);
        assertThat(calls).as("calls compared").isGreaterThan(count);
    }
}
