package dev.nojit.bench.vkernel;

import java.util.Arrays;
import java.util.List;

/** Measured values of one figure, in its unit. "best" is the smallest or, for rates, the largest. */
record Sample(List<Double> values, boolean higherIsBetter) {
    Sample {
        if (values.isEmpty()) throw new IllegalArgumentException("no measured values");
        values = List.copyOf(values);
    }

    static Sample lowest(List<Double> values) {
        return new Sample(values, false);
    }

    static Sample highest(List<Double> values) {
        return new Sample(values, true);
    }

    double best() {
        return higherIsBetter ? sorted()[values.size() - 1] : sorted()[0];
    }

    /** The middle value; for an even count, the mean of the two middle values. */
    double median() {
        double[] s = sorted();
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    double mean() {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    int count() {
        return values.size();
    }

    private double[] sorted() {
        double[] s = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        return s;
    }
}
