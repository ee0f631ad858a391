package dev.nojit.cli.simulate;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.AuditEvent.Type;
import dev.nojit.vkernel.Container;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares one run with its technique's {@link Expectation}: reads the attack's report lines
 * (attack.h: ATTEMPT, STEP, RESULT, SURVIVED) and the audit events of its container. Any
 * SURVIVED line fails the row whatever else happened; so does a missing expected event, an
 * unexpected violation, or a decisive call that returned when the policy should have killed.
 */
final class Judge {
    private Judge() {}

    /** What the run left: stdout, the container's result and its audit events (seq = index + 1). */
    record Run(String out, Container.Result result, List<AuditEvent> events) {}

    /** The attack's report lines for one technique. */
    private record Report(int attempts, List<String> survived, Long result, Map<String, Long> steps) {
        boolean attempted() {
            return attempts > 0;
        }

        static Report of(String technique, String out) {
            int attempts = 0;
            List<String> survived = new ArrayList<>();
            Long result = null;
            Map<String, Long> steps = new HashMap<>();
            for (String line : out.split("\n")) {
                String[] f = line.strip().split(" ");
                if (f.length < 2) continue;
                switch (f[0]) {
                    case "SURVIVED" -> survived.add(line.strip()); // from any process, for any name
                    case "ATTEMPT" -> attempts += f[1].equals(technique) ? 1 : 0;
                    case "RESULT" -> {
                        if (f[1].equals(technique) && f.length > 2 && f[2].startsWith("ret=")) result = number(f[2].substring(4));
                    }
                    case "STEP" -> {
                        if (f[1].equals(technique) && f.length > 2 && f[2].contains("=")) {
                            String[] kv = f[2].split("=", 2);
                            Long v = number(kv[1]);
                            if (v != null) steps.put(kv[0], v);
                        }
                    }
                    default -> { }
                }
            }
            return new Report(attempts, survived, result, steps);
        }
    }

    static Row judge(Technique t, Run run) {
        Report r = Report.of(t.name(), run.out());
        List<Integer> violations = new ArrayList<>();
        for (int i = 0; i < run.events().size(); i++) if (run.events().get(i).type().isViolation()) violations.add(i);
        if (!r.survived().isEmpty()) {
            return new Row(t, "GOT THROUGH: " + r.survived().getFirst(), seqOf(violations), false);
        }
        if (run.result().timedOut()) return new Row(t, "timed out", seqOf(violations), false);
        return switch (t.expected()) {
            case Expectation.Violation v -> violation(t, v, r, run, violations);
            case Expectation.Errno e -> errno(t, e, r, run, violations);
            case Expectation.Allowed a -> allowed(t, a, r, run, violations);
            case Expectation.Race race -> race(t, r, run, violations);
            case Expectation.Contained c -> contained(t, c, r, run, violations);
            case Expectation.Returns ret -> returns(t, ret, r, run, violations);
            case Expectation.EveryAttempt every -> everyAttempt(t, every, r, run, violations);
            case Expectation.Flood f -> flood(t, r, run, violations);
            case Expectation.EvidenceRefused e -> fail(t, "not a container technique (LogInMount judges it)", violations);
        };
    }

    private static Row violation(Technique t, Expectation.Violation v, Report r, Run run, List<Integer> violations) {
        for (var s : v.steps().entrySet()) {
            Long got = r.steps().get(s.getKey());
            if (!s.getValue().equals(got)) {
                return fail(t, "setup: expected " + s.getKey() + "=" + s.getValue() + ", got " + got, violations);
            }
        }
        if (!r.attempted()) return fail(t, "the attack never reached its attempt (" + firstLine(run) + ")", violations);
        if (violations.isEmpty()) {
            String how = r.result() != null ? "the call returned " + errnoText(r.result()) : "exit " + run.result().exitCode();
            return fail(t, "GOT THROUGH: no violation recorded; " + how, violations);
        }
        if (violations.size() > 1) return fail(t, violations.size() + " violations, expected one", violations);
        int at = violations.getFirst();
        AuditEvent e = run.events().get(at);
        String seq = Integer.toString(at + 1);
        String got = e.type().json() + " " + (e.syscall() == null ? "?" : e.syscall().name());
        if (e.type() != v.type() || e.syscall() == null || !e.syscall().name().equals(v.syscall())) {
            return new Row(t, "wrong event: " + got, seq, false);
        }
        if (v.target() != null && (e.target() == null || !v.target().equals(e.target().path()))) {
            return new Row(t, "wrong target: " + (e.target() == null ? "none" : e.target().path()), seq, false);
        }
        boolean wholeContainer = t.profile() == Technique.Profile.KILL_CONTAINER;
        AuditEvent.Action action = wholeContainer ? AuditEvent.Action.KILL_CONTAINER : AuditEvent.Action.KILL_PROCESS;
        if (e.action() != action) return new Row(t, got + ", but action " + e.action().json(), seq, false);
        int pid = e.process().pid();
        boolean killed = run.events().subList(at + 1, run.events().size()).stream()
                .anyMatch(x -> x.type() == Type.PROCESS_EXIT && x.process() != null && x.process().pid() == pid
                        && Long.valueOf(9).equals(x.details().get("signal")));
        if (!killed) return new Row(t, got + ", but pid " + pid + " did not die of SIGKILL", seq, false);
        if (wholeContainer) {
            if (run.result().policyStop() == null || run.result().exitCode() != 137) {
                return new Row(t, got + ", but the container did not stop (exit " + run.result().exitCode() + ")", seq, false);
            }
            return new Row(t, got + ", killed, container stopped", seq, true);
        }
        if (v.forked()) {
            if (!Long.valueOf(9).equals(r.steps().get("child")) || r.result() == null) {
                return new Row(t, got + ", but the parent did not see the child die of SIGKILL and go on", seq, false);
            }
            return new Row(t, got + ", child killed, parent ran on", seq, true);
        }
        if (r.result() != null) return new Row(t, got + ", but the call returned " + errnoText(r.result()), seq, false);
        StringBuilder first = new StringBuilder();
        for (String k : v.steps().keySet()) first.append(k).append(' ').append(errnoText(r.steps().get(k))).append(", then ");
        return new Row(t, first + got + ", killed", seq, true);
    }

    private static Row errno(Technique t, Expectation.Errno e, Report r, Run run, List<Integer> violations) {
        if (!violations.isEmpty()) return fail(t, "unexpected violation: " + describe(run.events().get(violations.getFirst())), violations);
        if (r.result() == null) return fail(t, "no result (" + firstLine(run) + ", exit " + run.result().exitCode() + ")", violations);
        if (r.result() != -e.errno()) return fail(t, "returned " + errnoText(r.result()) + ", expected " + e.name(), violations);
        return new Row(t, e.name() + ", no violation", "-", true);
    }

    private static Row contained(Technique t, Expectation.Contained c, Report r, Run run, List<Integer> violations) {
        if (!violations.isEmpty()) return fail(t, "unexpected violation: " + describe(run.events().get(violations.getFirst())), violations);
        if (r.result() == null) return fail(t, "no result (" + firstLine(run) + ", exit " + run.result().exitCode() + ")", violations);
        for (var s : r.steps().entrySet()) {
            if (MountSwapRow.isCanary(s.getKey(), s.getValue())) {
                return fail(t, "GOT THROUGH: a stat answer carried the canary's " + s.getKey() + " " + s.getValue(), violations);
            }
        }
        if (c.errno() != null && r.result() != -c.errno()) {
            return fail(t, "returned " + errnoText(r.result()) + ", expected " + c.name(), violations);
        }
        String what = r.result() < 0 ? errnoText(r.result()) : "acted on the moved file";
        return new Row(t, what + "; canary untouched", "-", true);
    }

    private static Row allowed(Technique t, Expectation.Allowed a, Report r, Run run, List<Integer> violations) {
        if (!violations.isEmpty()) return fail(t, "unexpected violation: " + describe(run.events().get(violations.getFirst())), violations);
        boolean execed = run.events().stream().skip(2).anyMatch(e -> e.type() == Type.EXEC && runs(e, a.path()));
        if (!execed) return fail(t, "no exec event for " + a.path() + " (" + firstLine(run) + ")", violations);
        if (run.result().exitCode() != 0) return fail(t, "exec allowed, but exit " + run.result().exitCode(), violations);
        return new Row(t, "allowed (exec event), exit 0", "-", true);
    }

    private static Row race(Technique t, Report r, Run run, List<Integer> violations) {
        Long rounds = r.result(), good = r.steps().get("good"), denied = r.steps().get("denied"), other = r.steps().get("other");
        if (rounds == null || good == null || denied == null || other == null) {
            return fail(t, "no race summary (" + firstLine(run) + ")", violations);
        }
        for (int i : violations) {
            AuditEvent e = run.events().get(i);
            if (e.type() != Type.EXEC_DENIED || !e.syscall().name().equals("execve")) {
                return fail(t, "unexpected violation: " + describe(e), violations);
            }
        }
        String summary = rounds + " rounds: approved " + good + ", exec_denied " + denied + ", errno " + other;
        if (violations.size() != denied) return fail(t, summary + ", but " + violations.size() + " exec_denied events", violations);
        if (good + denied + other != rounds) return fail(t, summary + " (does not add up)", violations);
        return new Row(t, summary, seqOf(violations), true);
    }

    private static Row returns(Technique t, Expectation.Returns ret, Report r, Run run, List<Integer> violations) {
        if (!violations.isEmpty()) return fail(t, "unexpected violation: " + describe(run.events().get(violations.getFirst())), violations);
        if (r.result() == null) return fail(t, "no result (" + firstLine(run) + ", exit " + run.result().exitCode() + ")", violations);
        if (r.result() != ret.value()) return fail(t, "returned " + r.result() + ", expected " + ret.value(), violations);
        return new Row(t, ret.meaning(), "-", true);
    }

    private static Row everyAttempt(Technique t, Expectation.EveryAttempt every, Report r, Run run, List<Integer> violations) {
        if (!r.attempted()) return fail(t, "the attack never reached an attempt (" + firstLine(run) + ")", violations);
        if (r.result() == null) return fail(t, "the attack did not finish (exit " + run.result().exitCode() + ")", violations);
        for (int i : violations) {
            AuditEvent e = run.events().get(i);
            if (e.type() != every.type() || e.syscall() == null || !e.syscall().name().equals(every.syscall())) {
                return fail(t, "unexpected violation: " + describe(e), violations);
            }
            int pid = e.process().pid();
            boolean killed = run.events().subList(i + 1, run.events().size()).stream()
                    .anyMatch(x -> x.type() == Type.PROCESS_EXIT && x.process() != null && x.process().pid() == pid
                            && Long.valueOf(9).equals(x.details().get("signal")));
            if (!killed) return fail(t, describe(e) + ", but pid " + pid + " did not die of SIGKILL", violations);
        }
        StringBuilder summary = new StringBuilder().append(r.attempts()).append(" attempts, ").append(violations.size())
                .append(" events");
        r.steps().forEach((k, v) -> summary.append(", ").append(k).append(' ').append(v));
        if (violations.size() != r.attempts()) return fail(t, "GOT THROUGH: " + summary + " (an attempt went unrecorded)", violations);
        return new Row(t, summary + ", each killed", seqOf(violations), true);
    }

    /** The audit flood: aggregated (audit_suppressed), then stopped (audit_budget_exceeded, exit 137). */
    private static Row flood(Technique t, Report r, Run run, List<Integer> violations) {
        if (!violations.isEmpty()) return fail(t, "unexpected violation: " + describe(run.events().get(violations.getFirst())), violations);
        if (!r.attempted()) return fail(t, "the attack never reached its attempt (" + firstLine(run) + ")", violations);
        int stop = -1;
        long counted = 0;
        for (int i = 0; i < run.events().size(); i++) {
            AuditEvent e = run.events().get(i);
            if (e.type() == Type.AUDIT_BUDGET_EXCEEDED && stop < 0) stop = i;
            if (e.type() == Type.AUDIT_SUPPRESSED && e.details().get("suppressed") instanceof Map<?, ?> kinds) {
                for (Object k : kinds.values()) if (k instanceof Map<?, ?> m && m.get("count") instanceof Long n) counted += n;
            }
        }
        if (stop < 0) return fail(t, "GOT THROUGH: no audit_budget_exceeded; exit " + run.result().exitCode(), violations);
        String seq = Integer.toString(stop + 1);
        if (counted == 0) return new Row(t, "stopped, but nothing was aggregated first", seq, false);
        String why = run.result().policyStop();
        if (why == null || !why.contains("audit budget") || run.result().exitCode() != 137) {
            return new Row(t, "audit_budget_exceeded, but the container did not stop (exit " + run.result().exitCode() + ")", seq, false);
        }
        return new Row(t, counted + " events aggregated, then audit_budget_exceeded, container stopped", seq, true);
    }

    /** An exec event whose image is {@code path}, or which ran {@code path} as a checked script. */
    private static boolean runs(AuditEvent e, String path) {
        if (e.target() != null && path.equals(e.target().path())) return true;
        return e.details().get("scripts") instanceof List<?> scripts
                && scripts.stream().anyMatch(s -> s instanceof Map<?, ?> m && path.equals(m.get("path")));
    }

    private static Row fail(Technique t, String observed, List<Integer> violations) {
        return new Row(t, observed, seqOf(violations), false);
    }

    private static String seqOf(List<Integer> violations) {
        return violations.isEmpty() ? "-" : Integer.toString(violations.getFirst() + 1);
    }

    private static String describe(AuditEvent e) {
        return e.type().json() + " " + (e.syscall() == null ? "?" : e.syscall().name());
    }

    private static String firstLine(Run run) {
        String out = run.out().strip();
        if (out.isEmpty()) return "no output";
        int nl = out.indexOf('\n');
        return nl < 0 ? out : out.substring(0, nl);
    }

    private static Long number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String errnoText(long ret) {
        if (ret >= 0) return Long.toString(ret);
        String name = switch ((int) -ret) {
            case 1 -> "EPERM";
            case 2 -> "ENOENT";
            case 3 -> "ESRCH";
            case 7 -> "E2BIG";
            case 8 -> "ENOEXEC";
            case 9 -> "EBADF";
            case 11 -> "EAGAIN";
            case 12 -> "ENOMEM";
            case 13 -> "EACCES";
            case 14 -> "EFAULT";
            case 22 -> "EINVAL";
            case 24 -> "EMFILE";
            case 36 -> "ENAMETOOLONG";
            case 38 -> "ENOSYS";
            case 40 -> "ELOOP";
            default -> "errno " + -ret;
        };
        return ret + " (" + name + ")";
    }
}
