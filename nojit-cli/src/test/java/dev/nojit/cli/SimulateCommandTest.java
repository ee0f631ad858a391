package dev.nojit.cli;

import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.dsse.DsseVerifier;
import dev.nojit.bundle.dsse.Envelope;
import dev.nojit.bundle.json.CanonicalJson;
import dev.nojit.bundle.keys.Ed25519Keys;
import dev.nojit.cli.simulate.Technique;
import dev.nojit.cli.simulate.Techniques;
import dev.nojit.host.seccomp.BpfCompiler;
import dev.nojit.host.seccomp.SeccompPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code nojit simulate}: the whole corpus passes, the report is a test-result statement, signed when asked. */
class SimulateCommandTest {
    @TempDir
    Path dir;

    @Test
    void everyTechniquePassesAndTheReportListsEachOne() throws Exception {
        Path report = dir.resolve("simulate.json");
        CliRun r = CliRun.of("simulate", "--report", report);
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();

        List<String> names = Techniques.all().stream().map(Technique::name).toList();
        assertThat(names).hasSizeGreaterThanOrEqualTo(30).doesNotHaveDuplicates();
        List<String> rows = r.out().lines().filter(l -> l.endsWith(" pass") || l.endsWith(" FAIL")).toList();
        assertThat(rows).hasSize(names.size()).allSatisfy(l -> assertThat(l).endsWith(" pass").doesNotContain("GOT THROUGH"));
        for (String name : names) assertThat(rows).anySatisfy(l -> assertThat(l).startsWith(name + " "));
        assertThat(r.out()).contains("simulate: " + names.size() + " techniques, " + names.size() + " passed, 0 failed");
        // Each expected violation names its audit event's seq; the errno rows and the controls name none.
        assertThat(rows).filteredOn(l -> l.startsWith("downloaded-elf ")).singleElement().satisfies(l -> assertThat(l).matches(".* \\d+\\s+pass"));
        assertThat(rows).filteredOn(l -> l.startsWith("exec-missing ")).singleElement().satisfies(l -> assertThat(l).matches(".* -\\s+pass"));

        JsonNode s = CanonicalJson.mapper().readTree(Files.readAllBytes(report));
        assertThat(s.get("_type").asString()).isEqualTo("https://in-toto.io/Statement/v1");
        assertThat(s.get("predicateType").asString()).isEqualTo("https://in-toto.io/attestation/test-result/v0.1");
        assertThat(s.get("subject")).hasSize(4).allSatisfy(d -> assertThat(d.get("digest").get("sha256").asString()).hasSize(64));
        assertThat(s.get("subject").get(0).get("name").asString()).isEqualTo("nojit " + Version.get());
        assertThat(s.get("subject").get(0).get("digest").get("sha256").asString()).as("the code under test").isEqualTo(RunRecords.jarSha256());
        JsonNode p = s.get("predicate");
        assertThat(p.get("result").asString()).isEqualTo("PASSED");
        assertThat(p.get("configuration").isArray()).isTrue();
        assertThat(p.get("configuration")).hasSize(5)
                .allSatisfy(d -> assertThat(d.get("digest").get("sha256").asString()).matches("[0-9a-f]{64}"));
        // By default the containers ran under the vkernel's own seccomp filter: the report names that program.
        String filter = BpfCompiler.compile(SeccompPolicy.vkernel()).sha256Hex();
        assertThat(p.get("configuration").get(4).get("name").asString()).isEqualTo("vkernel seccomp filter");
        assertThat(p.get("configuration").get(4).get("digest").get("sha256").asString()).isEqualTo(filter);
        assertThat(r.out()).contains("host lockdown: strict").contains("sha256 " + filter.substring(0, 16));
        assertThat(strings(p.get("passedTests"))).containsExactlyElementsOf(names);
        assertThat(p.get("failedTests").isArray()).isTrue();
        assertThat(p.get("failedTests")).isEmpty();
        assertThat(p.get("warnedTests").isArray()).isTrue();
        assertThat(p.get("warnedTests")).isEmpty();
    }

    @Test
    void aSignedReportVerifiesWithThePublicKeyAndNotWhenChanged() throws Exception {
        Path key = dir.resolve("attest.key");
        KeyPair pair = Ed25519Keys.generate();
        Ed25519Keys.write(pair, key);
        Path report = dir.resolve("signed.json");
        CliRun r = CliRun.of("simulate", "--only", "downloaded-elf", "--only", "mmap-exec", "--only", "exec-missing",
                "--report", report, "--attest-key", key);
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("simulate: 3 techniques, 3 passed, 0 failed").contains("(signed, keyid");

        byte[] bytes = Files.readAllBytes(report);
        Envelope e = Envelope.parse(bytes);
        byte[] payload = DsseVerifier.verify(e, Envelope.IN_TOTO, Ed25519Keys.readPublic(Ed25519Keys.publicKeyPath(key)));
        JsonNode s = CanonicalJson.mapper().readTree(payload);
        assertThat(s.get("predicateType").asString()).isEqualTo("https://in-toto.io/attestation/test-result/v0.1");
        assertThat(strings(s.get("predicate").get("passedTests"))).containsExactly("downloaded-elf", "mmap-exec", "exec-missing");

        KeyPair other = Ed25519Keys.generate();
        assertThatThrownBy(() -> DsseVerifier.verify(e, Envelope.IN_TOTO, other.getPublic())).isInstanceOf(BundleException.class);
        Envelope changed = new Envelope(e.payloadType(), new String(payload).replace("PASSED", "FAILED").getBytes(), e.signatures());
        assertThatThrownBy(() -> DsseVerifier.verify(changed, Envelope.IN_TOTO, pair.getPublic())).isInstanceOf(BundleException.class);
    }

    @Test
    void withoutTheHostLockdownTheContainersRunInThisJvmAndTheReportNamesNoFilter() throws Exception {
        Path report = dir.resolve("off.json");
        CliRun r = CliRun.of("simulate", "--host-lockdown", "off", "--only", "downloaded-elf", "--only", "userfaultfd", "--report", report);
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("simulate: 2 techniques, 2 passed, 0 failed").contains("host lockdown: off");
        JsonNode p = CanonicalJson.mapper().readTree(Files.readAllBytes(report)).get("predicate");
        assertThat(p.get("configuration")).hasSize(4).noneSatisfy(d -> assertThat(d.get("name").asString()).contains("seccomp"));
    }

    @Test
    void usageErrorsExitTwoWithOneLine() {
        CliRun keyAlone = CliRun.of("simulate", "--attest-key", dir.resolve("k"));
        assertThat(keyAlone.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(keyAlone.errIsOneCleanLine()).as(keyAlone.err()).isTrue();
        CliRun unknown = CliRun.of("simulate", "--only", "no-such-technique");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("no-such-technique");
        assertThat(CliRun.of("simulate", "--bogus").exitCode()).isEqualTo(ExitCodes.USAGE);
        CliRun nowhere = CliRun.of("simulate", "--report", dir.resolve("missing/report.json"));
        assertThat(nowhere.exitCode()).as("refused before the run").isEqualTo(ExitCodes.USAGE);
        assertThat(nowhere.out()).isEmpty();
        assertThat(nowhere.err()).contains("does not exist");
        assertThat(nowhere.errIsOneCleanLine()).isTrue();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }
}
