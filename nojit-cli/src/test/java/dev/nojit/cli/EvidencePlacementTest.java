package dev.nojit.cli;

import dev.nojit.cli.EvidencePlacement.Evidence;
import dev.nojit.cli.EvidencePlacement.Exposed;
import dev.nojit.host.landlock.JvmRules;
import dev.nojit.host.landlock.PathRule;
import dev.nojit.vkernel.policy.PolicyCheck;
import dev.nojit.vkernel.policy.PolicyMutations;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

/**
 * The placement rules of the run's evidence ({@link EvidencePlacement}) on planted layouts: every
 * way of naming a directory the guest reaches — directly, through a symlink, through "..", as the
 * parent of a mount, read-only, by a second hard link — is refused; apart is accepted. The real
 * {@code nojit run} refusals are in {@link EvidenceOutOfReachTest}.
 */
class EvidencePlacementTest {
    @TempDir
    Path tmp;
    Path dir, mount, logs;

    @BeforeEach
    void layout() throws Exception {
        dir = tmp.toRealPath();
        mount = Files.createDirectories(dir.resolve("shared"));
        logs = Files.createDirectories(dir.resolve("logs"));
    }

    private static Optional<String> log(Path file, Exposed... mounts) {
        return EvidencePlacement.refusal(List.of(new Evidence("--audit-log " + file, file, "pass --audit-log FILE elsewhere")), List.of(mounts));
    }

    private Exposed rw(Path p) {
        return new Exposed("/data=" + p, p, false);
    }

    @Test
    void aLogInsideAMountOrInItsRootIsRefused() throws Exception {
        Files.createDirectories(mount.resolve("deep/er"));
        assertThat(log(mount.resolve("audit.jsonl"), rw(mount))).get(STRING)
                .contains("--audit-log " + mount.resolve("audit.jsonl"), "lies inside --mount /data=" + mount, "read and write",
                        "pass --audit-log FILE elsewhere")
                .doesNotContain("\n");
        assertThat(log(mount.resolve("deep/er/audit.jsonl"), rw(mount))).isPresent();
    }

    @Test
    void aLogWhoseDirectoryHoldsAMountIsRefused() {
        Path inner = mount.resolve("sub");
        assertThat(log(mount.resolve("audit.jsonl"), rw(inner))).isEmpty(); // sub does not exist: the container refuses the mount
        assertThat(log(dir.resolve("audit.jsonl"), rw(mount))).get(STRING).contains("its directory " + dir + " contains --mount");
    }

    @Test
    void readOnlyMountsCountToo() {
        assertThat(log(mount.resolve("audit.jsonl"), new Exposed("/data=" + mount + ":ro", mount, true))).get(STRING)
                .contains("which the guest can read (");
    }

    @Test
    void symlinksAndDotDotAreResolvedBeforeComparing() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("innocent"), mount);
        assertThat(log(link.resolve("audit.jsonl"), rw(mount))).as("the log's directory is a symlink to the mount").isPresent();
        assertThat(log(logs.resolve("audit.jsonl"), rw(link))).as("the mount source is a symlink").isEmpty();
        assertThat(log(mount.resolve("audit.jsonl"), rw(link))).as("the mount source is a symlink to the log's directory").isPresent();
        assertThat(log(logs.resolve("../shared/audit.jsonl"), rw(mount))).as("..").isPresent();
        Path linkedLog = Files.createSymbolicLink(logs.resolve("audit.jsonl"), mount.resolve("target.jsonl"));
        assertThat(log(linkedLog, rw(mount))).as("a dangling symlink as the log's own name").get(STRING).contains("cannot resolve");
        Files.createFile(mount.resolve("target.jsonl"));
        assertThat(log(linkedLog, rw(mount))).as("a symlink as the log's own name, to a file in the mount").get(STRING)
                .contains("lies inside");
    }

    @Test
    void aSecondHardLinkToAnEmptyLogIsRefused() throws Exception {
        Path inMount = Files.createFile(mount.resolve("planted"));
        Path log = Files.createLink(logs.resolve("audit.jsonl"), inMount);
        assertThat(log(log, rw(mount))).get(STRING).contains("has 2 hard links");
    }

    @Test
    void theAttestationIsCheckedLikeTheLog() {
        List<Evidence> evidence = EvidencePlacement.ofRun(logs.resolve("audit.jsonl"), false, mount.resolve("run.att"));
        assertThat(EvidencePlacement.refusal(evidence, List.of(rw(mount)))).get(STRING)
                .startsWith("--attestation " + mount.resolve("run.att")).contains("pass --attestation FILE outside every mounted directory");
    }

    @Test
    void theDefaultLogNamesTheCurrentDirectoryAndWhatToDo() {
        List<Evidence> evidence = EvidencePlacement.ofRun(Path.of("nojit-audit-1.jsonl"), true, null);
        Path cwd = Path.of("").toAbsolutePath();
        assertThat(EvidencePlacement.refusal(evidence, List.of(new Exposed("/w=.", Path.of("."), false)))).get(STRING)
                .startsWith("the default audit log in the current directory (" + cwd.resolve("nojit-audit-1.jsonl") + ") lies inside --mount /w=.")
                .endsWith("pass --audit-log FILE outside every mounted directory");
    }

    @Test
    void apartIsAccepted() throws Exception {
        Files.createDirectories(mount.resolve("x"));
        assertThat(log(logs.resolve("audit.jsonl"), rw(mount), rw(mount.resolve("x")), new Exposed("/ro=" + mount, mount, true))).isEmpty();
    }

    /** The assertion on the ruleset given to the spawn: no rule on an evidence file or a directory above it. */
    @Test
    void aLandlockRulesetThatNamesTheLogOrADirectoryAboveItIsRefused() throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        List<Path> rules = JvmRules.forChildJvm(javaHome, List.of(), List.of(), List.of(mount)).paths().stream().map(PathRule::path).toList();
        List<Evidence> inside = EvidencePlacement.ofRun(mount.resolve("a/audit.jsonl"), false, null);
        Files.createDirectories(mount.resolve("a"));
        assertThat(EvidencePlacement.inRuleset(inside, rules)).get(STRING).contains("lies under " + mount);
        assertThat(EvidencePlacement.inRuleset(EvidencePlacement.ofRun(logs.resolve("audit.jsonl"), false, null), rules)).isEmpty();
        List<Evidence> inJdk = EvidencePlacement.ofRun(javaHome.resolve("lib/audit.jsonl"), false, null);
        assertThat(EvidencePlacement.inRuleset(inJdk, rules)).as("read rules count too").isPresent();
    }

    /** The switch the mutation test of nojit simulate uses: with the check off, the planted layout is accepted. */
    @Test
    void theCheckCanBeSwitchedOffOnlyByTheMutationSwitch() throws Exception {
        try (AutoCloseable off = PolicyMutations.without(PolicyCheck.EVIDENCE_OUT_OF_REACH)) {
            assertThat(log(mount.resolve("audit.jsonl"), rw(mount))).isEmpty();
        }
        assertThat(log(mount.resolve("audit.jsonl"), rw(mount))).isPresent();
    }
}
