package dev.nojit.cli.simulate;

import dev.nojit.audit.AuditEvent;

import java.util.Map;

/**
 * What a technique must come to. Every expectation also requires that nothing got through: no
 * {@code SURVIVED} line from the attack or the payload.
 */
public sealed interface Expectation {
    /** The short text of the EXPECTED column. */
    String describe();

    /**
     * One violation of {@code type} in {@code syscall} (on {@code target}, when not null), the
     * offender killed before its call returned; {@code steps}: STEP values the setup must have
     * printed first (e.g. fork=-11). {@code forked}: the offender is a child of process 1, which
     * reports its wait status (SIGKILL) and goes on.
     */
    record Violation(AuditEvent.Type type, String syscall, String target, Map<String, Long> steps, boolean forked)
            implements Expectation {
        @Override
        public String describe() {
            return type.json() + " " + syscall + ", killed";
        }
    }

    /** The decisive call returns {@code -errno}; no violation (an ordinary refusal). */
    record Errno(String name, int errno) implements Expectation {
        @Override
        public String describe() {
            return name + ", no violation";
        }
    }

    /** A benign control: the exec of {@code path} is allowed (an exec event), no violation, exit 0. */
    record Allowed(String path) implements Expectation {
        @Override
        public String describe() {
            return "allowed (exec event), exit 0";
        }
    }

    /**
     * The exec race: every round either ran the approved bytes or was refused with an
     * exec_denied event (one per refusal); the payload never ran.
     */
    record Race() implements Expectation {
        @Override
        public String describe() {
            return "approved ran or exec_denied; payload never";
        }
    }

    /**
     * A mount-swap row (issue 15): the decisive call on an old descriptor answers an errno or acts
     * on the moved file inside the mount — exactly {@code -errno} when {@code errno} is not null —
     * no stat answer carries the canary's size or mode, no violation, and the canary tree beside
     * the mount is unchanged ({@link MountSwapRow}).
     */
    record Contained(String name, Integer errno) implements Expectation {
        @Override
        public String describe() {
            return (errno == null ? "errno or the real file" : name) + "; canary untouched";
        }
    }

    /**
     * The decisive report is {@code RESULT ret=<value>} — a value that is not an errno (a wait status, a
     * count) — and no violation. {@code meaning} says what the value is, for the EXPECTED column.
     */
    record Returns(long value, String meaning) implements Expectation {
        @Override
        public String describe() {
            return meaning + ", no violation";
        }
    }

    /**
     * Every attempt is recorded: as many violations of {@code type} in {@code syscall} as the attack printed
     * ATTEMPT lines (from any of its processes; at least one), each offender killed by SIGKILL, and the attack's
     * RESULT printed at the end (it ran to completion).
     */
    record EveryAttempt(AuditEvent.Type type, String syscall) implements Expectation {
        @Override
        public String describe() {
            return "one " + type.json() + " " + syscall + " per attempt, each killed";
        }
    }

    // ---- the record of the run (issue 15: audit) ----

    /**
     * The audit flood under {@code budget}: ordinary events aggregated into audit_suppressed, then
     * audit_budget_exceeded and the container stopped (exit 137); no violation.
     */
    record Flood(dev.nojit.audit.budget.AuditBudget budget) implements Expectation {
        @Override
        public String describe() {
            return "aggregated, then stopped (audit_budget_exceeded)";
        }
    }

    /** nojit run refuses every planted layout that puts the audit log in the guest's reach ({@link LogInMount}). */
    record EvidenceRefused() implements Expectation {
        @Override
        public String describe() {
            return "refused before anything runs (exit 125)";
        }
    }

    static Violation violation(AuditEvent.Type type, String syscall) {
        return new Violation(type, syscall, null, Map.of(), false);
    }
}
