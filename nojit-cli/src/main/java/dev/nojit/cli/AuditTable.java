package dev.nojit.cli;

import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.Map;

/**
 * The rows of {@code nojit audit show}: fixed column widths so that rows stream out as they are
 * read (no pass over the whole log to size the columns); long cells are cut with '…', the reason
 * (last) included, so one event is always one row. Every cell is made {@link #clean}: a log's
 * strings are chosen by the guest (paths, argv) or by whoever edited the file.
 */
final class AuditTable {
    private static final String RED = "\u001b[31m", GREEN = "\u001b[32m", RESET = "\u001b[0m";
    private static final String FORMAT = "%6s  %-23s  %-21s  %5s  %-20s  %-14s  %-48s  %s";
    private static final int SEQ = 6, TIME = 23, TYPE = 21, PID = 5, EXE = 20, ACTION = 14, WHAT = 48, REASON = 120;

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
        String row = String.format(FORMAT, cut(e.path("seq").asString(""), SEQ), cut(time(text(e, "time")), TIME),
                cut(text(e, "type"), TYPE), cut(p.has("pid") ? p.get("pid").asString() : "-", PID),
                cut(p.has("exe") ? p.get("exe").asString() : "-", EXE),
                actionCell, cut(what(e), WHAT), cut(text(e, "reason"), REASON)).stripTrailing();
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
     * process ended; or, for audit_suppressed, how many events of each type it counts. An
     * argument that only repeats the target's path is left out.
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
            if (e.path("suppressed").isObject()) {
                for (Map.Entry<String, JsonNode> k : e.get("suppressed").properties()) {
                    b.append(b.isEmpty() ? "" : ", ").append(k.getKey()).append(" ×").append(k.getValue().path("count").asString("?"));
                }
            } else if (e.has("exit_code")) b.append("exit ").append(e.get("exit_code").asString());
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
        return n == null || n.isNull() ? "" : n.asString();
    }

    /**
     * Escapes every character that could drive the terminal or disguise what is shown: controls
     * (Cc: ESC sequences, CR, LF, TAB, C1), format characters (Cf: U+202E and the other bidi
     * controls, zero-width joiners, tags), the line and paragraph separators (U+2028, U+2029),
     * private-use (Co), unassigned (Cn) and unpaired surrogates (Cs). Each becomes visible ASCII:
     * backslash-x1b, backslash-u202e, backslash-U000e0001. Everything else is kept.
     */
    static String clean(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            int n = Character.charCount(c);
            if (unsafe(c)) {
                if (b == null) b = new StringBuilder(s.length() + 16).append(s, 0, i);
                if (c <= 0xff) b.append(String.format("\\x%02x", c));
                else if (c <= 0xffff) b.append(String.format("\\u%04x", c));
                else b.append(String.format("\\U%08x", c));
            } else if (b != null) {
                b.appendCodePoint(c);
            }
            i += n;
        }
        return b == null ? s : b.toString();
    }

    private static boolean unsafe(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.UNASSIGNED, Character.SURROGATE,
                 Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }

    /** {@link #clean}, then at most {@code width} code points, the last one '…' when cut. */
    static String cut(String s, int width) {
        s = clean(s);
        if (s.codePointCount(0, s.length()) <= width) return s;
        return s.substring(0, s.offsetByCodePoints(0, width - 1)) + "…";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
