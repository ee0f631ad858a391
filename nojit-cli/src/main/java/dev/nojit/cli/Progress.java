package dev.nojit.cli;

import java.io.PrintWriter;

/**
 * A one-line progress bar on stderr, shown only when stderr is a terminal and the work is
 * large enough to take a while; otherwise it prints nothing.
 */
final class Progress implements AutoCloseable {
    private static final long SHOW_ABOVE_BYTES = 32L << 20;
    private final PrintWriter err;
    private final long total;
    private final boolean enabled;
    private int lastPercent = -1;

    private Progress(PrintWriter err, long total, boolean enabled) {
        this.err = err;
        this.total = total;
        this.enabled = enabled;
    }

    static Progress forBuild(PrintWriter err, long totalBytes) {
        var console = System.console();
        boolean terminal = console != null && console.isTerminal();
        return new Progress(err, totalBytes, terminal && totalBytes > SHOW_ABOVE_BYTES);
    }

    void update(long done) {
        if (!enabled || total <= 0) return;
        int percent = (int) Math.min(100, done * 100 / total);
        if (percent == lastPercent) return;
        lastPercent = percent;
        int filled = percent / 4;
        err.printf("\rbuilding [%s%s] %3d%% (%d/%d MiB)", "#".repeat(filled), " ".repeat(25 - filled), percent, done >> 20, total >> 20);
        err.flush();
    }

    void done() {
        if (enabled && lastPercent >= 0) {
            err.print("\r" + " ".repeat(60) + "\r");
            err.flush();
            lastPercent = -1;
        }
    }

    @Override
    public void close() {
        done();
    }
}
