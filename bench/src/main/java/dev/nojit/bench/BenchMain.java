package dev.nojit.bench;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the JMH benchmarks with JMH's usual command line, then prints a summary of bundle
 * size, build, verify and SHA-256 times with throughput and the verify/SHA-256 ratios, all
 * from the same run. The workload is generated once here and shared with every fork.
 */
public final class BenchMain {
    private static final double MIB = 1 << 20;

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("Error parsing command line: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (cmd.shouldHelp() || cmd.shouldList() || cmd.shouldListWithParams() || cmd.shouldListProfilers()
                || cmd.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }

        String loadBefore = HostInfo.loadAverage();
        long t0 = System.nanoTime();
        try (Workload w = Workload.createTemp()) {
            long prepMs = (System.nanoTime() - t0) / 1_000_000;
            long moduleBytes = w.moduleBytes();
            long bundleBytes = Files.size(w.bundle());
            System.out.printf(Locale.ROOT, "# workload: %d modules, %s; bundle %s (generated and built in %d ms) in %s%n",
                    w.modules().size(), size(moduleBytes), size(bundleBytes), prepMs, w.dir());

            String prop = "-D" + Workload.DIR_PROPERTY + "=" + w.dir();
            System.setProperty(Workload.DIR_PROPERTY, w.dir().toString());   // for -f 0
            List<String> append = new ArrayList<>(cmd.getJvmArgsAppend().orElse(List.of()));
            append.add(prop);
            var opts = new OptionsBuilder().parent(cmd).jvmArgsAppend(append.toArray(String[]::new)).build();

            Collection<RunResult> results = new Runner(opts).run();
            summary(results, w, moduleBytes, bundleBytes, loadBefore);
        }
    }

    private static void summary(Collection<RunResult> results, Workload w, long moduleBytes, long bundleBytes, String loadBefore)
            throws IOException {
        Map<String, Result<?>> byName = new LinkedHashMap<>();
        for (RunResult r : results) {
            String full = r.getParams().getBenchmark();
            byName.put(full.substring(full.lastIndexOf('.') + 1), r.getPrimaryResult());
        }
        System.out.println();
        System.out.println("==== nojit bundle benchmark summary ====");
        System.out.println("machine: " + HostInfo.describe());
        System.out.printf(Locale.ROOT, "load average (1, 5, 15 min): %s before, %s after; other busy processes skew the figures%n",
                loadBefore, HostInfo.loadAverage());
        System.out.printf(Locale.ROOT, "modules: %d WebAssembly modules, %s in all%n", w.modules().size(), size(moduleBytes));
        System.out.printf(Locale.ROOT, "bundle:  %s%n", size(bundleBytes));
        System.out.println();
        System.out.printf(Locale.ROOT, "  %-13s %12s %12s %10s %8s%n", "benchmark", "mean ms", "± ms (99.9%)", "MiB/s", "samples");
        Map<String, Double> ms = new LinkedHashMap<>();
        for (String name : List.of("build", "verify", "sha256File", "sha256Memory")) {
            Result<?> r = byName.get(name);
            if (r == null) continue;
            double mean = toMillis(r.getScore(), r.getScoreUnit());
            double err = toMillis(r.getScoreError(), r.getScoreUnit());
            if (r.getScoreUnit().startsWith("ops/")) err = Double.NaN;   // an error in ops/time does not convert linearly
            ms.put(name, mean);
            System.out.printf(Locale.ROOT, "  %-13s %12.1f %12s %10.0f %8d%n", name, mean,
                    Double.isNaN(err) ? "-" : String.format(Locale.ROOT, "%.1f", err),
                    bundleBytes / MIB / (mean / 1000), r.getSampleCount());
        }
        System.out.println();
        ratio(ms, "verify", "sha256File");
        ratio(ms, "verify", "sha256Memory");
        ratio(ms, "sha256File", "sha256Memory");
        ratio(ms, "build", "verify");
        System.out.println("(MiB/s: bundle bytes / mean time; verify is on target when verify/sha256File is near 1.0)");
    }

    private static void ratio(Map<String, Double> ms, String a, String b) {
        if (ms.containsKey(a) && ms.containsKey(b)) {
            System.out.printf(Locale.ROOT, "  %-26s %6.2fx%n", a + " / " + b, ms.get(a) / ms.get(b));
        }
    }

    /** A JMH score in unit "x/op" (time per operation) or "ops/x" (throughput) as milliseconds per operation. */
    static double toMillis(double score, String unit) {
        if (unit.endsWith("/op")) return score * unitMillis(unit.substring(0, unit.length() - 3));
        if (unit.startsWith("ops/")) return unitMillis(unit.substring(4)) / score;
        return Double.NaN;
    }

    private static double unitMillis(String unit) {
        return switch (unit) {
            case "ns" -> 1e-6;
            case "us" -> 1e-3;
            case "ms" -> 1;
            case "s" -> 1e3;
            case "min" -> 60e3;
            case "hr" -> 3600e3;
            case "day" -> 86400e3;
            default -> Double.NaN;
        };
    }

    private static String size(long bytes) {
        return String.format(Locale.ROOT, "%.2f MiB (%,d bytes)", bytes / MIB, bytes);
    }
}
