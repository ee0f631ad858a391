package dev.nojit.cli;

import java.io.PrintWriter;

/**
 * What {@code nojit demo} prints, line by line and thread-safely (the task's output, its errors and
 * the audit events arrive on different threads). Colour only when asked: step headings bold,
 * allowed events green, violations red, nojit's own lines dim.
 */
final class Narrator {
    private static final String BOLD = "\u001b[1m", DIM = "\u001b[2m", RED = "\u001b[31m", GREEN = "\u001b[32m", RESET = "\u001b[0m";

    private final PrintWriter out;
    private final boolean color;

    Narrator(PrintWriter out, boolean color) {
        this.out = out;
        this.color = color;
    }

    synchronized void step(int n, String text) {
        line(paint(BOLD, "[" + n + "] " + text));
    }

    /** An indented detail under the current step. */
    synchronized void detail(String text) {
        line("    " + text);
    }

    /** A line the task printed on its stdout. */
    synchronized void taskOutput(String text) {
        line("    " + paint(DIM, "task |") + " " + AuditTable.clean(text));
    }

    /** A line nojit printed during the run. */
    synchronized void nojitOutput(String text) {
        line("    " + paint(DIM, "nojit| " + AuditTable.clean(text.replaceFirst("^nojit( run)?: ", ""))));
    }

    synchronized void allowed(String text) {
        line("    " + paint(GREEN, "ok   | " + text));
    }

    synchronized void refused(String text) {
        line("    " + paint(RED, "STOP | " + text));
    }

    synchronized void plain(String text) {
        line(text);
    }

    String red(String s) {
        return paint(RED, s);
    }

    String green(String s) {
        return paint(GREEN, s);
    }

    private String paint(String code, String s) {
        return color ? code + s + RESET : s;
    }

    private void line(String s) {
        out.println(s);
        out.flush();
    }
}
