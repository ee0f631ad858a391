package dev.nojit.vkernel.fs;

import java.time.Instant;

/**
 * The container's CLOCK_REALTIME in nanoseconds since the epoch. File times set to "now" (creation,
 * writes, utimensat's UTIME_NOW) come from the same clock as clock_gettime, at the same resolution,
 * so a file touched after a guest read the time never looks older than that reading.
 */
public final class WallClock {
    private WallClock() {}

    public static long nanos() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
