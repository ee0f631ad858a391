package dev.nojit.bench.vkernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders the rows as one Markdown table, so that a run can be pasted into bench/README.md. */
final class Report {
    private Report() {}

    static String table(List<Row> rows) {
        List<String> lines = new ArrayList<>();
        lines.add("| measure | median | best | mean | unit | samples | one sample |");
        lines.add("|---|---:|---:|---:|---|---:|---|");
        for (Row r : rows) {
            Sample s = r.sample();
            lines.add("| " + String.join(" | ", r.measure(), fixed(s.median()), fixed(s.best()), fixed(s.mean()),
                    r.unit(), Integer.toString(s.count()), r.oneSample()) + " |");
        }
        return String.join("\n", lines);
    }

    /** Three significant digits for small values, no decimals from 1000 up. */
    static String fixed(double v) {
        double a = Math.abs(v);
        if (a < 1) return String.format(Locale.ROOT, "%.3f", v);
        if (a < 10) return String.format(Locale.ROOT, "%.2f", v);
        if (a < 100) return String.format(Locale.ROOT, "%.1f", v);
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
