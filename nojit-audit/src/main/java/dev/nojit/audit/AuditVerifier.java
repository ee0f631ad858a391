package dev.nojit.audit;

import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.json.CanonicalJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * Checks an audit log line by line and names the first line that is wrong. For every line:
 * it ends in '\n' and is at most {@link AuditReader#MAX_LINE} bytes; it is a JSON object in
 * RFC 8785 canonical form; the required members are there with the right types; {@code hash}
 * is the SHA-256 of the event without {@code hash}; {@code seq} is the previous line's plus one,
 * starting at 1; {@code prev} is the previous line's {@code hash}; {@code container} is the same
 * as on line 1. An empty file fails ("no events").
 *
 * <p>What this cannot see on its own: lines cut off at the end of the file (the rest is a valid
 * shorter chain), or a chain rewritten from some line on with every hash recomputed. Both are
 * caught only against a signed statement of the chain's ends (the attestation: its hash is the
 * genesis {@code prev}, and it names the last {@code hash}); {@link Verification#genesis()} and
 * {@link Verification#lastHash()} are what to compare (and {@link Verification#container()} with the digests it names).
 *
 * <p>Use {@link #verify(Path)} for a whole file, or {@link #check} per line to show the events
 * while checking them ({@code nojit audit show}).
 */
public final class AuditVerifier {
    private long expectedSeq = 1;
    private String previousHash;
    private String genesis;
    private byte[] container;
    private ContainerRef containerRef;
    private long events;
    private long badLine;
    private String problem;

    /**
     * The verdict.
     *
     * @param intact   every line checked out (and there was at least one)
     * @param events   lines that checked out, before the first bad one
     * @param genesis  {@code prev} of line 1 (null if line 1 is unreadable)
     * @param lastHash {@code hash} of the last line that checked out (null if none)
     * @param badLine  the first bad line's number, 0 when intact (also 0 for an empty file)
     * @param problem  "line N: what is wrong", or null when intact
     * @param container the run the log names on line 1 (null if line 1 is unreadable): what an
     *                  attestation's megabinary and manifest digests are compared with
     */
    public record Verification(boolean intact, long events, String genesis, String lastHash, long badLine, String problem,
                               ContainerRef container) {}

    /** Reads and checks the whole file, streaming. @throws AuditException when it cannot be read at all */
    public static Verification verify(Path file) {
        AuditVerifier v = new AuditVerifier();
        try (AuditReader r = AuditReader.open(file)) {
            for (AuditReader.Line line = r.next(); line != null && v.intact(); line = r.next()) v.check(line);
        }
        return v.result();
    }

    /** True while no bad line has been seen. */
    public boolean intact() {
        return problem == null;
    }

    /**
     * Checks the next line and returns it as a JSON object when it is one (even if the chain is
     * broken there), or null when it is not. After the first problem, lines are still parsed but
     * no longer checked: the first bad line is the one reported.
     */
    public ObjectNode check(AuditReader.Line line) {
        ObjectNode event = parse(line);
        if (problem != null) return event;
        if (event == null) return null;
        String seqProblem = checkMembers(event);
        if (seqProblem != null) {
            bad(line, seqProblem);
            return event;
        }
        String hash = event.get("hash").stringValue();
        if (!EventEncoder.hashOf(event).equals(hash)) {
            bad(line, "hash does not match its content (edited?)");
            return event;
        }
        long seq = event.get("seq").longValue();
        if (seq != expectedSeq) {
            bad(line, "seq " + seq + " where " + expectedSeq + " expected (line deleted or reordered?)");
            return event;
        }
        String prev = event.get("prev").stringValue();
        byte[] c = CanonicalJson.canonicalize(event.get("container"));
        if (expectedSeq == 1) {
            genesis = prev;
            container = c;
            JsonNode cn = event.get("container");
            containerRef = new ContainerRef(cn.get("id").stringValue(), cn.get("megabinary_sha256").stringValue(),
                    cn.get("manifest_sha256").stringValue());
        } else {
            if (!prev.equals(previousHash)) {
                bad(line, "prev does not match the hash of line " + (line.number() - 1) + " (inserted or reordered?)");
                return event;
            }
            if (!Arrays.equals(c, container)) {
                bad(line, "container differs from line 1 (lines from another run?)");
                return event;
            }
        }
        previousHash = hash;
        expectedSeq++;
        events++;
        return event;
    }

    /** The verdict so far; call after the last line. */
    public Verification result() {
        if (problem == null && events == 0) return new Verification(false, 0, null, null, 0, "no events", null);
        return new Verification(problem == null, events, genesis, previousHash, badLine, problem, containerRef);
    }

    private ObjectNode parse(AuditReader.Line line) {
        if (line.tooLong()) {
            bad(line, "longer than " + (AuditReader.MAX_LINE >> 20) + " MiB");
            return null;
        }
        if (!line.terminated()) {
            bad(line, "truncated: the file does not end with a newline (a write cut short?)");
        }
        if (line.bytes().length == 0) {
            bad(line, "empty line");
            return null;
        }
        byte[] canonical;
        try {
            canonical = CanonicalJson.canonicalize(line.bytes());
        } catch (IllegalArgumentException e) {
            bad(line, "not valid JSON (" + e.getMessage().replaceFirst("^invalid JSON: ", "") + ")");
            return null;
        }
        JsonNode node;
        try {
            node = CanonicalJson.mapper().readTree(canonical);
        } catch (JacksonException e) {
            bad(line, "not valid JSON");
            return null;
        }
        if (!(node instanceof ObjectNode o)) {
            bad(line, "not a JSON object");
            return null;
        }
        if (!Arrays.equals(canonical, line.bytes())) bad(line, "not in RFC 8785 canonical form (re-serialized or edited?)");
        return o;
    }

    /** The required members and their types; null when all are fine. */
    private static String checkMembers(ObjectNode e) {
        JsonNode seq = e.get("seq");
        if (seq == null || !seq.isIntegralNumber() || !seq.canConvertToLong() || seq.longValue() < 1) {
            return "member \"seq\" missing or not a positive integer";
        }
        JsonNode time = e.get("time");
        if (time == null || !time.isString()) return "member \"time\" missing or not a string";
        try {
            Instant.parse(time.stringValue());
        } catch (DateTimeParseException ex) {
            return "member \"time\" is not an RFC 3339 UTC time";
        }
        for (String name : new String[] {"type", "action"}) {
            JsonNode n = e.get(name);
            if (n == null || !n.isString() || n.stringValue().isEmpty()) return "member \"" + name + "\" missing or not a string";
        }
        JsonNode c = e.get("container");
        if (c == null || !c.isObject()) return "member \"container\" missing or not an object";
        for (String name : new String[] {"id", "megabinary_sha256", "manifest_sha256"}) {
            JsonNode n = c.get(name);
            if (n == null || !n.isString()) return "member \"container." + name + "\" missing or not a string";
        }
        for (String name : new String[] {"prev", "hash"}) {
            JsonNode n = e.get(name);
            if (n == null || !n.isString() || !Sha256.isHex(n.stringValue())) {
                return "member \"" + name + "\" missing or not 64 lowercase hex digits";
            }
        }
        return null;
    }

    private void bad(AuditReader.Line line, String what) {
        if (problem != null) return;
        problem = "line " + line.number() + ": " + what;
        badLine = line.number();
    }
}
