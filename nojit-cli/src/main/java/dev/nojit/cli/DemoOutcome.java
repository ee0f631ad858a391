package dev.nojit.cli;

import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The demo's verdict on an agent task's run: one row per thing the seed's story expects — the
 * useful work succeeds, each attack of the task (a downloaded ELF, a written script run or read as
 * code, a written module imported) is refused and recorded once, nothing else is refused, the task
 * ends normally — each with what was observed and the audit event that shows it.
 */
record DemoOutcome(List<Row> rows) {
    private static final String FORMAT = "    %-48s  %-26s  %-40s  %s";

    record Row(String step, String expected, String observed, String seq, boolean ok) {}

    static DemoOutcome judge(AgentTask task, int exitCode, List<String> output, List<ObjectNode> events) {
        List<Row> rows = new ArrayList<>();
        boolean summary = output.stream().anyMatch(l -> l.contains(task.summaryLine()));
        long execs = events.stream().filter(e -> "exec".equals(LiveRun.text(e, "type"))).count();
        rows.add(new Row("useful work: " + task.usefulWork(), "runs, prints the summary",
                summary ? "ran (" + execs + " listed programs started)" : "no summary printed", seqs(events, e -> "exec".equals(LiveRun.text(e, "type"))), summary));
        for (AgentTask.Attack a : task.attacks()) rows.add(refusal(events, a.step(), a.path()));
        List<String> refused = task.refusedPaths();
        List<ObjectNode> others = events.stream().filter(LiveRun::isViolation)
                .filter(e -> !refused.contains(e.path("target").path("path").asString(""))).toList();
        rows.add(new Row("anything else refused", "nothing", others.isEmpty() ? "nothing" : others.size() + " other violations",
                others.isEmpty() ? "-" : seqs(others, e -> true), others.isEmpty()));
        rows.add(new Row("the task carries on and ends", "exit 0", "exit " + exitCode, "-", exitCode == 0));
        return new DemoOutcome(List.copyOf(rows));
    }

    private static Row refusal(List<ObjectNode> events, String step, String path) {
        List<ObjectNode> hits = events.stream()
                .filter(e -> "exec_denied".equals(LiveRun.text(e, "type")) && path.equals(e.path("target").path("path").asString(""))).toList();
        if (hits.isEmpty()) return new Row(step, "refused, recorded", "NOT refused or not recorded", "-", false);
        ObjectNode e = hits.getFirst();
        String observed = "refused: exec_denied, " + LiveRun.text(e, "action");
        return new Row(step, "refused, recorded", observed, "#" + LiveRun.text(e, "seq"), hits.size() == 1);
    }

    private static String seqs(List<ObjectNode> events, Predicate<ObjectNode> which) {
        List<String> s = events.stream().filter(which).map(e -> "#" + LiveRun.text(e, "seq")).toList();
        if (s.isEmpty()) return "-";
        return s.size() <= 3 ? String.join(",", s) : s.getFirst() + "…" + s.getLast();
    }

    boolean allAsExpected() {
        return rows.stream().allMatch(Row::ok);
    }

    void print(Narrator say) {
        say.plain(String.format(FORMAT, "STEP", "EXPECTED", "OBSERVED", "AUDIT").stripTrailing());
        for (Row r : rows) {
            String line = String.format(FORMAT, r.step(), r.expected(), r.observed(), r.seq()).stripTrailing();
            say.plain(r.ok() ? line : say.red(line + "   <- not as expected"));
        }
    }
}
