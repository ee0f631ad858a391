package dev.nojit.audit.attest;

import dev.nojit.audit.AuditVerifier;
import dev.nojit.bundle.keys.Ed25519Keys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The attestation file and the audit log it binds, as one chain: start statement → line 1's prev →
 * … → last hash → stop statement. Every attack of the acceptance list fails with a clear message.
 */
class AttestationFileTest {
    static final KeyPair KEY = AttestationsTest.KEY;
    @TempDir
    Path dir;

    @Test
    void aGeneratedRunVerifiesAndItsLogIsBoundToIt() throws Exception {
        SampleRun run = SampleRun.write(dir, "run", "3f9c0a1b2c3d4e5f", KEY, 5);
        List<String> lines = Files.readAllLines(run.attestation(), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2);
        assertThat(Files.getPosixFilePermissions(run.attestation())).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        AttestationFile.AttestedRun attested = AttestationFile.read(run.attestation(), KEY.getPublic());
        assertThat(attested.start().statement()).isEqualTo(run.start());
        assertThat(attested.genesis()).isEqualTo(run.genesis()).isEqualTo(Attestations.digest(run.start()));
        assertThat(attested.end().startSha256()).isEqualTo(run.genesis());
        assertThat(attested.end().auditLastHash()).isEqualTo(run.lastHash());
        assertThat(attested.end().auditEvents()).isEqualTo(5);

        AuditVerifier.Verification log = AuditVerifier.verify(run.log());
        assertThat(log.intact()).isTrue();
        assertThat(log.genesis()).as("line 1's prev is the start statement's digest").isEqualTo(run.genesis());
        assertThat(LogBinding.problem(attested, log)).isNull();
    }

    @Test
    void aFlippedByteInTheAttestationFileIsRefusedWithTheLineItIsOn() throws Exception {
        SampleRun run = SampleRun.write(dir, "run", "c1", KEY, 3);
        byte[] bytes = Files.readAllBytes(run.attestation());
        int secondLine = new String(bytes, StandardCharsets.UTF_8).indexOf('\n') + 1;
        for (int at : new int[] {40, secondLine + 40, secondLine + 300}) {
            byte[] bad = bytes.clone();
            bad[at] ^= 0x01;
            Path file = Files.write(dir.resolve("flipped-" + at + ".jsonl"), bad);
            String line = at < secondLine ? "line 1: " : "line 2: ";
            assertThatThrownBy(() -> AttestationFile.read(file, KEY.getPublic())).isInstanceOf(AttestationException.class)
                    .hasMessageStartingWith(line);
        }
    }

    @Test
    void aWrongKeyIsRefused() throws Exception {
        SampleRun run = SampleRun.write(dir, "run", "c1", KEY, 3);
        assertThatThrownBy(() -> AttestationFile.read(run.attestation(), AttestationsTest.OTHER.getPublic()))
                .hasMessageStartingWith("line 1: not signed by the given public key");
    }

    @Test
    void anotherRunsLogIsRefusedEvenWithTheSameContainerIdAndLength() throws Exception {
        SampleRun mine = SampleRun.write(dir, "mine", "c1", KEY, 4);
        SampleRun other = SampleRun.write(dir, "other", "c2", KEY, 4);
        AttestationFile.AttestedRun attested = AttestationFile.read(mine.attestation(), KEY.getPublic());
        assertThat(LogBinding.problem(attested, AuditVerifier.verify(other.log())))
                .isEqualTo("the log is for container c2, the attestation for container c1 (a log of another run?)");

        // Same container id reused (or forged) by another run: the genesis still tells them apart.
        Path dir2 = Files.createDirectory(dir.resolve("again"));
        SampleRun twin = writeWithStartTime(dir2, "c1", STARTED_LATER, 4);
        assertThat(AuditVerifier.verify(twin.log()).intact()).isTrue();
        assertThat(LogBinding.problem(attested, AuditVerifier.verify(twin.log())))
                .isEqualTo("line 1's prev is not the start statement's digest " + mine.genesis() + " (a log of another run?)");
    }

    static final Instant STARTED_LATER = SampleRun.STARTED.plusSeconds(60);

    private SampleRun writeWithStartTime(Path where, String id, Instant started, int events) throws Exception {
        // A run identical to SampleRun.write's but for its start time: a different start statement, so a different genesis.
        RunAttestation s = SampleRun.startStatement(id);
        RunAttestation later = RunAttestation.start(s.containerId(), started, s.megabinarySha256(), s.manifestSha256(),
                s.nojitVersion(), s.jarSha256(), s.engine(), s.lockdown());
        assertThat(Attestations.digest(later)).isNotEqualTo(Attestations.digest(s));
        Path a = where.resolve("a.jsonl");
        RunAttester attester = RunAttester.start(a, KEY, later);
        Path logFile = where.resolve("l.jsonl");
        try (var log = dev.nojit.audit.AuditLog.create(logFile, new dev.nojit.audit.ContainerRef(id, s.megabinarySha256(), s.manifestSha256()),
                attester.genesis())) {
            for (int i = 0; i < events; i++) {
                log.append(new dev.nojit.audit.AuditEvent(dev.nojit.audit.AuditEvent.Type.CONTAINER_START, null, null, null,
                        dev.nojit.audit.AuditEvent.Action.ALLOWED, null, java.util.Map.of()), false);
            }
            attester.stop(started.plusSeconds(1), 0, log.head(), log.lastSeq());
            return new SampleRun(a, logFile, attester.genesis(), log.head(), later);
        }
    }

    @Test
    void aTruncatedLogVerifiesAsAChainButNotAgainstTheStopStatement() throws Exception {
        SampleRun run = SampleRun.write(dir, "run", "c1", KEY, 6);
        AttestationFile.AttestedRun attested = AttestationFile.read(run.attestation(), KEY.getPublic());
        for (int removed = 1; removed <= 5; removed++) {
            List<String> lines = new ArrayList<>(Files.readAllLines(run.log(), StandardCharsets.UTF_8));
            Path cut = dir.resolve("cut-" + removed + ".jsonl");
            Files.writeString(cut, String.join("\n", lines.subList(0, lines.size() - removed)) + "\n");
            AuditVerifier.Verification chain = AuditVerifier.verify(cut);
            assertThat(chain.intact()).as("the chain alone cannot see it").isTrue();
            assertThat(LogBinding.problem(attested, chain)).isEqualTo("the log holds " + (6 - removed)
                    + " events but the stop statement attests 6 (truncated: lines removed from the end)");
        }
    }

    @Test
    void aLogRewrittenFromSomeLineOnIsCaughtByTheLastHash() throws Exception {
        SampleRun run = SampleRun.write(dir, "run", "c1", KEY, 4);
        AttestationFile.AttestedRun attested = AttestationFile.read(run.attestation(), KEY.getPublic());
        // The forger knows the genesis (it is in the attestation) and writes a different log of the same length.
        Path forged = dir.resolve("forged.jsonl");
        try (var log = dev.nojit.audit.AuditLog.create(forged, new dev.nojit.audit.ContainerRef("c1", SampleRun.MEGABINARY, SampleRun.MANIFEST),
                run.genesis())) {
            for (int i = 0; i < 4; i++) {
                log.append(new dev.nojit.audit.AuditEvent(dev.nojit.audit.AuditEvent.Type.CONTAINER_START, null, null, null,
                        dev.nojit.audit.AuditEvent.Action.ALLOWED, "nothing to see", java.util.Map.of()), false);
            }
        }
        AuditVerifier.Verification chain = AuditVerifier.verify(forged);
        assertThat(chain.intact()).isTrue();
        assertThat(LogBinding.problem(attested, chain)).startsWith("the last hash ").endsWith("(the log was rewritten)");
    }

    @Test
    void aMissingStopStatementIsNamed() throws Exception {
        SampleRun run = SampleRun.write(dir, "run", "c1", KEY, 3);
        String first = Files.readAllLines(run.attestation(), StandardCharsets.UTF_8).getFirst();
        Path startOnly = Files.writeString(dir.resolve("start-only.jsonl"), first + "\n");
        assertThatThrownBy(() -> AttestationFile.read(startOnly, KEY.getPublic()))
                .hasMessage("no stop statement: the run did not end cleanly or the file was cut");

        Path cutMidLine = Files.writeString(dir.resolve("cut.jsonl"), first + "\n" + "{\"payload\":\"ab");
        assertThatThrownBy(() -> AttestationFile.read(cutMidLine, KEY.getPublic()))
                .hasMessage("line 2: truncated: the file does not end with a newline (a write cut short?)");
        Path empty = Files.createFile(dir.resolve("empty.jsonl"));
        assertThatThrownBy(() -> AttestationFile.read(empty, KEY.getPublic())).hasMessage("no start statement: the file is empty");
        assertThatThrownBy(() -> AttestationFile.read(dir.resolve("nope"), KEY.getPublic())).hasMessage("no such file");
    }

    @Test
    void statementsOutOfPlaceOrFromDifferentRunsAreRefused() throws Exception {
        SampleRun a = SampleRun.write(dir, "a", "c1", KEY, 3);
        SampleRun b = SampleRun.write(dir, "b", "c2", KEY, 3);
        List<String> la = Files.readAllLines(a.attestation(), StandardCharsets.UTF_8), lb = Files.readAllLines(b.attestation(), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> AttestationFile.read(write("swapped", la.get(1), la.get(0)), KEY.getPublic()))
                .hasMessage("line 1: is a stop statement; the start statement must come first");
        assertThatThrownBy(() -> AttestationFile.read(write("two-starts", la.get(0), lb.get(0)), KEY.getPublic()))
                .hasMessage("line 2: is a second start statement, not a stop statement");
        assertThatThrownBy(() -> AttestationFile.read(write("mixed", la.get(0), lb.get(1)), KEY.getPublic()))
                .hasMessage("line 2: the stop statement names another start statement (start.sha256 is not line 1's digest)");
        assertThatThrownBy(() -> AttestationFile.read(write("three", la.get(0), la.get(1), la.get(1)), KEY.getPublic()))
                .hasMessage("line 3: unexpected: the file holds one start and one stop statement only");

        // A stop statement that names the right start but changes what it says is refused too.
        RunAttestation start = a.start();
        RunAttestation changed = RunAttestation.start(start.containerId(), start.startTime(), start.megabinarySha256(), start.manifestSha256(),
                start.nojitVersion(), start.jarSha256(), start.engine(), AttestationCodecTest.offStatement().lockdown());
        RunAttestation lying = changed.stopped(new RunAttestation.Stop(a.genesis(), start.startTime().plusSeconds(1), 0, a.lastHash(), 3));
        String lyingLine = new String(Attestations.sign(lying, KEY), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> AttestationFile.read(write("lying", la.get(0), lyingLine), KEY.getPublic()))
                .hasMessage("line 2: the stop statement's hostLockdown differs from the start statement's");
    }

    @Test
    void theWriterNeverOverwritesAndWritesTheStopOnlyAfterTheStart() throws Exception {
        SampleRun run = SampleRun.write(dir, "run", "c1", KEY, 3);
        RunAttestation s = SampleRun.startStatement("c9");
        assertThatThrownBy(() -> RunAttester.start(run.attestation(), KEY, s))
                .isInstanceOf(AttestationException.class).hasMessageContaining("already exists and is not empty: refusing to overwrite evidence");
        assertThatThrownBy(() -> AttestationFile.appendStop(run.attestation(), Attestations.sign(s, KEY)))
                .hasMessageContaining("expected exactly the start statement before the stop statement");
        RunAttester attester = RunAttester.start(dir.resolve("new.jsonl"), KEY, s);
        attester.stop(SampleRun.STARTED.plusSeconds(1), 0, "9".repeat(64), 2);
        assertThatThrownBy(() -> attester.stop(SampleRun.STARTED.plusSeconds(2), 0, "9".repeat(64), 2)).isInstanceOf(IllegalStateException.class);
        assertThat(AttestationFile.read(dir.resolve("new.jsonl"), KEY.getPublic()).end().auditEvents()).isEqualTo(2);
    }

    private Path write(String name, String... lines) throws Exception {
        return Files.writeString(dir.resolve(name + ".jsonl"), String.join("\n", lines) + "\n");
    }
}
