package dev.nojit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** `nojit demo`, the main job, end to end: the real build, a real `nojit run` (shim and locked-down vkernel), the records checked. */
class DemoTest {
    @TempDir
    Path dir;

    @Test
    void theAgentTaskDoesItsWorkEveryAttackIsStoppedAndTheRecordsVerify() throws Exception {
        Path work = dir.resolve("demo");
        CliRun r = CliRun.of("demo", "--dir", work, "--color", "never");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        String out = r.out();
        assertThat(out).doesNotContain("\u001b[");
        assertThat(out).contains("[3] built and signed", "policy exec manifest-only, scripts manifest-only",
                "[4] verified the bundle; a copy with one bit flipped", "does not match its hash",
                "[5] running the agent task /usr/share/agent/task.sh");
        // The narration: the task's own output, each refusal just before the line that reports its kill.
        List<String> lines = out.lines().toList();
        assertThat(lines).contains("    task | summary of /srv/data/report.txt", "    task | -- /tmp/payload ended with status 137",
                "    task | == done: the useful work is in /tmp/summary.txt");
        int elf = indexOf(lines, "STOP | #", "exec_denied /tmp/payload sha256:");
        int script = indexOf(lines, "STOP | #", "exec_denied /tmp/evil.sh sha256:");
        int sourced = indexOf(lines, "STOP | #", "exec_denied /tmp/evil-lib.sh sha256:");
        assertThat(elf).isPositive().isLessThan(script);
        assertThat(script).isLessThan(sourced);
        assertThat(lines.get(elf + 1)).contains("killed by policy (exec_denied)");
        assertThat(lines.get(script + 1)).contains("killed by policy (exec_denied)");
        assertThat(lines.get(sourced + 1)).contains("killed by policy (exec_denied)");
        assertThat(indexOf(lines, "task | -- running /tmp/payload")).isLessThan(elf);
        assertThat(indexOf(lines, "task | -- running /tmp/evil.sh")).isBetween(elf, script);
        assertThat(indexOf(lines, "task | -- sourcing /tmp/evil-lib.sh in a subshell")).isBetween(script, sourced);
        // The summary and the records.
        assertThat(out).containsPattern("run a downloaded ELF /tmp/payload +refused, recorded +refused: exec_denied, kill-process +#\\d+")
                .containsPattern("run a written script /tmp/evil.sh +refused, recorded +refused: exec_denied, kill-process +#\\d+")
                .containsPattern("source a written script /tmp/evil-lib.sh +refused, recorded +refused: exec_denied, kill-process +#\\d+")
                .containsPattern("anything else refused +nothing +nothing")
                .contains("[7] checking the records:", "hash chain intact", "the log is the run's whole log",
                        "host lockdown in force: strict; vkernel seccomp on, shim seccomp on", "no_new_privs set",
                        "native access: dev.nojit.host", "demo: everything as expected");
        assertThat(out).doesNotContain("NOT as expected", "evil.sh ran", "evil-lib.sh ran");

        Path log = work.resolve("audit.jsonl"), attestation = work.resolve("run.attestation.jsonl");
        assertThat(out).contains("The audit log:   " + log, "The attestation: " + attestation);
        CliRun verify = CliRun.of("audit", "verify", log, "--attestation", attestation, "--pubkey", work.resolve("attest.key.pub"));
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(CliRun.of("verify", work.resolve("example.nojit"), "--pubkey", work.resolve("demo.key.pub")).exitCode()).isZero();
        assertThat(CliRun.of("demo", "--dir", work).exitCode()).as("refuses a non-empty directory").isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void colourWhenAsked() throws Exception {
        CliRun r = CliRun.of("demo", "--dir", dir.resolve("c"), "--color", "always");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("\u001b[31mSTOP | #", "\u001b[1m[5] ");
    }

    private static int indexOf(List<String> lines, String... parts) {
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            boolean all = true;
            for (String p : parts) all &= l.contains(p);
            if (all) return i;
        }
        return -1;
    }
}
