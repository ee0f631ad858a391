package dev.nojit.engine;

/** Thrown by a host function (via {@link HostCall#unwind}) to return again from a recorded host call. */
final class Unwind extends RuntimeException {
    final ResumePoint point;
    final long[] results;

    Unwind(ResumePoint point, long[] results) {
        super("unwind to a resume point", null, false, false);
        this.point = point;
        this.results = results;
    }
}
