package dev.nojit.audit.attest;

import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.json.CanonicalJson;
import dev.nojit.bundle.json.StrictObject;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The run attestation's JSON form: an in-toto Statement v1 in RFC 8785 canonical JSON (SPEC §6).
 *
 * <pre>{@code
 * {
 *   "_type": "https://in-toto.io/Statement/v1",
 *   "subject": [{"name": "megabinary", "digest": {"sha256": "<hex>"}},      // exactly these two, in this order
 *               {"name": "manifest",   "digest": {"sha256": "<hex>"}}],
 *   "predicateType": "https://nojit.dev/attestation/run/v1",
 *   "predicate": {
 *     "phase": "start",                                                      // or "stop"
 *     "container": {"id": "3f9c0a1b2c3d4e5f", "startTime": "2026-11-29T02:30:01.123456Z"},
 *     "nojit": {"version": "0.1.0", "jarSha256": "<hex>"},
 *     "engine": "interpreter",                                               // or "aot" (the manifest policy's)
 *     "aotExecutables": ["/bin/lua"],                                        // only with "aot": which executables run AOT
 *     "hostLockdown": {
 *       "mode": "strict",                                                    // or "off"
 *       "seccomp": {"installed": true, "sha256": "<hex of the BPF program>", "rules": 31},   // sha256 absent when not installed
 *       "shimSeccomp": {"installed": true, "sha256": "<hex>", "rules": 31},  // the shim's own filter, same shape
 *       "landlock": {"abi": 6, "enforced": true,
 *                    "rules": [{"path": "/usr/lib/jvm/temurin-25-jdk-amd64", "access": ["read_file", "read_dir"]}]},
 *       "noNewPrivs": true,
 *       "jvm": {"jit": "on", "flags": ["-XX:ReservedCodeCacheSize=48m", "-XX:InitialCodeCacheSize=48m"],
 *               "nativeAccess": {"module": "dev.nojit.host", "sha256": "<hex of its jar>"},   // or {"module": "ALL-UNNAMED"}
 *               "aotCacheSha256": "<hex>", "shimAotCacheSha256": "<hex>"}   // each absent when that JVM used no AOT cache
 *     },
 *     // the stop statement only:
 *     "start": {"sha256": "<the start statement's digest = the audit log's genesis>"},
 *     "stopTime": "2026-11-29T02:30:04.000001Z",
 *     "exitCode": 0,
 *     "audit": {"lastHash": "<hash of the log's last event>", "events": 42}
 *   }
 * }
 * }</pre>
 *
 * Times are RFC 3339 UTC with exactly six fraction digits, like the audit log's {@code time}.
 * The reader is strict: the payload must be canonical, every member present with its type, no
 * unknown member (the error names the field by its path), the four stop members present exactly
 * when {@code phase} is {@code stop}, and re-encoding the decoded statement must give the same
 * bytes — so each statement has exactly one accepted encoding.
 */
public final class AttestationCodec {
    public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    public static final String PREDICATE_TYPE = "https://nojit.dev/attestation/run/v1";
    private static final String CONTEXT = "attestation";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final List<String> SUBJECTS = List.of("megabinary", "manifest");

    private AttestationCodec() {}

    /** The canonical JSON bytes of the statement: the DSSE payload, whose SHA-256 is the statement's digest. */
    public static byte[] encode(RunAttestation a) {
        ObjectNode root = CanonicalJson.mapper().createObjectNode();
        root.put("_type", STATEMENT_TYPE);
        ArrayNode subject = root.putArray("subject");
        subject(subject, "megabinary", a.megabinarySha256());
        subject(subject, "manifest", a.manifestSha256());
        root.put("predicateType", PREDICATE_TYPE);
        ObjectNode p = root.putObject("predicate");
        p.put("phase", a.phase().json());
        ObjectNode container = p.putObject("container");
        container.put("id", a.containerId());
        container.put("startTime", TIME.format(a.startTime()));
        ObjectNode nojit = p.putObject("nojit");
        nojit.put("version", a.nojitVersion());
        nojit.put("jarSha256", a.jarSha256());
        p.put("engine", a.engine());
        if (!a.aotExecutables().isEmpty()) {
            ArrayNode aot = p.putArray("aotExecutables");
            a.aotExecutables().forEach(aot::add);
        }
        p.set("hostLockdown", lockdown(a.lockdown()));
        if (a.stop() != null) {
            RunAttestation.Stop s = a.stop();
            p.putObject("start").put("sha256", s.startSha256());
            p.put("stopTime", TIME.format(s.stopTime()));
            p.put("exitCode", s.exitCode());
            ObjectNode audit = p.putObject("audit");
            audit.put("lastHash", s.auditLastHash());
            audit.put("events", s.auditEvents());
        }
        return CanonicalJson.canonicalize(root);
    }

    private static void subject(ArrayNode list, String name, String sha256) {
        ObjectNode s = list.addObject();
        s.put("name", name);
        s.putObject("digest").put("sha256", sha256);
    }

    private static ObjectNode lockdown(HostLockdown l) {
        ObjectNode o = CanonicalJson.mapper().createObjectNode();
        o.put("mode", l.mode());
        seccomp(o.putObject("seccomp"), l.seccomp());
        seccomp(o.putObject("shimSeccomp"), l.shimSeccomp());
        ObjectNode landlock = o.putObject("landlock");
        landlock.put("abi", l.landlock().abi());
        landlock.put("enforced", l.landlock().enforced());
        ArrayNode rules = landlock.putArray("rules");
        for (HostLockdown.Rule r : l.landlock().rules()) {
            ObjectNode rule = rules.addObject();
            rule.put("path", r.path());
            ArrayNode access = rule.putArray("access");
            r.access().forEach(access::add);
        }
        o.put("noNewPrivs", l.noNewPrivs());
        ObjectNode jvm = o.putObject("jvm");
        jvm.put("jit", l.jvm().jit());
        ArrayNode flags = jvm.putArray("flags");
        l.jvm().flags().forEach(flags::add);
        ObjectNode nativeAccess = jvm.putObject("nativeAccess");
        nativeAccess.put("module", l.jvm().nativeAccess().module());
        if (l.jvm().nativeAccess().sha256() != null) nativeAccess.put("sha256", l.jvm().nativeAccess().sha256());
        if (l.jvm().aotCacheSha256() != null) jvm.put("aotCacheSha256", l.jvm().aotCacheSha256());
        if (l.jvm().shimAotCacheSha256() != null) jvm.put("shimAotCacheSha256", l.jvm().shimAotCacheSha256());
        return o;
    }

    private static void seccomp(ObjectNode o, HostLockdown.Seccomp s) {
        o.put("installed", s.installed());
        if (s.sha256() != null) o.put("sha256", s.sha256());
        o.put("rules", s.rules());
    }

    /** Parses and fully validates a statement (a verified DSSE payload). */
    public static RunAttestation decode(byte[] payload) throws AttestationException {
        JsonNode root;
        try {
            root = CanonicalJson.mapper().readTree(payload);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new AttestationException("attestation statement is not valid JSON");
        }
        if (!CanonicalJson.isCanonical(payload)) throw new AttestationException("attestation statement is not in RFC 8785 canonical form");
        RunAttestation a;
        try {
            a = read(root);
        } catch (BundleException e) {
            throw new AttestationException(e.getMessage());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new AttestationException("attestation: " + e.getMessage());
        }
        if (!Arrays.equals(encode(a), payload)) {
            throw new AttestationException("attestation statement is not in its one accepted encoding (a time or number spelled differently?)");
        }
        return a;
    }

    private static RunAttestation read(JsonNode root) throws BundleException {
        StrictObject st = StrictObject.of(root, "", CONTEXT);
        String type = st.string("_type");
        if (!STATEMENT_TYPE.equals(type)) throw st.invalid("_type", "is '" + type + "', not " + STATEMENT_TYPE);
        String predicateType = st.string("predicateType");
        if (!PREDICATE_TYPE.equals(predicateType)) {
            throw st.invalid("predicateType", "is '" + predicateType + "', not " + PREDICATE_TYPE + " (not a nojit run attestation)");
        }
        List<String> digests = subjects(st);
        StrictObject p = st.object("predicate");
        st.noOtherMembers();

        String phase = p.string("phase");
        boolean stop = switch (phase) {
            case "start" -> false;
            case "stop" -> true;
            default -> throw p.invalid("phase", "is '" + phase + "', not start or stop");
        };
        StrictObject container = p.object("container");
        String id = container.string("id");
        Instant startTime = time(container, "startTime");
        container.noOtherMembers();
        StrictObject nojit = p.object("nojit");
        String version = nojit.string("version");
        String jar = hex(nojit, "jarSha256");
        nojit.noOtherMembers();
        String engine = p.string("engine");
        List<String> aotExecutables = p.has("aotExecutables") ? p.stringArray("aotExecutables") : List.of();
        if (p.has("aotExecutables") && aotExecutables.isEmpty()) throw p.invalid("aotExecutables", "is present but empty");
        HostLockdown lockdown = lockdown(p.object("hostLockdown"));
        RunAttestation.Stop s = null;
        if (stop) {
            StrictObject start = p.object("start");
            String startSha = hex(start, "sha256");
            start.noOtherMembers();
            Instant stopTime = time(p, "stopTime");
            long exit = p.integer("exitCode");
            if (exit < 0 || exit > 255) throw p.invalid("exitCode", "must be 0..255");
            StrictObject audit = p.object("audit");
            String lastHash = hex(audit, "lastHash");
            long events = audit.integer("events");
            if (events < 1) throw audit.invalid("events", "must be at least 1");
            audit.noOtherMembers();
            s = new RunAttestation.Stop(startSha, stopTime, (int) exit, lastHash, events);
        }
        p.noOtherMembers();
        return new RunAttestation(id, startTime, digests.get(0), digests.get(1), version, jar, engine, aotExecutables, lockdown, s);
    }

    /** The subject list: megabinary then manifest, each with only a sha256 digest. */
    private static List<String> subjects(StrictObject st) throws BundleException {
        List<JsonNode> items = st.array("subject");
        if (items.size() != SUBJECTS.size()) throw st.invalid("subject", "must list exactly megabinary and manifest");
        List<String> digests = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            StrictObject s = StrictObject.of(items.get(i), "subject[" + i + "]", CONTEXT);
            String name = s.string("name");
            if (!SUBJECTS.get(i).equals(name)) throw s.invalid("name", "is '" + name + "', not " + SUBJECTS.get(i));
            StrictObject digest = s.object("digest");
            digests.add(hex(digest, "sha256"));
            digest.noOtherMembers();
            s.noOtherMembers();
        }
        return digests;
    }

    private static HostLockdown lockdown(StrictObject o) throws BundleException {
        String mode = o.string("mode");
        if (!HostLockdown.MODES.contains(mode)) throw o.invalid("mode", "is '" + mode + "', not strict or off");
        HostLockdown.Seccomp seccomp = seccomp(o.object("seccomp"));
        HostLockdown.Seccomp shimSeccomp = seccomp(o.object("shimSeccomp"));
        StrictObject ll = o.object("landlock");
        int abi = smallInt(ll, "abi");
        boolean enforced = ll.bool("enforced");
        List<JsonNode> items = ll.array("rules");
        List<HostLockdown.Rule> rules = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            StrictObject r = StrictObject.of(items.get(i), ll.path("rules") + "[" + i + "]", CONTEXT);
            String path = r.string("path");
            List<String> access = r.stringArray("access");
            r.noOtherMembers();
            rules.add(new HostLockdown.Rule(path, access));
        }
        ll.noOtherMembers();
        boolean nnp = o.bool("noNewPrivs");
        StrictObject jvm = o.object("jvm");
        String jit = jvm.string("jit");
        List<String> flags = jvm.stringArray("flags");
        StrictObject na = jvm.object("nativeAccess");
        String module = na.string("module");
        String moduleSha = na.has("sha256") ? hex(na, "sha256") : null;
        na.noOtherMembers();
        String aot = jvm.has("aotCacheSha256") ? hex(jvm, "aotCacheSha256") : null;
        String shimAot = jvm.has("shimAotCacheSha256") ? hex(jvm, "shimAotCacheSha256") : null;
        jvm.noOtherMembers();
        o.noOtherMembers();
        return new HostLockdown(mode, seccomp, shimSeccomp, new HostLockdown.Landlock(abi, enforced, rules),
                nnp, new HostLockdown.Jvm(jit, flags, new HostLockdown.NativeAccess(module, moduleSha), aot, shimAot));
    }

    private static HostLockdown.Seccomp seccomp(StrictObject sc) throws BundleException {
        boolean installed = sc.bool("installed");
        String sha = sc.has("sha256") ? hex(sc, "sha256") : null;
        int rules = smallInt(sc, "rules");
        sc.noOtherMembers();
        return new HostLockdown.Seccomp(installed, sha, rules);
    }

    private static String hex(StrictObject o, String key) throws BundleException {
        String v = o.string(key);
        if (!Sha256.isHex(v)) throw o.invalid(key, "must be 64 lowercase hex digits");
        return v;
    }

    private static int smallInt(StrictObject o, String key) throws BundleException {
        long v = o.integer(key);
        if (v < 0 || v > Integer.MAX_VALUE) throw o.invalid(key, "must be a non-negative integer");
        return (int) v;
    }

    private static Instant time(StrictObject o, String key) throws BundleException {
        String text = o.string(key);
        try {
            Instant t = Instant.from(TIME.parse(text));
            if (!TIME.format(t).equals(text)) throw new DateTimeParseException("", text, 0);
            return t;
        } catch (DateTimeParseException e) {
            throw o.invalid(key, "must be RFC 3339 UTC with six fraction digits, like 2026-11-29T02:30:01.123456Z");
        }
    }
}
