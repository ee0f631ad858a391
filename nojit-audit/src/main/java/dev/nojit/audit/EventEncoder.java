package dev.nojit.audit;

import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.json.CanonicalJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes events as log lines (docs/audit.md has the format). The line is the RFC 8785
 * canonical JSON of the event object, and its {@code hash} the SHA-256 of the canonical JSON
 * of the same object without {@code hash}.
 *
 * <p>Why member by member: a canonical object is its members sorted by name, each written in
 * canonical form. So every member that does not depend on the event's place in the chain is
 * canonicalized once, before the log's lock ({@link #body}); under the lock only {@code seq},
 * {@code time} and {@code prev} are added and the sorted members are concatenated
 * ({@link #seal}). {@link CanonicalJson#isCanonical} on every written line (the verifier, the
 * tests) checks that the concatenation is the canonical form.
 */
final class EventEncoder {
    /** Top-level members the log writes itself; an event's details may not reuse these names. */
    static final Set<String> RESERVED = reserved();

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, byte[]> NAMES = new ConcurrentHashMap<>();
    private static final Map<String, Map<String, byte[]>> OCSF = new ConcurrentHashMap<>();

    private final byte[] container;

    EventEncoder(ContainerRef container) {
        ObjectNode c = NODES.objectNode();
        c.put("id", container.id());
        c.put("megabinary_sha256", container.megabinarySha256());
        c.put("manifest_sha256", container.manifestSha256());
        this.container = canonical(c, "container");
    }

    /** A sealed line: the bytes to write (ending in '\n') and the event's hash. */
    record Sealed(byte[] line, String hash) {}

    /**
     * The members of {@code e} that do not depend on its place in the chain, each in canonical
     * form, sorted by name. Runs outside the log's lock.
     *
     * @throws AuditException when a detail reuses a reserved name or holds a value of an unsupported type
     */
    TreeMap<String, byte[]> body(AuditEvent e) {
        if (e.type() == null || e.action() == null) throw new AuditException("audit event without a type or an action");
        TreeMap<String, byte[]> m = new TreeMap<>();
        m.put("type", canonical(NODES.stringNode(e.type().json()), "type"));
        m.put("action", canonical(NODES.stringNode(e.action().json()), "action"));
        m.put("container", container);
        if (e.reason() != null) m.put("reason", canonical(NODES.stringNode(JsonValues.wellFormed(e.reason())), "reason"));
        if (e.process() != null) {
            AuditEvent.ProcessRef p = e.process();
            ObjectNode o = NODES.objectNode();
            o.put("pid", p.pid());
            o.put("ppid", p.ppid());
            if (p.exe() != null) o.put("exe", JsonValues.wellFormed(p.exe()));
            if (p.exeSha256() != null) o.put("exe_sha256", p.exeSha256());
            o.set("argv", JsonValues.node(p.argv(), "process.argv"));
            m.put("process", canonical(o, "process"));
        }
        if (e.syscall() != null) {
            AuditEvent.SyscallRef s = e.syscall();
            ObjectNode o = NODES.objectNode();
            if (s.name() != null) o.put("name", JsonValues.wellFormed(s.name()));
            o.put("nr", s.nr());
            o.set("args", JsonValues.object(s.args(), "syscall.args"));
            m.put("syscall", canonical(o, "syscall"));
        }
        if (e.target() != null) {
            ObjectNode o = NODES.objectNode();
            if (e.target().path() != null) o.put("path", JsonValues.wellFormed(e.target().path()));
            if (e.target().sha256() != null) o.put("sha256", e.target().sha256());
            m.put("target", canonical(o, "target"));
        }
        for (Map.Entry<String, Object> d : e.details().entrySet()) {
            if (d.getValue() == null) continue;
            if (RESERVED.contains(d.getKey())) {
                throw new AuditException("audit event detail \"" + d.getKey() + "\" reuses a reserved member name");
            }
            m.put(d.getKey(), canonical(JsonValues.node(d.getValue(), d.getKey()), d.getKey()));
        }
        m.putAll(ocsf(e));
        return m;
    }

    /**
     * Completes {@code body} with the chain members and returns the line. Runs under the log's
     * lock: a handful of small canonical values, two concatenations and one SHA-256.
     */
    Sealed seal(TreeMap<String, byte[]> body, long seq, Instant time, String prev, MessageDigest sha) {
        body.put("seq", Long.toString(seq).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        body.put("time", quoted(TIME.format(time)));
        body.put("prev", quoted(prev));
        byte[] withoutHash = object(body, 0);
        String hash = Sha256.toHex(sha.digest(withoutHash));
        body.put("hash", quoted(hash));
        byte[] line = object(body, 1);
        line[line.length - 1] = '\n';
        return new Sealed(line, hash);
    }

    /** Formats an instant as the log's {@code time} does (RFC 3339, UTC, microseconds). */
    static String time(Instant t) {
        return TIME.format(t);
    }

    /** The SHA-256 (hex) of an event object without its {@code hash} member: what {@code hash} must be. */
    static String hashOf(ObjectNode event) {
        ObjectNode copy = event.deepCopy();
        copy.remove("hash");
        return Sha256.hex(CanonicalJson.canonicalize(copy));
    }

    private static Map<String, byte[]> ocsf(AuditEvent e) {
        String syscall = e.syscall() == null ? null : e.syscall().name();
        String key = e.type() + "/" + e.action() + "/" + (e.type() == AuditEvent.Type.MEMORY_EXEC_DENIED ? syscall : "");
        return OCSF.computeIfAbsent(key, k -> {
            Map<String, byte[]> out = new TreeMap<>();
            Ocsf.members(e.type(), e.action(), syscall).forEach((name, v) -> out.put(name, canonical(JsonValues.node(v, name), name)));
            return Map.copyOf(out);
        });
    }

    /** Concatenates sorted canonical members into one canonical object, with {@code tail} spare bytes at the end. */
    private static byte[] object(TreeMap<String, byte[]> members, int tail) {
        int size = 2 + tail + Math.max(0, members.size() - 1); // braces, spare tail, commas
        for (Map.Entry<String, byte[]> m : members.entrySet()) size += name(m.getKey()).length + 1 + m.getValue().length;
        byte[] out = new byte[size];
        int at = 0;
        out[at++] = '{';
        boolean first = true;
        for (Map.Entry<String, byte[]> m : members.entrySet()) {
            if (!first) out[at++] = ',';
            first = false;
            byte[] n = name(m.getKey());
            System.arraycopy(n, 0, out, at, n.length);
            at += n.length;
            out[at++] = ':';
            System.arraycopy(m.getValue(), 0, out, at, m.getValue().length);
            at += m.getValue().length;
        }
        out[at] = '}';
        return out;
    }

    private static byte[] name(String name) {
        return NAMES.computeIfAbsent(name, n -> CanonicalJson.canonicalize(NODES.stringNode(n)));
    }

    /** A string known to need no escaping (hex digits, the formatted time). */
    private static byte[] quoted(String ascii) {
        byte[] out = new byte[ascii.length() + 2];
        out[0] = '"';
        for (int i = 0; i < ascii.length(); i++) out[i + 1] = (byte) ascii.charAt(i);
        out[out.length - 1] = '"';
        return out;
    }

    private static byte[] canonical(JsonNode node, String where) {
        try {
            return CanonicalJson.canonicalize(node);
        } catch (IllegalArgumentException ex) {
            throw new AuditException("audit event member " + where + " has no canonical JSON form: " + ex.getMessage());
        }
    }

    private static Set<String> reserved() {
        Set<String> s = new java.util.HashSet<>(Arrays.asList("seq", "time", "type", "container", "process", "syscall",
                "target", "action", "reason", "prev", "hash"));
        s.addAll(Ocsf.MEMBERS);
        return Set.copyOf(s);
    }
}
