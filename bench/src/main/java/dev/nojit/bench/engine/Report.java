package dev.nojit.bench.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders the results as Markdown tables, so that a run can be pasted into bench/README.md. */
final class Report {
    private static final double MIB = 1 << 20;

    private Report() {}

    /**
     * One row per workload. The WAMR and wasm3 columns (and their ratios to native) appear only when a
     * reference interpreter ran for some workload (bench/engine --refs); the nojit AOT columns (host JIT on,
     * host JIT off) and their ratios to native only when they ran.
     */
    static String workloads(List<WorkloadResult> results) {
        boolean withRefs = ReferenceInterpreters.RUNNERS.stream().anyMatch(runner -> anyRan(results, runner));
        List<String> aot = AOT_RUNNERS.stream().filter(runner -> anyRan(results, runner)).toList();
        List<String> header = new ArrayList<>(List.of("workload", "native s"));
        if (withRefs) header.addAll(List.of("wamr fast-interp s", "wasm3 s"));
        header.addAll(List.of("chicory s", "nojit s"));
        aot.forEach(runner -> header.add(LABELS.get(runner) + " s"));
        header.add("chicory/nojit");
        if (withRefs) header.addAll(List.of("wamr/native", "wasm3/native"));
        header.add("nojit/native");
        aot.forEach(runner -> header.add(RATIO_LABELS.get(runner)));
        header.add("checksums");
        List<String> lines = new ArrayList<>();
        lines.add("| " + String.join(" | ", header) + " |");
        lines.add("|---" + "|---:".repeat(header.size() - 2) + "|---|");
        for (WorkloadResult r : results) {
            List<String> cells = new ArrayList<>();
            cells.add(r.workload());
            cells.add(seconds(r.outcome(WorkloadResult.NATIVE)));
            if (withRefs) ReferenceInterpreters.RUNNERS.forEach(runner -> cells.add(seconds(r.outcome(runner))));
            cells.add(seconds(r.outcome(WorkloadResult.CHICORY)));
            cells.add(seconds(r.outcome(WorkloadResult.NOJIT)));
            aot.forEach(runner -> cells.add(seconds(r.outcome(runner))));
            cells.add(ratio(r.ratio(WorkloadResult.CHICORY, WorkloadResult.NOJIT)));
            if (withRefs) ReferenceInterpreters.RUNNERS.forEach(runner -> cells.add(ratio(r.ratio(runner, WorkloadResult.NATIVE))));
            cells.add(ratio(r.ratio(WorkloadResult.NOJIT, WorkloadResult.NATIVE)));
            aot.forEach(runner -> cells.add(ratio(r.ratio(runner, WorkloadResult.NATIVE))));
            cells.add(verdict(r));
            lines.add("| " + String.join(" | ", cells) + " |");
        }
        return String.join("\n", lines);
    }

    /** The AOT runners, in table order. */
    private static final List<String> AOT_RUNNERS = List.of(WorkloadResult.AOT, WorkloadResult.AOT_XINT);
    private static final Map<String, String> LABELS = Map.of(
            WorkloadResult.AOT, "nojit AOT (host JIT on)", WorkloadResult.AOT_XINT, "nojit AOT (host JIT off)");
    private static final Map<String, String> RATIO_LABELS = Map.of(
            WorkloadResult.AOT, "AOT JIT on/native", WorkloadResult.AOT_XINT, "AOT JIT off/native");

    private static boolean anyRan(List<WorkloadResult> results, String runner) {
        return results.stream().anyMatch(r -> r.ran(runner));
    }

    static String loads(List<LoadTiming> loads) {
        List<String> lines = new ArrayList<>();
        lines.add("| module | wasm | nojit compile ms | image | serialize ms | deserialize ms | chicory parse ms | imports |");
        lines.add("|---|---:|---:|---:|---:|---:|---:|---|");
        for (LoadTiming l : loads) {
            lines.add("| " + String.join(" | ", l.module().getFileName().toString(),
                    size(l.wasmBytes()), millis(l.compile()), size(l.imageBytes()), millis(l.serialize()),
                    millis(l.deserialize()), millis(l.chicoryParse()), imports(l.importsByModule())) + " |");
        }
        return String.join("\n", lines);
    }

    /** "best (median)" in seconds, or why there is no time. */
    static String seconds(Outcome o) {
        return switch (o) {
            case Outcome.Measured m -> fixed(m.timings().best()) + " (" + fixed(m.timings().median()) + ")";
            case Outcome.Failed f -> "failed";
            case Outcome.Skipped s -> "-";
        };
    }

    private static String millis(Timings t) {
        return fixed(t.best() * 1e3) + " (" + fixed(t.median() * 1e3) + ")";
    }

    /** Three significant digits for the small values, fewer decimals for the large ones. */
    static String fixed(double v) {
        if (v < 1) return String.format(Locale.ROOT, "%.4f", v);
        if (v < 10) return String.format(Locale.ROOT, "%.3f", v);
        if (v < 100) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String ratio(double r) {
        if (Double.isNaN(r)) return "-";
        return String.format(Locale.ROOT, r < 100 ? "%.2fx" : "%.0fx", r);
    }

    private static String verdict(WorkloadResult r) {
        Long ref = r.reference();
        if (ref == null) return "none";
        long measured = r.byRunner().values().stream().filter(o -> o instanceof Outcome.Measured).count();
        String hex = String.format(Locale.ROOT, "%016x", ref);
        if (!r.mismatches().isEmpty()) return "**MISMATCH** (reference " + hex + ")";
        return measured > 1 ? measured + " agree: " + hex : "only one: " + hex;
    }

    static String size(long bytes) {
        if (bytes >= MIB) return String.format(Locale.ROOT, "%.2f MiB", bytes / MIB);
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }

    private static String imports(Map<String, Integer> byModule) {
        if (byModule.isEmpty()) return "none";
        return byModule.entrySet().stream().map(e -> e.getValue() + " from " + e.getKey()).collect(Collectors.joining(", "));
    }
}
