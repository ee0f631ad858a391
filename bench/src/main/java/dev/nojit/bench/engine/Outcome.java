package dev.nojit.bench.engine;

/** What one runner made of one workload: a checksum with its timings, or why there is none. */
sealed interface Outcome {
    /** Every measured run returned {@code checksum}. */
    record Measured(long checksum, Timings timings) implements Outcome {}

    /** The runner could not produce a result; {@code reason} is one line for the report. */
    record Failed(String reason) implements Outcome {}

    /** The runner was not asked to run (for example {@code --no-chicory}). */
    record Skipped(String reason) implements Outcome {}

    static Failed failed(Throwable e) {
        String message = e.getMessage();
        return new Failed(e.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse("")));
    }
}
