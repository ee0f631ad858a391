package dev.nojit.cli;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.AuditEvent.Action;
import dev.nojit.audit.AuditEvent.Type;
import dev.nojit.audit.AuditLog;
import dev.nojit.audit.ContainerRef;
import dev.nojit.audit.attest.HostLockdown;
import dev.nojit.audit.attest.RunAttestation;
import dev.nojit.audit.attest.RunAttester;
import dev.nojit.bundle.keys.Ed25519Keys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code nojit attest verify} and {@code nojit audit verify --attestation} as a user meets them
 * (SPEC §2, §6, docs/attestation.md), on runs written the way {@code nojit run} writes them:
 * start statement, then the audit log with its genesis, then the stop statement.
 */
class AttestCommandTest {
    static final String MEGABINARY = "a".repeat(64), MANIFEST = "b".repeat(64);
    @TempDir
    Path dir;
    Path key, pub, attestation, log;
    String genesis, head;

    record Run(Path attestation, Path log, String genesis, String head) {}

    @BeforeEach
    void writeRun() throws Exception {
        key = dir.resolve("attest.key");
        KeyPair pair = Ed25519Keys.generate();
        Ed25519Keys.write(pair, key);
        pub = Ed25519Keys.publicKeyPath(key);
        Run r = run(pair, "run", "3f9c0a1b2c3d4e5f", 5);
        attestation = r.attestation();
        log = r.log();
        genesis = r.genesis();
        head = r.head();
    }

    private Run run(KeyPair pair, String name, String id, int events) throws Exception {
        HostLockdown lockdown = new HostLockdown("strict", new HostLockdown.Seccomp(true, "d".repeat(64), 31), new HostLockdown.Seccomp(true, "d".repeat(64), 31),
                new HostLockdown.Landlock(6, true, List.of(new HostLockdown.Rule("/usr/lib/jvm", List.of("read_file", "read_dir")),
                        new HostLockdown.Rule("/dev/urandom", List.of("read_file")))),
                true, new HostLockdown.Jvm("on", List.of("-XX:ReservedCodeCacheSize=48m", "-XX:InitialCodeCacheSize=48m"),
                        new HostLockdown.NativeAccess("dev.nojit.host", "e".repeat(64))));
        Instant started = Instant.parse("2026-11-29T02:30:01.123456Z");
        RunAttestation start = RunAttestation.start(id, started, MEGABINARY, MANIFEST, "0.1.0", "c".repeat(64), "interpreter", lockdown);
        Path a = dir.resolve(name + ".attestation.jsonl"), l = dir.resolve(name + ".audit.jsonl");
        RunAttester attester = RunAttester.start(a, pair, start);
        try (AuditLog audit = AuditLog.create(l, new ContainerRef(id, MEGABINARY, MANIFEST), attester.genesis())) {
            audit.append(new AuditEvent(Type.CONTAINER_START, null, null, null, Action.ALLOWED, null, Map.of()), true);
            for (int i = 0; i < events - 2; i++) {
                audit.append(new AuditEvent(Type.PROCESS_EXIT, new AuditEvent.ProcessRef(i + 1, 0, "/bin/sh", null, List.of("/bin/sh")),
                        null, null, Action.ALLOWED, null, Map.of("exit_code", 0L)), false);
            }
            audit.append(new AuditEvent(Type.CONTAINER_STOP, null, null, null, Action.ALLOWED, null, Map.of("exit_code", 0L)), true);
            audit.close();
            attester.stop(started.plusSeconds(2), 0, audit.head(), audit.lastSeq());
            return new Run(a, l, attester.genesis(), audit.head());
        }
    }

    @Test
    void attestVerifyPrintsWhatTheRunStates() {
        CliRun r = CliRun.of("attest", "verify", attestation, "--pubkey", pub);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.err()).isEmpty();
        List<String> out = r.out().lines().toList();
        assertThat(out.get(0)).startsWith("verified:     " + attestation + " (start and stop statements, signed by keyid ");
        assertThat(out.get(1)).isEqualTo("container:    3f9c0a1b2c3d4e5f, started 2026-11-29T02:30:01.123456Z, stopped 2026-11-29T02:30:03.123456Z, exit code 0");
        assertThat(out).contains("megabinary:   sha256:" + MEGABINARY, "manifest:     sha256:" + MANIFEST, "lockdown:     strict",
                "  seccomp:    filter installed, 31 rules, program sha256:" + "d".repeat(64),
                "  landlock:   ABI 6, ruleset enforced, 2 rules", "              /dev/urandom  read_file",
                "  no_new_privs: set", "  native:     module dev.nojit.host only, sha256:" + "e".repeat(64), "  jvm:        JIT on, -XX:ReservedCodeCacheSize=48m -XX:InitialCodeCacheSize=48m",
                "audit log:    5 events, genesis " + genesis + ", last hash " + head);
    }

    @Test
    void auditVerifyWithTheAttestationProvesTheLogIsTheRunsWholeLog() {
        CliRun r = CliRun.of("audit", "verify", log, "--attestation", attestation, "--pubkey", pub);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out().lines().toList()).containsExactly(
                "audit log " + log + ": 5 events, chain intact, last hash " + head,
                "bound to the run attested in " + attestation + ": container 3f9c0a1b2c3d4e5f, line 1's prev is the start statement's digest, "
                        + "the stop statement attests these 5 events and this last hash");
    }

    @Test
    void aFlippedByteInTheAttestationFailsBothCommands() throws Exception {
        byte[] bytes = Files.readAllBytes(attestation);
        bytes[bytes.length / 4] ^= 0x01;
        Files.write(attestation, bytes);
        CliRun r = CliRun.of("attest", "verify", attestation, "--pubkey", pub);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("nojit attest verify: attestation " + attestation + ": line 1: ");
        assertThat(r.errIsOneCleanLine()).isTrue();
        CliRun a = CliRun.of("audit", "verify", log, "--attestation", attestation, "--pubkey", pub);
        assertThat(a.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(a.err()).startsWith("nojit audit verify: attestation " + attestation + ": line 1: ");
        assertThat(a.errIsOneCleanLine()).isTrue();
    }

    @Test
    void aWrongKeyFails() throws Exception {
        Path other = dir.resolve("other.key");
        Ed25519Keys.write(Ed25519Keys.generate(), other);
        CliRun r = CliRun.of("attest", "verify", attestation, "--pubkey", Ed25519Keys.publicKeyPath(other));
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(r.err()).startsWith("nojit attest verify: attestation " + attestation + ": line 1: not signed by the given public key (keyid ");
        assertThat(r.errIsOneCleanLine()).isTrue();
    }

    @Test
    void anotherRunsLogFails() throws Exception {
        KeyPair pair = Ed25519Keys.readPrivate(key);
        Run other = run(pair, "other", "0123456789abcdef", 5);
        CliRun r = CliRun.of("audit", "verify", other.log(), "--attestation", attestation, "--pubkey", pub);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(r.err().strip()).isEqualTo("nojit audit verify: audit log " + other.log()
                + ": the log is for container 0123456789abcdef, the attestation for container 3f9c0a1b2c3d4e5f (a log of another run?)");
    }

    @Test
    void aTruncatedLogPassesTheChainAloneButFailsAgainstTheAttestation() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
        Files.writeString(log, String.join("\n", lines.subList(0, 3)) + "\n");
        assertThat(CliRun.of("audit", "verify", log).exitCode()).as("the chain alone cannot see it").isEqualTo(ExitCodes.OK);
        CliRun r = CliRun.of("audit", "verify", log, "--attestation", attestation, "--pubkey", pub);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).isEqualTo("nojit audit verify: audit log " + log
                + ": the log holds 3 events but the stop statement attests 5 (truncated: lines removed from the end)");
    }

    @Test
    void aMissingStopStatementFailsWithExit1() throws Exception {
        String first = Files.readAllLines(attestation, StandardCharsets.UTF_8).getFirst();
        Files.writeString(attestation, first + "\n");
        String expected = "attestation " + attestation + ": no stop statement: the run did not end cleanly or the file was cut";
        CliRun r = CliRun.of("attest", "verify", attestation, "--pubkey", pub);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(r.err().strip()).isEqualTo("nojit attest verify: " + expected);
        CliRun a = CliRun.of("audit", "verify", log, "--attestation", attestation, "--pubkey", pub);
        assertThat(a.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(a.err().strip()).isEqualTo("nojit audit verify: " + expected);
    }

    @Test
    void usageErrorsExit2() {
        assertThat(CliRun.of("attest").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.of("attest", "verify", attestation).exitCode()).as("--pubkey is required").isEqualTo(ExitCodes.USAGE);
        CliRun half = CliRun.of("audit", "verify", log, "--attestation", attestation);
        assertThat(half.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(half.err()).contains("--attestation and --pubkey go together");
    }

    @Test
    void exitCodesHoldInARealProcess() throws Exception {
        CliProcess ok = CliProcess.run("", "attest", "verify", attestation, "--pubkey", pub);
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("audit log:    5 events");
        Files.writeString(attestation, Files.readAllLines(attestation, StandardCharsets.UTF_8).getFirst() + "\n");
        CliProcess bad = CliProcess.run("", "attest", "verify", attestation, "--pubkey", pub);
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("no stop statement");
    }
}
