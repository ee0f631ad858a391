package dev.nojit.vkernel.policy;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.AuditEvent.Type;
import dev.nojit.bundle.manifest.Policy;
import dev.nojit.vkernel.testing.TestContainers.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Time of check against time of use: one process execs /tmp/target over and over while another
 * keeps replacing it — by rename and by rewriting it in place — with the bytes of an approved
 * module or of a module the manifest does not list. Whatever the interleaving, only approved
 * bytes ever run: the gate hashes one version of the file and starts the signed image of that
 * hash, never the file's bytes.
 */
class ExecRaceTest {
    private static final int ROUNDS = 2000;

    @TempDir
    static Path dir;

    @Test
    void overThousandsOfRoundsOnlyApprovedBytesEverRun() throws Exception {
        PolicyImage image = PolicyImage.build(dir, Policy.defaults());
        Run r = image.run("/bin/wali-exec-race", "/bin/wali-marker-good", "/data/evil.wasm", "/tmp/target", Integer.toString(ROUNDS));
        assertThat(r.exitCode()).as(r.err()).isZero();
        Matcher m = Pattern.compile("race rounds=(\\d+) good=(\\d+) denied=(\\d+) other=(\\d+)").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        int good = Integer.parseInt(m.group(2)), denied = Integer.parseInt(m.group(3));
        assertThat(Integer.parseInt(m.group(1))).isEqualTo(ROUNDS);

        // The unlisted module never ran; every approved run printed its marker.
        assertThat(r.out()).doesNotContain("MARKER evil");
        assertThat(r.out().lines().filter(l -> l.equals("MARKER good")).count()).isEqualTo(good);
        // Both outcomes happened, so the race was real.
        assertThat(good).isPositive();
        assertThat(denied).isPositive();

        // Every start of /tmp/target was the approved module; every refusal is one recorded violation.
        assertThat(r.events(Type.EXEC)).filteredOn(e -> e.target().path().equals("/tmp/target"))
                .hasSize(good).allSatisfy(e -> assertThat(e.target().sha256()).isEqualTo(image.goodSha));
        assertThat(r.violations()).hasSize(denied).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(Type.EXEC_DENIED);
            assertThat(e.target().path()).isEqualTo("/tmp/target");
            assertThat(e.target().sha256()).isNotEqualTo(image.goodSha);
            assertThat(e.action()).isEqualTo(AuditEvent.Action.KILL_PROCESS);
        });
    }
}
