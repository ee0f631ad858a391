package dev.nojit.bench.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One workload's outcomes on each runner, keyed "native", "wamr", "wasm3", "chicory", "nojit", "nojit-aot",
 * "nojit-aot-xint" in that order (the reference interpreters only with bench/refs built).
 */
record WorkloadResult(String workload, Map<String, Outcome> byRunner) {
    static final String NATIVE = "native";
    /** WAMR's fast interpreter through bench/refs/wamr-run. */
    static final String WAMR = "wamr";
    /** wasm3 through bench/refs/wasm3-run. */
    static final String WASM3 = "wasm3";
    static final String CHICORY = "chicory";
    static final String NOJIT = "nojit";
    /** The nojit engine in AOT mode in the benchmark's JVM (host JIT on). */
    static final String AOT = "nojit-aot";
    /** The same AOT classes in a child JVM with -Xint (host JIT off, as {@code nojit run --host-jit off}). */
    static final String AOT_XINT = "nojit-aot-xint";

    WorkloadResult {
        byRunner = new LinkedHashMap<>(byRunner);
    }

    /** Whether this runner was asked to run (measured or failed), not skipped or absent. */
    boolean ran(String runner) {
        return !(outcome(runner) instanceof Outcome.Skipped);
    }

    Outcome outcome(String runner) {
        return byRunner.getOrDefault(runner, new Outcome.Skipped("not run"));
    }

    /**
     * The checksum the others are compared with: native's, else Chicory's (the oracle), else nojit's, else a
     * reference interpreter's, else nojit AOT's.
     */
    Long reference() {
        for (String runner : List.of(NATIVE, CHICORY, NOJIT, WAMR, WASM3, AOT, AOT_XINT)) {
            if (outcome(runner) instanceof Outcome.Measured m) return m.checksum();
        }
        return null;
    }

    /** One line per runner whose checksum differs from the reference. */
    List<String> mismatches() {
        Long ref = reference();
        List<String> out = new ArrayList<>();
        if (ref == null) return out;
        byRunner.forEach((runner, o) -> {
            if (o instanceof Outcome.Measured m && m.checksum() != ref) {
                out.add(workload + ": " + runner + " computed checksum " + m.checksum() + ", expected " + ref);
            }
        });
        return out;
    }

    List<String> failures() {
        List<String> out = new ArrayList<>();
        byRunner.forEach((runner, o) -> {
            if (o instanceof Outcome.Failed f) out.add(workload + ": " + runner + " failed: " + f.reason());
        });
        return out;
    }

    /** a's best time over b's, or NaN when either did not produce one. */
    double ratio(String a, String b) {
        if (outcome(a) instanceof Outcome.Measured ma && outcome(b) instanceof Outcome.Measured mb) {
            return ma.timings().best() / mb.timings().best();
        }
        return Double.NaN;
    }
}
