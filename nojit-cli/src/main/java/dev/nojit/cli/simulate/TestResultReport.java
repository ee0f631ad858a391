package dev.nojit.cli.simulate;

import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.dsse.DsseSigner;
import dev.nojit.bundle.dsse.Envelope;
import dev.nojit.bundle.json.CanonicalJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulation's result as an in-toto Statement v1 with the test-result predicate v0.1, in
 * canonical JSON:
 *
 * <pre>
 *   _type          https://in-toto.io/Statement/v1
 *   subject        the nojit under test: {name: "nojit VERSION", digest: {sha256: of its code}} (the
 *                  same digest as a run attestation's nojit.jarSha256), then one per simulation
 *                  bundle: {name: file name, digest: {sha256: megabinary}}
 *   predicateType  https://in-toto.io/attestation/test-result/v0.1
 *   predicate
 *     result         PASSED when every technique passed, else FAILED
 *     configuration  {name: "nojit simulate techniques", digest: {sha256: of the catalogue},
 *                    annotations: {engine: "interpreter" or "aot", aotExecutables: [the container paths
 *                    of the executables that ran AOT classes, sorted; empty under interpreter]}},
 *                    each bundle's signed manifest {name: "FILE manifest", digest: {sha256}}, and
 *                    under --host-lockdown strict the seccomp program the containers' JVM ran
 *                    under {name: "vkernel seccomp filter", digest: {sha256: of the BPF program}}
 *     passedTests, warnedTests (always empty), failedTests   technique names, in table order
 * </pre>
 *
 * Signed, it is a DSSE envelope (payloadType application/vnd.in-toto+json, Ed25519) over those
 * bytes, as the run attestations are.
 */
public final class TestResultReport {
    public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    public static final String PREDICATE_TYPE = "https://in-toto.io/attestation/test-result/v0.1";

    private TestResultReport() {}

    /**
     * {@code seccompSha256}: the filter the simulation JVM installed, or null when it ran without the host lockdown;
     * {@code engine}: the engine mode the bundles were built in ({@code interpreter} or {@code aot}), and
     * {@code aotExecutables} the executables that ran AOT classes.
     */
    public static byte[] statement(List<Row> rows, Map<String, VerifiedBundle> bundles, String nojitName, String nojitSha256,
                                   String seccompSha256, String engine, List<String> aotExecutables) {
        ObjectNode root = CanonicalJson.mapper().createObjectNode();
        root.put("_type", STATEMENT_TYPE);
        ArrayNode subject = root.putArray("subject");
        descriptor(subject, nojitName, nojitSha256);
        Map<String, VerifiedBundle> sorted = new TreeMap<>(bundles);
        for (var e : sorted.entrySet()) descriptor(subject, e.getKey(), e.getValue().megabinarySha256());
        root.put("predicateType", PREDICATE_TYPE);
        ObjectNode p = root.putObject("predicate");
        boolean passed = rows.stream().allMatch(Row::passed);
        p.put("result", passed ? "PASSED" : "FAILED");
        ArrayNode configuration = p.putArray("configuration");
        ObjectNode techniques = descriptor(configuration, "nojit simulate techniques", catalogueDigest(rows));
        ObjectNode annotations = techniques.putObject("annotations");
        annotations.put("engine", engine);
        ArrayNode aot = annotations.putArray("aotExecutables");
        aotExecutables.stream().sorted().forEach(aot::add);
        for (var e : sorted.entrySet()) descriptor(configuration, e.getKey() + " manifest", e.getValue().manifestSha256());
        if (seccompSha256 != null) descriptor(configuration, "vkernel seccomp filter", seccompSha256);
        ArrayNode ok = p.putArray("passedTests");
        p.putArray("warnedTests");
        ArrayNode failed = p.putArray("failedTests");
        for (Row r : rows) (r.passed() ? ok : failed).add(r.technique().name());
        return CanonicalJson.canonicalize(root);
    }

    /** The statement as a DSSE envelope signed with {@code key}. */
    public static byte[] sign(byte[] statement, KeyPair key) {
        return DsseSigner.sign(Envelope.IN_TOTO, statement, key).toJson();
    }

    private static ObjectNode descriptor(ArrayNode list, String name, String sha256) {
        ObjectNode d = list.addObject();
        d.put("name", name);
        d.putObject("digest").put("sha256", sha256);
        return d;
    }

    /** SHA-256 over the techniques run: name, program, profile, entry point and expectation, one line each. */
    private static String catalogueDigest(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        for (Row r : rows) {
            Technique t = r.technique();
            b.append(t.name()).append('\t').append(t.program()).append('\t').append(t.profile().label()).append('\t')
                    .append(t.entry()).append('\t').append(t.expected()).append('\n');
        }
        return Sha256.hex(b.toString().getBytes(StandardCharsets.UTF_8));
    }
}
