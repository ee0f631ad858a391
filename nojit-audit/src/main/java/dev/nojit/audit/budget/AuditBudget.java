package dev.nojit.audit.budget;

import java.util.Locale;

/**
 * A container's audit budget: how many bytes and events per second its log may take (issue 15: an
 * exec loop with large argv wrote 1.5 MB/s of host disk). An event's bytes are its content as the
 * vkernel sends it (the wire encoding) plus {@link #LINE_OVERHEAD} for the members every line of
 * the log carries (seq, time, container, OCSF, prev, hash): about what it takes on disk.
 *
 * <ul>
 * <li>Up to {@link #BURST_SECONDS} seconds of the rate may be taken at once (start-up, a build's
 *     burst of execs). Past that, ordinary events are not written one by one but counted, kind by
 *     kind, into an {@code audit_suppressed} event at most once a second.</li>
 * <li>Violations and the container's start, stop and lockdown are always written in full.</li>
 * <li>Everything offered — written or counted — drains a second allowance of
 *     {@link #HARD_SECONDS} seconds of the rate, refilled at the rate: once a flood has exceeded the
 *     rate by that much, the log records {@code audit_budget_exceeded} and the container is
 *     stopped. Load at or under the rate never stops a container.</li>
 * </ul>
 *
 * @param bytesPerSecond  sustained bytes per second
 * @param eventsPerSecond sustained events per second
 */
public record AuditBudget(long bytesPerSecond, long eventsPerSecond) {
    public static final int BURST_SECONDS = 4;
    public static final int HARD_SECONDS = 30;
    /** The chain, container and OCSF members of a log line (measured: 834 to 858 bytes). */
    public static final int LINE_OVERHEAD = 850;
    /** The default: 256 KiB/s and 256 events/s (docs/audit.md, "Budget", says why). */
    public static final AuditBudget DEFAULT = new AuditBudget(256 << 10, 256);

    public AuditBudget {
        if (bytesPerSecond < 1024 || bytesPerSecond > (1L << 40)) throw new IllegalArgumentException("audit budget: bytes per second must be 1k to 1t");
        if (eventsPerSecond < 1 || eventsPerSecond > 1_000_000_000L) throw new IllegalArgumentException("audit budget: events per second must be 1 to 1e9");
    }

    /**
     * {@code BYTES,EVENTS}, both per second; BYTES may end in k, m or g (KiB, MiB, GiB), e.g.
     * {@code 256k,256}.
     */
    public static AuditBudget parse(String s) {
        String[] parts = s.strip().toLowerCase(Locale.ROOT).split(",", -1);
        if (parts.length != 2) throw new IllegalArgumentException("expected BYTES,EVENTS per second, e.g. 256k,256");
        try {
            String b = parts[0].strip();
            long unit = 1;
            if (b.endsWith("k")) unit = 1 << 10;
            else if (b.endsWith("m")) unit = 1 << 20;
            else if (b.endsWith("g")) unit = 1 << 30;
            if (unit != 1) b = b.substring(0, b.length() - 1);
            long bytes = Math.multiplyExact(Long.parseLong(b), unit);
            return new AuditBudget(bytes, Long.parseLong(parts[1].strip()));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("expected BYTES,EVENTS per second, e.g. 256k,256");
        }
    }

    /** The same budget, {@code factor} times as large (the shim's backstop). */
    public AuditBudget times(int factor) {
        return new AuditBudget(Math.multiplyExact(bytesPerSecond, factor), Math.multiplyExact(eventsPerSecond, factor));
    }

    /** "256k,256" style (as {@link #parse} reads it). */
    public String spec() {
        return (bytesPerSecond % 1024 == 0 ? bytesPerSecond / 1024 + "k" : Long.toString(bytesPerSecond)) + "," + eventsPerSecond;
    }
}
