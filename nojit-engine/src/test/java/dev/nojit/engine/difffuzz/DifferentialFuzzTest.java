package dev.nojit.engine.difffuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Differential fuzzing against Chicory's interpreter: random valid modules from binaryen
 * ({@code wasm-opt RANDOM -ttf}) must behave the same on both engines. Bounded for CI (40 modules from fixed
 * seeds); unbounded locally with {@code -Dnojit.difffuzz.count=N}, {@code -Dnojit.difffuzz.seconds=S} and
 * {@code -Dnojit.difffuzz.seed=S}. A mismatching module is saved under target/difffuzz-failures/.
 */
public class DifferentialFuzzTest {
    private static final List<String> FEATURES = List.of("--enable-threads", "--enable-bulk-memory", "--enable-sign-ext",
            "--enable-nontrapping-float-to-int", "--enable-multivalue");

    @Test
    void randomModulesBehaveTheSameOnBothEngines() throws Exception {
        int count = Integer.getInteger("nojit.difffuzz.count", System.getProperty("nojit.difffuzz.seconds") != null ? Integer.MAX_VALUE : 40);
        long seconds = Long.getLong("nojit.difffuzz.seconds", 600);
        long seed = Long.getLong("nojit.difffuzz.seed", 20261128L);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Path work = Files.createDirectories(Path.of("target", "difffuzz"));
        Map<DifferentialRunner.Verdict, Integer> verdicts = new EnumMap<>(DifferentialRunner.Verdict.class);
        List<String> mismatches = new ArrayList<>();
        Map<String, Integer> skipReasons = new java.util.TreeMap<>();
        int calls = 0;
        int ran = 0;
        for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
            long moduleSeed = seed + i;
            byte[] wasm = generate(work, moduleSeed);
            DifferentialRunner.Outcome o = DifferentialRunner.run(wasm);
            ran++;
            verdicts.merge(o.verdict(), 1, Integer::sum);
            calls += o.callsCompared();
            if (o.verdict() == DifferentialRunner.Verdict.SKIPPED_ORACLE) {
                String reason = o.detail().replaceFirst("^[\\w-]+: ", "").replaceAll("\\d+", "N");
                skipReasons.merge(reason.length() > 90 ? reason.substring(0, 90) : reason, 1, Integer::sum);
            }
            if (o.verdict() == DifferentialRunner.Verdict.MISMATCH) {
                Path saved = Files.createDirectories(Path.of("target", "difffuzz-failures")).resolve("seed-" + moduleSeed + ".wasm");
                Files.write(saved, wasm);
                mismatches.add("seed " + moduleSeed + " (" + saved + "): " + o.detail());
            }
        }
        System.out.printf("differential fuzzing: %d modules, %d calls compared, verdicts %s%n", ran, calls, verdicts);
        skipReasons.forEach((reason, n) -> System.out.printf("  not compared (%d): %s%n", n, reason));
        if (!mismatches.isEmpty()) fail(mismatches.size() + " mismatches:\n" + String.join("\n", mismatches));
        assertThat(verdicts.getOrDefault(DifferentialRunner.Verdict.AGREE, 0)).as("modules compared in full").isGreaterThanOrEqualTo(ran / 3);
    }

    /** A valid module from binaryen's translate-to-fuzz mode, fed {@code seed}'s random bytes. */
    public static byte[] generate(Path work, long seed) throws IOException, InterruptedException {
        Random random = new Random(seed);
        byte[] noise = new byte[1024 + random.nextInt(15 * 1024)];
        random.nextBytes(noise);
        Path in = work.resolve("input.bin");
        Path out = work.resolve("module.wasm");
        Files.write(in, noise);
        List<String> command = new ArrayList<>(List.of("wasm-opt", in.toString(), "-ttf"));
        command.addAll(FEATURES);
        command.addAll(List.of("-o", out.toString()));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("wasm-opt not found: install the Debian package 'binaryen'", e);
        }
        String log = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("wasm-opt failed: " + log);
        return Files.readAllBytes(out);
    }
}
