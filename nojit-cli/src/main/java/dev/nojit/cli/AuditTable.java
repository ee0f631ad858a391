package dev.nojit.cli;

import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.Map;

/**
 * The rows of {@code nojit audit show}: fixed column widths so that rows stream out as they are
 * read (no pass over the whole log to size the columns); long cells are cut with '…'. The
 * reason, last, is never cut.
 */
final class AuditTable {
    private static final String RED = "\u001b[31m", GREEN = "\u001b[32m", RESET = "\u001b[0m";
    private static final String FORMAT = "%6s  %-23s  %-18s  %5s  %-20s  %-14s  %-48s  %s";
    private static final int EXE = 20, ACTION = 14, WHAT = 48;

    private final PrintWriter out;
    private final boolean color;

    AuditTable(PrintWriter out, boolean color) {
        this.out = out;
        this.color = color;
    }

    void header() {
        out.println(String.format(FORMAT, "SEQ", "TIME (UTC)", "TYPE", "PID", "EXE", "ACTION", "WHAT", "REASON").stripTrailing());
    }

    void row(JsonNode e) {
        String action = text(e, "action");
        boolean violation = !"allowed".equals(action) || e.path("disposition_id").asInt() == 2;
        JsonNode p = e.path("process");
        String actionCell = pad(cut(action, ACTION), ACTION);
        if (color && !violation) actionCell = GREEN + actionCell + RESET;
        String row = String.format(FORMAT, e.path("seq").asString(""), time(text(e, "time")), text(e, "type"),
                p.has("pid") ? p.get("pid").asString() : "-", cut(p.has("exe") ? p.get("exe").asString() : "-", EXE),
                actionCell, cut(what(e), WHAT), text(e, "reason")).stripTrailing();
        out.println(color && violation ? RED + row + RESET : row);
    }

    void unreadable(long lineNumber) {
        out.println(red(String.format("%6s  (line %d is not an event: see below)", "?", lineNumber)));
    }

    String red(String s) {
        return color ? RED + s + RESET : s;
    }

    /** "2026-11-29T02:30:01.123456Z" → "2026-11-29 02:30:01.123". */
    private static String time(String t) {
        if (t.length() >= 23 && t.charAt(10) == 'T') return t.substring(0, 10) + " " + t.substring(11, 23);
        return t;
    }

    /**
     * The syscall and its arguments, then the target file with the start of its hash; or how a
     * process ended. An argument that only repeats the target's path is left out.
     */
    static String what(JsonNode e) {
        StringBuilder b = new StringBuilder();
        JsonNode t = e.path("target");
        String targetPath = t.path("path").asString("");
        JsonNode s = e.path("syscall");
        if (s.isObject()) {
            b.append(s.path("name").asString("?"));
            for (Map.Entry<String, JsonNode> a : s.path("args").properties()) {
                if (a.getValue().isString() && a.getValue().asString().equals(targetPath)) continue;
                b.append(' ').append(a.getKey()).append('=').append(value(a.getValue()));
            }
        }
        if (t.isObject()) {
            if (!b.isEmpty()) b.append(' ');
            b.append(targetPath.isEmpty() ? "?" : targetPath);
            if (t.has("sha256")) b.append(" sha256:").append(t.get("sha256").asString(), 0, Math.min(12, t.get("sha256").asString().length()));
        }
        if (b.isEmpty()) {
            if (e.has("exit_code")) b.append("exit ").append(e.get("exit_code").asString());
            else if (e.has("signal")) b.append("signal ").append(e.get("signal").asString());
        }
        return b.toString();
    }

    private static String value(JsonNode v) {
        if (v.isString()) return v.asString();
        if (v.isArray()) {
            StringBuilder b = new StringBuilder();
            for (JsonNode x : v) b.append(b.isEmpty() ? "" : "|").append(value(x));
            return b.toString();
        }
        return v.toString();
    }

    private static String text(JsonNode e, String name) {
        JsonNode n = e.get(name);
        return n == null || n.isNull() ? "" : clean(n.asString());
    }

    /** Control characters (escape sequences from a guest-chosen path or argv) must not drive the terminal. */
    static String clean(String s) {
        return s.replaceAll("[\\p{Cntrl}\\u0080-\\u009f]", "?");
    }

    private static String cut(String s, int width) {
        s = clean(s);
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
