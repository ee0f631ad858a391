package dev.nojit.engine;

/** Table or memory limits; {@code max} is -1 when the module declares none. */
public record Limits(long min, long max) {
    public boolean hasMax() {
        return max >= 0;
    }

    /** Import matching (core 2.0, 4.5.2.4): the actual limits must lie within the declared ones. */
    boolean within(Limits declared) {
        if (min < declared.min) return false;
        if (!declared.hasMax()) return true;
        return hasMax() && max <= declared.max;
    }
}
