package dev.nojit.engine.spec;

/** What one script command came to; {@code detail} says why it failed. */
record Outcome(Status status, String detail) {
    enum Status { PASSED, FAILED, SKIPPED }

    static final Outcome PASSED = new Outcome(Status.PASSED, "");
    static final Outcome SKIPPED = new Outcome(Status.SKIPPED, "");

    static Outcome failed(String why) {
        return new Outcome(Status.FAILED, why);
    }

    /** An exception the engine should never throw, with where it came from. */
    static Outcome unexpected(Throwable t) {
        StackTraceElement[] at = t.getStackTrace();
        return failed("unexpected " + t + (at.length > 0 ? " at " + at[0] : ""));
    }
}
