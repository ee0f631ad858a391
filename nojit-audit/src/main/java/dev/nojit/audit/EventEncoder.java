package dev.nojit.audit;

import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.json.CanonicalJson;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes events as log lines (docs/audit.md has the format). The line is the RFC 8785
 * canonical JSON of the event object, and its {@code hash} the SHA-256 of the canonical JSON
 * of the same object without {@code hash}.
 *
 * <p>Why member by member: a canonical object is its members sorted by name, each written in
 * canonical form. So every member is encoded on its own as {@code "name":value} bytes: the
 * members that are the same for every event of a type and action (the container, the OCSF
 * fields) once per log, the event's own ({@code process}, {@code syscall}, …) before the log's
 * lock ({@link #body}), and under the lock only {@code seq}, {@code time} and {@code prev} are
 * added, merged into the sorted members and concatenated ({@link #seal}); {@code hash} is then spliced in at
 * its place. {@link CanonicalJson#isCanonical} on every written line (the verifier, the tests)
 * checks that the concatenation is the canonical form.
 */
final class EventEncoder {
    /** Top-level members the log writes itself; an event's details may not reuse these names. */
    static final Set<String> RESERVED = reserved();

    private static final byte[] HASH_NAME = "\"hash\":\"".getBytes(StandardCharsets.US_ASCII);

    /** One top-level member, encoded: {@code "name":value} in canonical form. */
    record Member(String name, byte[] bytes) implements Comparable<Member> {
        @Override
        public int compareTo(Member o) {
            return name.compareTo(o.name); // UTF-16 code unit order, as RFC 8785 sorts
        }
    }

    /** The members of an event that do not depend on its place in the chain, sorted by name (not to be modified). */
    record Body(Member[] members) {}

    /** A sealed line: the bytes to write (ending in '\n') and the event's hash. */
    record Sealed(byte[] line, String hash) {}

    private final Member container;
    private final Map<String, Member[]> fixed = new ConcurrentHashMap<>();

    EventEncoder(ContainerRef container) {
        Map<String, Object> c = Map.of("id", container.id(), "megabinary_sha256", container.megabinarySha256(),
                "manifest_sha256", container.manifestSha256());
        this.container = new Member("container", new CanonicalWriter(256).name("container").object(c, "container", 2).toBytes());
    }

    /**
     * The members of {@code e} that do not depend on its place in the chain, sorted. Runs
     * outside the log's lock.
     *
     * @throws AuditException when a detail reuses a reserved name or holds a value of an unsupported type
     */
    Body body(AuditEvent e) {
        if (e.type() == null || e.action() == null) throw new AuditException("audit event without a type or an action");
        Member[] own = new Member[4 + e.details().size()];
        int n = 0;
        if (e.reason() != null) own[n++] = new Member("reason", new CanonicalWriter(e.reason().length() + 16).name("reason").string(e.reason()).toBytes());
        if (e.process() != null) own[n++] = process(e.process());
        if (e.syscall() != null) own[n++] = syscall(e.syscall());
        if (e.target() != null) own[n++] = target(e.target());
        for (Map.Entry<String, Object> d : e.details().entrySet()) {
            if (d.getValue() == null) continue;
            if (RESERVED.contains(CanonicalWriter.wellFormed(d.getKey()))) {
                throw new AuditException("audit event detail \"" + d.getKey() + "\" reuses a reserved member name");
            }
            own[n++] = new Member(CanonicalWriter.wellFormed(d.getKey()),
                    new CanonicalWriter(64).name(d.getKey()).value(d.getValue(), d.getKey(), 1).toBytes());
        }
        Arrays.sort(own, 0, n);
        for (int i = 1; i < n; i++) {
            if (own[i].name.equals(own[i - 1].name)) throw new AuditException("audit event member " + own[i].name + " given twice");
        }
        // The fixed members are sorted once per type and action; merging is linear.
        Member[] fixedMembers = fixedMembers(e);
        return new Body(merge(fixedMembers, fixedMembers.length, own, n));
    }

    /** Two arrays sorted by name, merged into one. */
    private static Member[] merge(Member[] a, int na, Member[] b, int nb) {
        Member[] out = new Member[na + nb];
        int i = 0, j = 0, k = 0;
        while (i < na && j < nb) out[k++] = a[i].name.compareTo(b[j].name) <= 0 ? a[i++] : b[j++];
        while (i < na) out[k++] = a[i++];
        while (j < nb) out[k++] = b[j++];
        return out;
    }

    // Members of process, syscall and target are written in name order, as canonical JSON sorts them.

    private static Member process(AuditEvent.ProcessRef p) {
        CanonicalWriter w = new CanonicalWriter(256).name("process").raw('{');
        w.name("argv").value(p.argv(), "process.argv", 2);
        if (p.exe() != null) w.raw(',').name("exe").string(p.exe());
        if (p.exeSha256() != null) w.raw(',').name("exe_sha256").string(p.exeSha256());
        w.raw(',').name("pid").number(p.pid()).raw(',').name("ppid").number(p.ppid()).raw('}');
        return new Member("process", w.toBytes());
    }

    private static Member syscall(AuditEvent.SyscallRef s) {
        CanonicalWriter w = new CanonicalWriter(256).name("syscall").raw('{');
        w.name("args").object(s.args(), "syscall.args", 3);
        if (s.name() != null) w.raw(',').name("name").string(s.name());
        w.raw(',').name("nr").number(s.nr()).raw('}');
        return new Member("syscall", w.toBytes());
    }

    private static Member target(AuditEvent.TargetRef t) {
        CanonicalWriter w = new CanonicalWriter(160).name("target").raw('{');
        if (t.path() != null) w.name("path").string(t.path());
        if (t.sha256() != null) {
            if (t.path() != null) w.raw(',');
            w.name("sha256").string(t.sha256());
        }
        return new Member("target", w.raw('}').toBytes());
    }

    /**
     * Completes {@code body} with the chain members and returns the line. Runs under the log's
     * lock: three small members merged into place, one concatenation, one SHA-256.
     */
    Sealed seal(Body body, long seq, Instant time, String prev, MessageDigest sha) {
        Member[] chain = {  // in name order
                new Member("prev", ascii("\"prev\":\"" + prev + "\"")),
                new Member("seq", ascii("\"seq\":" + seq)),
                new Member("time", ascii("\"time\":\"" + time(time) + "\""))};
        Member[] m = merge(body.members(), body.members().length, chain, chain.length);
        // {members before "hash"} ,"hash":"…" {members after}: hash's place, by name.
        int size = 2 + m.length - 1;
        int hashAt = -1;
        for (int i = 0; i < m.length; i++) {
            size += m[i].bytes.length;
            if (hashAt < 0 && m[i].name.compareTo("hash") > 0) hashAt = i;
        }
        if (hashAt < 1) throw new IllegalStateException("an event always has members on both sides of hash");
        int hashLength = HASH_NAME.length + 64 + 1 + 1; // "hash":"<64>" and a comma
        byte[] line = new byte[size + hashLength + 1];
        int at = 0;
        line[at++] = '{';
        int hashOffset = 0;
        for (int i = 0; i < m.length; i++) {
            if (i == hashAt) {
                hashOffset = at; // the comma before this member: hash goes here
                at += hashLength;
            }
            if (i > 0) line[at++] = ',';
            System.arraycopy(m[i].bytes, 0, line, at, m[i].bytes.length);
            at += m[i].bytes.length;
        }
        line[at++] = '}';
        // Hash the object without hash: the line with hash's slot left out.
        sha.update(line, 0, hashOffset);
        sha.update(line, hashOffset + hashLength, at - hashOffset - hashLength);
        String hash = Sha256.toHex(sha.digest());
        int h = hashOffset;
        line[h++] = ',';
        System.arraycopy(HASH_NAME, 0, line, h, HASH_NAME.length);
        h += HASH_NAME.length;
        for (int i = 0; i < 64; i++) line[h++] = (byte) hash.charAt(i);
        line[h] = '"';
        line[at] = '\n';
        return new Sealed(line, hash);
    }

    /** An instant as the log's {@code time}: RFC 3339, UTC, microseconds ("2026-11-29T02:30:01.123456Z"). */
    static String time(Instant t) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
        char[] c = "0000-00-00T00:00:00.000000Z".toCharArray();
        digits(c, 0, 4, d.getYear());
        digits(c, 5, 2, d.getMonthValue());
        digits(c, 8, 2, d.getDayOfMonth());
        digits(c, 11, 2, d.getHour());
        digits(c, 14, 2, d.getMinute());
        digits(c, 17, 2, d.getSecond());
        digits(c, 20, 6, t.getNano() / 1000);
        return new String(c);
    }

    private static void digits(char[] c, int at, int width, int value) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** The SHA-256 (hex) of an event object without its {@code hash} member: what {@code hash} must be. */
    static String hashOf(ObjectNode event) {
        ObjectNode copy = event.deepCopy();
        copy.remove("hash");
        return Sha256.hex(CanonicalJson.canonicalize(copy));
    }

    /** type, action, the container and the OCSF members: the same for every event of a type and action. */
    private Member[] fixedMembers(AuditEvent e) {
        String syscall = e.syscall() == null ? null : e.syscall().name();
        String key = e.type() + "/" + e.action() + "/" + (e.type() == AuditEvent.Type.MEMORY_EXEC_DENIED ? syscall : "");
        return fixed.computeIfAbsent(key, k -> {
            List<Member> out = new ArrayList<>();
            out.add(member("type", e.type().json()));
            out.add(member("action", e.action().json()));
            out.add(container);
            Ocsf.members(e.type(), e.action(), syscall).forEach((name, v) -> out.add(member(name, v)));
            Member[] sorted = out.toArray(Member[]::new);
            Arrays.sort(sorted);
            return sorted;
        });
    }

    private static Member member(String name, Object value) {
        return new Member(name, new CanonicalWriter(64).name(name).value(value, name, 1).toBytes());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static Set<String> reserved() {
        Set<String> s = new java.util.HashSet<>(Arrays.asList("seq", "time", "type", "container", "process", "syscall",
                "target", "action", "reason", "prev", "hash"));
        s.addAll(Ocsf.MEMBERS);
        return Set.copyOf(s);
    }
}
