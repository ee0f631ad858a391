package dev.nojit.bench.engine;

import java.util.Arrays;
import java.util.List;

/** The measured durations of repeated runs of one workload, in seconds. */
record Timings(List<Double> seconds) {
    Timings {
        if (seconds.isEmpty()) throw new IllegalArgumentException("no measured runs");
        seconds = List.copyOf(seconds);
    }

    double best() {
        return seconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    /** The middle value; for an even count, the mean of the two middle values. */
    double median() {
        double[] sorted = seconds.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
