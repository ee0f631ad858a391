package dev.nojit.audit.budget;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.AuditEvent.Action;
import dev.nojit.audit.AuditEvent.Type;
import dev.nojit.audit.AuditSink;
import dev.nojit.audit.wire.EventWire;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * An {@link AuditSink} that keeps a container's log within its {@link AuditBudget}: the vkernel
 * puts one in front of its sink, and the shim puts one (twice as large, a backstop for a vkernel
 * that does not obey) in front of the file.
 *
 * <p>Ordinary events (exec, process_exit) beyond the burst are counted per type and summarised in
 * an {@code audit_suppressed} event — how many, how many bytes, the first and last time — at most
 * once a second and before the container's stop. Violations, container start and stop, lockdown
 * and the budget's own events are always written. When the hard allowance is used up the sink
 * writes {@code audit_budget_exceeded} (kill-container) and from then on refuses every ordinary
 * event with {@link AuditBudgetExceeded} — the caller stops the container, failing closed — while
 * violations and the stop are still written: a violation is never lost to the budget.
 */
public final class BudgetedSink implements AuditSink {
    private static final long NANOS = 1_000_000_000L;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final AuditSink inner;
    private final AuditBudget budget;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final Bucket soft, hard;
    private final Map<Type, Suppressed> pending = new LinkedHashMap<>();
    private long lastRefill, lastSummary;
    private long offeredBytes, offeredEvents;
    private String exceeded; // why the budget stopped the container, or null

    /** Counts of one type not written one by one. */
    private static final class Suppressed {
        long count, bytes;
        Instant first, last;
    }

    /** A token bucket of bytes and events; may go into debt for events that are always written. */
    private static final class Bucket {
        final double byteRate, eventRate, byteCap, eventCap;
        double bytes, events;

        Bucket(AuditBudget b, int seconds) {
            byteRate = b.bytesPerSecond();
            eventRate = b.eventsPerSecond();
            byteCap = bytes = byteRate * seconds;
            eventCap = events = eventRate * seconds;
        }

        void refill(double seconds) {
            bytes = Math.min(byteCap, bytes + byteRate * seconds);
            events = Math.min(eventCap, events + eventRate * seconds);
        }

        boolean fits(long size) {
            return bytes >= size && events >= 1;
        }

        void take(long size) {
            bytes -= size;
            events -= 1;
        }

        boolean exhausted() {
            return bytes < 0 || events < 0;
        }
    }

    public BudgetedSink(AuditSink inner, AuditBudget budget) {
        this(inner, budget, System::nanoTime, Clock.systemUTC());
    }

    /** With the time sources given (tests). */
    public BudgetedSink(AuditSink inner, AuditBudget budget, LongSupplier nanoTime, Clock clock) {
        this.inner = inner;
        this.budget = budget;
        this.nanoTime = nanoTime;
        this.clock = clock;
        this.soft = new Bucket(budget, AuditBudget.BURST_SECONDS);
        this.hard = new Bucket(budget, AuditBudget.HARD_SECONDS);
        this.lastRefill = this.lastSummary = nanoTime.getAsLong();
    }

    /** Types written whatever the budget: violations, the container's lifecycle, the lockdown, the budget's own. */
    public static boolean alwaysWritten(Type t) {
        return t.isViolation() || switch (t) {
            case CONTAINER_START, CONTAINER_STOP, LOCKDOWN, AUDIT_SUPPRESSED, AUDIT_BUDGET_EXCEEDED -> true;
            default -> false;
        };
    }

    /** What to write, decided under the lock and written outside it, in this order. */
    private record Plan(AuditEvent summary, boolean writeEvent, AuditEvent stop, String refusal) {}

    @Override
    public long append(AuditEvent event, boolean durable) {
        long size = EventWire.encode(event, durable).length + AuditBudget.LINE_OVERHEAD;
        Plan plan = plan(event, size);
        if (plan.summary() != null) inner.append(plan.summary(), false);
        long seq = 0;
        if (plan.writeEvent()) seq = inner.append(event, durable);
        if (plan.stop() != null) inner.append(plan.stop(), true);
        if (plan.refusal() != null) throw new AuditBudgetExceeded(plan.refusal());
        return seq;
    }

    private synchronized Plan plan(AuditEvent event, long size) {
        long now = nanoTime.getAsLong();
        double elapsed = Math.max(0, now - lastRefill) / (double) NANOS;
        lastRefill = now;
        soft.refill(elapsed);
        hard.refill(elapsed);
        offeredBytes += size;
        offeredEvents++;
        Type type = event.type();
        boolean always = alwaysWritten(type);
        if (exceeded != null) {
            if (always) return new Plan(type == Type.CONTAINER_STOP ? summary(now) : null, true, null, null);
            count(type, size);
            return new Plan(null, false, null, exceeded);
        }
        hard.take(size);
        boolean over = hard.exhausted() && type != Type.CONTAINER_STOP;
        if (always || soft.fits(size)) {
            soft.take(size);
            AuditEvent summary = !pending.isEmpty() && (type == Type.CONTAINER_STOP || over || now - lastSummary >= NANOS) ? summary(now) : null;
            if (!over) return new Plan(summary, true, null, null);
            return new Plan(summary, true, stop(now), exceeded);
        }
        count(type, size);
        if (over) {
            AuditEvent summary = summary(now);
            return new Plan(summary, false, stop(now), exceeded);
        }
        return new Plan(now - lastSummary >= NANOS ? summary(now) : null, false, null, null);
    }

    private void count(Type type, long size) {
        Suppressed s = pending.computeIfAbsent(type, t -> new Suppressed());
        Instant t = clock.instant();
        if (s.count == 0) s.first = t;
        s.last = t;
        s.count++;
        s.bytes += size;
    }

    /** The {@code audit_suppressed} event for what is pending (null when nothing is), which clears it. */
    private AuditEvent summary(long now) {
        lastSummary = now;
        if (pending.isEmpty()) return null;
        Map<String, Object> kinds = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<Type, Suppressed> e : pending.entrySet()) {
            Suppressed s = e.getValue();
            total += s.count;
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("count", s.count);
            k.put("bytes", s.bytes);
            k.put("first", TIME.format(s.first));
            k.put("last", TIME.format(s.last));
            kinds.put(e.getKey().json(), k);
        }
        pending.clear();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("suppressed", kinds);
        details.put("budget", budgetDetails());
        return new AuditEvent(Type.AUDIT_SUPPRESSED, null, null, null, Action.DENIED,
                total + " events over the audit budget, counted here instead of written one by one", details);
    }

    private AuditEvent stop(long now) {
        exceeded = "the audit budget is exceeded (" + budget.spec() + " per second, " + AuditBudget.HARD_SECONDS
                + " s of excess): the container is stopped";
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("budget", budgetDetails());
        details.put("offered_bytes", offeredBytes);
        details.put("offered_events", offeredEvents);
        return new AuditEvent(Type.AUDIT_BUDGET_EXCEEDED, null, null, null, Action.KILL_CONTAINER, exceeded, details);
    }

    private Map<String, Object> budgetDetails() {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("bytes_per_second", budget.bytesPerSecond());
        b.put("events_per_second", budget.eventsPerSecond());
        b.put("burst_seconds", (long) AuditBudget.BURST_SECONDS);
        b.put("hard_seconds", (long) AuditBudget.HARD_SECONDS);
        return b;
    }

    /** Why the budget stopped the container, or null while it has not. */
    public synchronized String exceeded() {
        return exceeded;
    }

    @Override
    public String head() {
        return inner.head();
    }

    /** Writes what is still pending, then closes the sink below. */
    @Override
    public void close() {
        AuditEvent last;
        synchronized (this) {
            last = summary(nanoTime.getAsLong());
        }
        try {
            if (last != null) inner.append(last, true);
        } finally {
            inner.close();
        }
    }
}
