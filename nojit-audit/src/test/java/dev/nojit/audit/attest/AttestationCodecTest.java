package dev.nojit.audit.attest;

import dev.nojit.bundle.json.CanonicalJson;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The statement's JSON form (SPEC §6): the documented shape, a round trip, and a strict reader. */
class AttestationCodecTest {
    static final RunAttestation START = SampleRun.startStatement("3f9c0a1b2c3d4e5f");
    static final RunAttestation STOP = START.stopped(new RunAttestation.Stop("1".repeat(64),
            Instant.parse("2026-11-29T02:30:04.000001Z"), 137, "2".repeat(64), 42));

    @Test
    void startStatementIsAnInTotoStatementWithTheTwoSubjectsAndTheLockdownInForce() throws Exception {
        JsonNode s = CanonicalJson.mapper().readTree(AttestationCodec.encode(START));
        assertThat(s.get("_type").stringValue()).isEqualTo("https://in-toto.io/Statement/v1");
        assertThat(s.get("predicateType").stringValue()).isEqualTo("https://nojit.dev/attestation/run/v1");
        assertThat(s.get("subject").toString()).isEqualTo("[{\"digest\":{\"sha256\":\"" + "a".repeat(64) + "\"},\"name\":\"megabinary\"},"
                + "{\"digest\":{\"sha256\":\"" + "b".repeat(64) + "\"},\"name\":\"manifest\"}]");
        JsonNode p = s.get("predicate");
        assertThat(p.get("phase").stringValue()).isEqualTo("start");
        assertThat(p.get("container").toString()).isEqualTo("{\"id\":\"3f9c0a1b2c3d4e5f\",\"startTime\":\"2026-11-29T02:30:01.123456Z\"}");
        assertThat(p.get("nojit").get("jarSha256").stringValue()).isEqualTo("c".repeat(64));
        assertThat(p.get("engine").stringValue()).isEqualTo("interpreter");
        JsonNode l = p.get("hostLockdown");
        assertThat(l.get("mode").stringValue()).isEqualTo("strict");
        assertThat(l.get("seccomp").toString()).isEqualTo("{\"installed\":true,\"rules\":31,\"sha256\":\"" + "d".repeat(64) + "\"}");
        assertThat(l.get("landlock").get("abi").intValue()).isEqualTo(6);
        assertThat(l.get("landlock").get("rules").get(1).toString()).isEqualTo("{\"access\":[\"read_file\"],\"path\":\"/dev/urandom\"}");
        assertThat(l.get("noNewPrivs").booleanValue()).isTrue();
        assertThat(l.get("jvm").get("flags").get(0).stringValue()).isEqualTo("-XX:ReservedCodeCacheSize=48m");
        assertThat(p.has("audit")).as("only the stop statement has the log's end").isFalse();
    }

    @Test
    void stopStatementAddsStartDigestStopTimeExitCodeAndTheLogsEnd() throws Exception {
        JsonNode p = CanonicalJson.mapper().readTree(AttestationCodec.encode(STOP)).get("predicate");
        assertThat(p.get("phase").stringValue()).isEqualTo("stop");
        assertThat(p.get("start").toString()).isEqualTo("{\"sha256\":\"" + "1".repeat(64) + "\"}");
        assertThat(p.get("stopTime").stringValue()).isEqualTo("2026-11-29T02:30:04.000001Z");
        assertThat(p.get("exitCode").intValue()).isEqualTo(137);
        assertThat(p.get("audit").toString()).isEqualTo("{\"events\":42,\"lastHash\":\"" + "2".repeat(64) + "\"}");
    }

    @Test
    void roundTripsAndIsCanonical() throws Exception {
        for (RunAttestation a : List.of(START, STOP, offStatement())) {
            byte[] bytes = AttestationCodec.encode(a);
            assertThat(CanonicalJson.isCanonical(bytes)).isTrue();
            assertThat(AttestationCodec.decode(bytes)).isEqualTo(a);
        }
        assertThat(STOP.asStart()).isEqualTo(START);
    }

    static RunAttestation offStatement() {
        HostLockdown off = new HostLockdown("off", HostLockdown.Seccomp.none(), HostLockdown.Seccomp.none(), HostLockdown.Landlock.none(6), false,
                new HostLockdown.Jvm("off", List.of("-Xint"), new HostLockdown.NativeAccess(HostLockdown.NativeAccess.CLASS_PATH, null)));
        return RunAttestation.start("c2", Instant.parse("2026-11-29T02:30:01Z"), "a".repeat(64), "b".repeat(64), "0.1.0",
                "c".repeat(64), "interpreter", off);
    }

    @Test
    void anAotRunNamesItsAotExecutablesAndOnlyThen() throws Exception {
        RunAttestation aot = RunAttestation.start(START.containerId(), START.startTime(), START.megabinarySha256(), START.manifestSha256(),
                START.nojitVersion(), START.jarSha256(), "aot", List.of("/bin/hello", "/usr/bin/wc"), START.lockdown());
        byte[] bytes = AttestationCodec.encode(aot);
        JsonNode p = CanonicalJson.mapper().readTree(bytes).get("predicate");
        assertThat(p.get("engine").stringValue()).isEqualTo("aot");
        assertThat(p.get("aotExecutables").toString()).isEqualTo("[\"/bin/hello\",\"/usr/bin/wc\"]");
        assertThat(AttestationCodec.decode(bytes)).isEqualTo(aot);
        assertThat(CanonicalJson.mapper().readTree(AttestationCodec.encode(START)).get("predicate").has("aotExecutables")).isFalse();
        // the list goes with engine aot, and only with it
        assertThatThrownBy(() -> RunAttestation.start("c", START.startTime(), START.megabinarySha256(), START.manifestSha256(), "0.1.0",
                START.jarSha256(), "aot", List.of(), START.lockdown())).hasMessageContaining("aotExecutables must list the AOT executables");
        assertThatThrownBy(() -> RunAttestation.start("c", START.startTime(), START.megabinarySha256(), START.manifestSha256(), "0.1.0",
                START.jarSha256(), "interpreter", List.of("/bin/x"), START.lockdown())).hasMessageContaining("aotExecutables must list");
        assertThatThrownBy(() -> RunAttestation.start("c", START.startTime(), START.megabinarySha256(), START.manifestSha256(), "0.1.0",
                START.jarSha256(), "aot", List.of("/b", "/a"), START.lockdown())).hasMessageContaining("sorted and distinct");
        String empty = new String(bytes, StandardCharsets.UTF_8).replace("[\"/bin/hello\",\"/usr/bin/wc\"]", "[]");
        assertThatThrownBy(() -> AttestationCodec.decode(empty.getBytes(StandardCharsets.UTF_8))).hasMessageContaining("aotExecutables is present but empty");
    }

    @Test
    void statesTheAotCachesOfBothJvmsByDigestAndOnlyWhenUsed() throws Exception {
        HostLockdown l = START.lockdown();
        HostLockdown withCaches = new HostLockdown(l.mode(), l.seccomp(), l.shimSeccomp(), l.landlock(), l.noNewPrivs(),
                new HostLockdown.Jvm(l.jvm().jit(), l.jvm().flags(), l.jvm().nativeAccess(), "d".repeat(64), "e".repeat(64)));
        RunAttestation a = RunAttestation.start(START.containerId(), START.startTime(), START.megabinarySha256(), START.manifestSha256(),
                START.nojitVersion(), START.jarSha256(), START.engine(), withCaches);
        JsonNode jvm = CanonicalJson.mapper().readTree(AttestationCodec.encode(a)).get("predicate").get("hostLockdown").get("jvm");
        assertThat(jvm.get("aotCacheSha256").asString()).isEqualTo("d".repeat(64));
        assertThat(jvm.get("shimAotCacheSha256").asString()).isEqualTo("e".repeat(64));
        assertThat(AttestationCodec.decode(AttestationCodec.encode(a))).isEqualTo(a);
        // No cache used: the members are absent, not null.
        JsonNode none = CanonicalJson.mapper().readTree(AttestationCodec.encode(START)).get("predicate").get("hostLockdown").get("jvm");
        assertThat(none.has("aotCacheSha256")).isFalse();
        assertThat(none.has("shimAotCacheSha256")).isFalse();
        assertRefused(edit(START, p -> ((ObjectNode) p.get("hostLockdown").get("jvm")).put("aotCacheSha256", "cache.aot")),
                "attestation: predicate.hostLockdown.jvm.aotCacheSha256 must be 64 lowercase hex digits");
    }

    @Test
    void refusesUnknownMembersNamingTheField() {
        assertRefused(edit(START, p -> ((ObjectNode) p.get("hostLockdown").get("seccomp")).put("mode", 2)),
                "attestation: unknown member 'predicate.hostLockdown.seccomp.mode'");
        assertRefused(edit(START, p -> ((ObjectNode) p).putObject("audit").put("events", 1)),
                "attestation: unknown member 'predicate.audit'");
    }

    @Test
    void refusesMissingMembersAndWrongTypesNamingTheField() {
        assertRefused(edit(START, p -> ((ObjectNode) p.get("hostLockdown")).remove("noNewPrivs")),
                "attestation: predicate.hostLockdown.noNewPrivs is missing");
        assertRefused(edit(STOP, p -> ((ObjectNode) p).remove("audit")), "attestation: predicate.audit is missing");
        assertRefused(edit(START, p -> ((ObjectNode) p.get("hostLockdown").get("landlock")).put("abi", "6")),
                "attestation: predicate.hostLockdown.landlock.abi must be an integer");
        assertRefused(edit(START, p -> ((ObjectNode) p.get("nojit")).put("jarSha256", "C".repeat(64))),
                "attestation: predicate.nojit.jarSha256 must be 64 lowercase hex digits");
        assertRefused(edit(START, p -> ((ObjectNode) p.get("container")).put("startTime", "2026-11-29T02:30:01.123Z")),
                "attestation: predicate.container.startTime must be RFC 3339 UTC with six fraction digits");
    }

    @Test
    void refusesAnotherPredicateTypeAndInconsistentLockdowns() throws Exception {
        ObjectNode root = (ObjectNode) CanonicalJson.mapper().readTree(AttestationCodec.encode(START));
        root.put("predicateType", "https://nojit.dev/manifest/v1");
        assertThatThrownBy(() -> AttestationCodec.decode(CanonicalJson.canonicalize(root)))
                .hasMessageContaining("predicateType is 'https://nojit.dev/manifest/v1', not https://nojit.dev/attestation/run/v1");
        assertRefused(edit(START, p -> ((ObjectNode) p.get("hostLockdown").get("seccomp")).put("installed", false)),
                "attestation: hostLockdown.seccomp.sha256 must be absent when no filter is installed");
        assertRefused(edit(START, p -> ((ObjectNode) p.get("hostLockdown").get("landlock").get("rules").get(0)).putArray("access").add("exec")),
                "unknown access right 'exec'");
    }

    @Test
    void refusesNonCanonicalBytes() {
        byte[] pretty = new String(AttestationCodec.encode(START), StandardCharsets.UTF_8).replace(",\"", ", \"").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> AttestationCodec.decode(pretty)).hasMessage("attestation statement is not in RFC 8785 canonical form");
        assertThatThrownBy(() -> AttestationCodec.decode("{".getBytes(StandardCharsets.UTF_8))).hasMessage("attestation statement is not valid JSON");
    }

    private static byte[] edit(RunAttestation a, java.util.function.Consumer<JsonNode> change) {
        try {
            ObjectNode root = (ObjectNode) CanonicalJson.mapper().readTree(AttestationCodec.encode(a));
            change.accept(root.get("predicate"));
            return CanonicalJson.canonicalize(root);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void assertRefused(byte[] payload, String message) {
        assertThatThrownBy(() -> AttestationCodec.decode(payload)).isInstanceOf(AttestationException.class).hasMessageContaining(message);
    }
}
