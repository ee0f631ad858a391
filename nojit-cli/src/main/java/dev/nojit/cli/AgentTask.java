package dev.nojit.cli;

import java.util.List;

/**
 * One of the demo's agent tasks (guests/example/README): the script run as process 1, the useful
 * work it must get done (recognised by a line it prints), and the attacks the policy must refuse
 * and record exactly once each, by the path of the refused file.
 *
 * @param script         the task's image path, started through its {@code #!} line
 * @param usefulWork     what the useful work is, for the verdict's first row
 * @param summaryLine    a line (part) the task prints only when the useful work succeeded
 * @param attacks        what it tries that must be refused, in the order it tries them
 * @param timeoutSeconds bounds a broken run (a healthy one ends well before)
 */
record AgentTask(String script, String usefulWork, String summaryLine, List<Attack> attacks, long timeoutSeconds) {
    /** An attempt to run code no manifest lists: the verdict's step name and the refused file. */
    record Attack(String step, String path) {}

    AgentTask {
        attacks = List.copyOf(attacks);
    }

    List<String> refusedPaths() {
        return attacks.stream().map(Attack::path).toList();
    }
}
