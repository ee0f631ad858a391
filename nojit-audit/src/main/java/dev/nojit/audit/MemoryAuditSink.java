package dev.nojit.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps events in memory, in order (for an embedded container without a log file, and for
 * tests that assert on the exact events). Not durable: {@code durable} is ignored.
 */
public final class MemoryAuditSink implements AuditSink {
    private final List<AuditEvent> events = new ArrayList<>();

    @Override
    public synchronized long append(AuditEvent event, boolean durable) {
        events.add(event);
        return events.size();
    }

    @Override
    public synchronized String head() {
        return "0".repeat(64);
    }

    /** The events so far, in append order (seq = index + 1). */
    public synchronized List<AuditEvent> events() {
        return List.copyOf(events);
    }

    @Override
    public void close() {}
}
