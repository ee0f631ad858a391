package dev.nojit.cli;

import dev.nojit.audit.AuditVerifier;
import dev.nojit.audit.attest.AttestationFile;
import dev.nojit.audit.attest.HostLockdown;
import dev.nojit.bundle.keys.Ed25519Keys;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, finding 2, with real {@code nojit run} processes: the audit log and the attestation
 * out of the guest's reach. The attack itself — a guest with a read-write mount over the log's
 * directory that would unlink the log, commit a violation and write a shorter chain back
 * (guests/attacks/audit.c, log-tamper) — and its variants are refused with exit 125 and one line
 * before anything runs; a layout with the log apart runs as before.
 */
class EvidenceOutOfReachTest {
    @TempDir
    Path tmp;
    Path dir, key, app, shared, logs;

    @BeforeEach
    void setUp() throws Exception {
        dir = tmp.toRealPath();
        AttackAuditBundle bundle = AttackAuditBundle.build(dir);
        key = bundle.key();
        app = bundle.app();
        shared = Files.createDirectories(dir.resolve("shared"));
        logs = Files.createDirectories(dir.resolve("logs"));
    }

    private CliProcess run(Path cwd, Object... args) throws Exception {
        Object[] all = new Object[args.length + 4];
        all[0] = "run";
        all[1] = app;
        all[2] = "--pubkey";
        all[3] = key + ".pub";
        System.arraycopy(args, 0, all, 4, args.length);
        return CliProcess.runIn(cwd, "", all);
    }

    private static void refusedBeforeAnythingRan(CliProcess r, String... phrases) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(125);
        assertThat(r.err().lines().toList()).as(r.err()).singleElement().asString().startsWith("nojit run: ").contains(phrases);
        assertThat(r.out()).as("the guest never ran").isEmpty();
    }

    @Test
    void theTamperingGuestWithAWritableMountOverTheLogIsRefusedBeforeItRuns() throws Exception {
        Path log = shared.resolve("audit.jsonl");
        CliProcess r = run(dir, "--mount", "/logs=" + shared, "--audit-log", log,
                "--", "/bin/attack-audit", "log-tamper", "/logs/audit.jsonl", "/logs/marker");
        refusedBeforeAnythingRan(r, "--audit-log " + log, "lies inside --mount /logs=" + shared, "read and write",
                "pass --audit-log FILE outside every mounted directory");
        assertThat(shared.resolve("marker")).as("the guest wrote nothing").doesNotExist();
        assertThat(log).as("nothing was created in the mount").doesNotExist();
    }

    @Test
    void theDefaultLogInTheCurrentDirectoryWithDotMountedIsRefusedAndTheLineSaysWhatToDo() throws Exception {
        CliProcess r = run(shared, "--mount", "/w=.", "--", "/bin/wali-hello");
        refusedBeforeAnythingRan(r, "the default audit log in the current directory (" + shared + "/nojit-audit-", "lies inside --mount /w=.",
                "pass --audit-log FILE outside every mounted directory");
        try (var files = Files.list(shared)) {
            assertThat(files.toList()).as("no log was left in the mounted directory").isEmpty();
        }
    }

    @Test
    void aLogAboveAMountSourceIsRefused() throws Exception {
        Path sub = Files.createDirectories(logs.resolve("work"));
        CliProcess r = run(dir, "--mount", "/w=" + sub, "--audit-log", logs.resolve("audit.jsonl"), "--", "/bin/wali-hello");
        refusedBeforeAnythingRan(r, "its directory " + logs + " contains --mount /w=" + sub);
    }

    @Test
    void aSymlinkedLogDirectoryIsResolved() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("innocent"), shared);
        CliProcess r = run(dir, "--mount", "/w=" + shared, "--audit-log", link.resolve("audit.jsonl"), "--", "/bin/wali-hello");
        refusedBeforeAnythingRan(r, "(" + shared.resolve("audit.jsonl") + ") lies inside --mount");
        CliProcess dotdot = run(dir, "--mount", "/w=" + shared, "--audit-log", logs.resolve("../shared/x.jsonl"), "--", "/bin/wali-hello");
        refusedBeforeAnythingRan(dotdot, "lies inside --mount");
    }

    /**
     * A bind mount of the mounted directory under another name: no symlink to resolve, the paths
     * differ, but it is the same directory (device and inode). Run in a private mount namespace.
     */
    @Test
    void aBindMountOfTheMountedDirectoryUnderAnotherNameIsTheSameDirectory() throws Exception {
        Process probe = new ProcessBuilder("unshare", "-m", "true").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        Assumptions.assumeTrue(probe.waitFor() == 0, "no private mount namespace here (unshare -m)");
        Path alias = Files.createDirectories(dir.resolve("alias"));
        List<String> bind = List.of("unshare", "-m", "sh", "-c", "mount --bind \"$1\" \"$2\" && shift 2 && exec \"$@\"", "sh",
                shared.toString(), alias.toString());
        CliProcess r = CliProcess.runWrapped(dir, bind, "run", app, "--pubkey", key + ".pub", "--mount", "/w=" + shared,
                "--audit-log", alias.resolve("audit.jsonl"), "--", "/bin/wali-hello");
        refusedBeforeAnythingRan(r, "(" + alias.resolve("audit.jsonl") + ") lies inside --mount /w=" + shared);
    }

    @Test
    void anAttestationInAMountIsRefused() throws Exception {
        Path attestKey = dir.resolve("attest.key");
        assertThat(CliRun.of("keygen", "--out", attestKey).exitCode()).isZero();
        CliProcess r = run(dir, "--mount", "/w=" + shared, "--audit-log", logs.resolve("audit.jsonl"),
                "--attest-key", attestKey, "--attestation", shared.resolve("run.att"), "--", "/bin/wali-hello");
        refusedBeforeAnythingRan(r, "--attestation " + shared.resolve("run.att"), "pass --attestation FILE outside every mounted directory");
        assertThat(shared.resolve("run.att")).doesNotExist();
    }

    @Test
    void aReadOnlyMountOverTheLogIsRefusedToo() throws Exception {
        CliProcess r = run(dir, "--mount", "/w=" + shared + ":ro", "--audit-log", shared.resolve("audit.jsonl"), "--", "/bin/wali-hello");
        refusedBeforeAnythingRan(r, "lies inside --mount /w=" + shared + ":ro, which the guest can read (");
    }

    /**
     * Apart, everything runs as before, under strict lockdown; the attested Landlock rules — the
     * ruleset given to the spawn — name neither the log nor the attestation nor a directory above them.
     */
    @Test
    void theLogApartRunsAsBeforeAndTheRulesetNeverNamesIt() throws Exception {
        Path attestKey = dir.resolve("attest.key");
        assertThat(CliRun.of("keygen", "--out", attestKey).exitCode()).isZero();
        Path log = logs.resolve("audit.jsonl"), attestation = logs.resolve("run.att");
        CliProcess r = CliProcess.runWith(dir, List.of(), Map.of(), "run", app, "--pubkey", key + ".pub", "--mount", "/w=" + shared,
                "--audit-log", log, "--attest-key", attestKey, "--attestation", attestation, "--", "/bin/wali-hello");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("hello from WALI");
        assertThat(AuditVerifier.verify(log).intact()).isTrue();
        HostLockdown l = AttestationFile.read(attestation, Ed25519Keys.readPublic(Ed25519Keys.publicKeyPath(attestKey)))
                .start().statement().lockdown();
        assertThat(l.landlock().rules()).extracting(HostLockdown.Rule::path).contains(shared.toString())
                .noneMatch(p -> log.startsWith(Path.of(p)) || attestation.startsWith(Path.of(p)));
    }
}
