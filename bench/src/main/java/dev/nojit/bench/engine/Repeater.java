package dev.nojit.bench.engine;

import java.util.ArrayList;
import java.util.List;

/** Calls a workload's {@code run} for warm-up, then times each measured call. */
final class Repeater {
    private final int warmup;
    private final int reps;

    Repeater(int warmup, int reps) {
        if (warmup < 0 || reps < 1) throw new IllegalArgumentException("need warmup >= 0 and reps >= 1");
        this.warmup = warmup;
        this.reps = reps;
    }

    /** Instantiates once, then runs; a checksum that changes between calls is a failure. */
    Outcome measure(GuestEngine engine, byte[] wasm) {
        try {
            GuestEngine.RunExport run = engine.instantiate(wasm);
            Long checksum = null;
            List<Double> seconds = new ArrayList<>();
            for (int i = 0; i < warmup + reps; i++) {
                long t0 = System.nanoTime();
                long result = run.call();
                long t1 = System.nanoTime();
                if (checksum != null && checksum != result) {
                    return new Outcome.Failed("run " + (i + 1) + " returned " + result + ", run 1 returned " + checksum);
                }
                checksum = result;
                if (i >= warmup) seconds.add((t1 - t0) / 1e9);
            }
            return new Outcome.Measured(checksum, new Timings(seconds));
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            return Outcome.failed(e);
        }
    }

    int warmup() {
        return warmup;
    }

    int reps() {
        return reps;
    }
}
