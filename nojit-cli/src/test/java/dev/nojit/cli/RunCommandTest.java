package dev.nojit.cli;

import dev.nojit.bundle.testing.SampleBundle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code nojit run} as a user meets it: pass-through stdio and docker-style exit codes (SPEC §2). */
class RunCommandTest {
    @TempDir
    Path dir;
    Path app;
    Path key;

    @BeforeEach
    void setUp() throws Exception {
        Path in = SampleBundle.writeInputs(dir.resolve("in"));
        key = dir.resolve("k");
        assertThat(CliRun.of("keygen", "--out", key).exitCode()).isZero();
        app = dir.resolve("app.nojit");
        CliRun build = CliRun.of("build", "--key", key, "--out", app,
                "--exec", "/bin/wali-hello=" + in.resolve("wali-hello.wasm"),
                "--file", "/etc/motd=" + in.resolve("motd"));
        assertThat(build.exitCode()).as(build.err()).isZero();
    }

    @Test
    void runsProcessOneWithItsOutputPassedThrough() throws Exception {
        CliProcess r = CliProcess.run("", "run", app, "--pubkey", key + ".pub", "--", "/bin/wali-hello");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("hello from WALI, pid 1\n");
    }

    @Test
    void aPathNotInTheImageIs127AndANonExecutableOneIs126() throws Exception {
        CliProcess missing = CliProcess.run("", "run", app, "--pubkey", key + ".pub", "--", "/bin/nothing");
        assertThat(missing.exitCode()).isEqualTo(127);
        assertThat(missing.err()).contains("/bin/nothing").contains("no such file");
        CliProcess data = CliProcess.run("", "run", app, "--pubkey", key + ".pub", "--", "/etc/motd");
        assertThat(data.exitCode()).isEqualTo(126);
        assertThat(data.err()).contains("/etc/motd").contains("cannot be executed");
    }

    @Test
    void nojitsOwnFailuresAre125WithOneLine() throws Exception {
        Path other = dir.resolve("other");
        assertThat(CliRun.of("keygen", "--out", other).exitCode()).isZero();
        CliProcess wrongKey = CliProcess.run("", "run", app, "--pubkey", other + ".pub", "--", "/bin/wali-hello");
        assertThat(wrongKey.exitCode()).isEqualTo(125);
        assertThat(wrongKey.err().lines().count()).isEqualTo(1);
        assertThat(wrongKey.err()).contains("not signed by the given public key");

        Path bad = dir.resolve("bad.nojit");
        Files.write(bad, new byte[]{1, 2, 3});
        CliProcess malformed = CliProcess.run("", "run", bad, "--pubkey", key + ".pub", "--", "/bin/wali-hello");
        assertThat(malformed.exitCode()).isEqualTo(125);
        assertThat(malformed.err()).doesNotContain("Exception").doesNotContain("\tat ");

        CliProcess flag = CliProcess.run("", "run", app, "--pubkey", key + ".pub", "--no-such-flag", "--", "/bin/wali-hello");
        assertThat(flag.exitCode()).isEqualTo(125);
        CliProcess timeout = CliProcess.run("", "run", app, "--pubkey", key + ".pub", "--timeout", "soon", "--", "/bin/wali-hello");
        assertThat(timeout.exitCode()).isEqualTo(125);
        assertThat(timeout.err()).contains("--timeout soon");
        CliProcess mount = CliProcess.run("", "run", app, "--pubkey", key + ".pub", "--mount", "/data=" + dir.resolve("none"), "--", "/bin/wali-hello");
        assertThat(mount.exitCode()).isEqualTo(125);
        assertThat(mount.err()).contains("not a directory");
    }

    // NOJIT_SYSCALL_STATS=FILE as a new user sets it: a relative name, from the directory `nojit run` starts in,
    // under the default strict lockdown. The locked-down vkernel cannot write there; the shim appends what it
    // counted. A file the shim cannot write is refused before the run, in one line.

    @Test
    void aRelativeFileIsWrittenInTheDirectoryNojitRunStartedIn() throws Exception {
        Path cwd = Files.createDirectories(dir.resolve("work"));
        for (String lockdown : List.of("strict", "off")) {
            CliProcess r = CliProcess.runWith(cwd, List.of(), Map.of("NOJIT_SYSCALL_STATS", "stats.txt"), "run", app, "--pubkey", key + ".pub",
                    "--audit-log", dir.resolve("audit-" + lockdown + ".jsonl"), "--host-lockdown", lockdown, "--", "/bin/wali-hello");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("hello from WALI, pid 1\n");
            assertThat(r.err()).doesNotContain("NOJIT_SYSCALL_STATS");
        }
        List<String> lines = Files.readAllLines(cwd.resolve("stats.txt"));
        assertThat(lines).as("one line per run, appended").hasSize(2);
        for (String line : lines) {
            assertThat(line).startsWith("path=/bin/wali-hello exit=0 calls=").contains("SYS_write:1,").contains("SYS_exit_group:1,");
        }
    }

    @Test
    void aFileTheShimCannotWriteIsRefusedBeforeTheRunInOneLine() throws Exception {
        Path cwd = Files.createDirectories(dir.resolve("work"));
        Files.createDirectories(cwd.resolve("a-directory"));
        CliProcess r = CliProcess.runWith(cwd, List.of(), Map.of("NOJIT_SYSCALL_STATS", "a-directory"), "run", app, "--pubkey", key + ".pub",
                "--audit-log", dir.resolve("audit.jsonl"), "--", "/bin/wali-hello");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.out()).as("process 1 never ran").isEmpty();
        assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
        assertThat(r.err()).startsWith("nojit run: NOJIT_SYSCALL_STATS=a-directory: cannot append to it").doesNotContain("\tat ");
        assertThat(dir.resolve("audit.jsonl")).as("refused before the audit log was made").doesNotExist();
    }

    // The vkernel JVM starts before the shim has checked the bundle (its start overlaps the check) and waits for its
    // spec. A run refused at the check must not leave it behind: it is killed and its private directory removed.

    @Test
    void aVkernelStartedBeforeARefusedBundleCheckLeavesNothingBehind() throws Exception {
        Path other = dir.resolve("other");
        assertThat(CliRun.of("keygen", "--out", other).exitCode()).isZero();
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        for (String lockdown : List.of("strict", "off")) {
            CliProcess r = CliProcess.runWith(dir, List.of("-Djava.io.tmpdir=" + tmp), Map.of("NOJIT_STARTUP_TRACE", "1"), "run", app,
                    "--pubkey", other + ".pub", "--audit-log", dir.resolve("refused.jsonl"), "--host-lockdown", lockdown, "--", "/bin/wali-hello");
            assertThat(r.exitCode()).as(r.err()).isEqualTo(125);
            List<String> lines = r.err().lines().toList();
            assertThat(lines).as("started before the check").anyMatch(l -> l.startsWith("nojit-trace: shim spawned "));
            assertThat(lines).noneMatch(l -> l.startsWith("nojit-trace: shim verified ") || l.startsWith("nojit-trace: vkernel spec "));
            assertThat(lines.getLast()).startsWith("nojit run: ").contains("not signed by the given public key").doesNotContain("\tat ");
            assertThat(r.out()).as("process 1 never ran").isEmpty();
            try (var left = Files.list(tmp)) {
                assertThat(left.toList()).as("the private directory is removed").isEmpty();
            }
            assertThat(dir.resolve("refused.jsonl")).doesNotExist();
        }
    }

    @Test
    void theVkernelStartsBeforeTheBundleIsVerifiedAndGetsItsSpecAfter() throws Exception {
        CliProcess r = CliProcess.runWith(dir, List.of(), Map.of("NOJIT_STARTUP_TRACE", "1"), "run", app, "--pubkey", key + ".pub",
                "--audit-log", dir.resolve("traced.jsonl"), "--", "/bin/wali-hello");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> markers = r.err().lines().filter(l -> l.startsWith("nojit-trace: ")).map(l -> l.split(" ")[1] + " " + l.split(" ")[2]).toList();
        assertThat(markers).containsSubsequence("shim spawned", "shim verified", "shim handed", "vkernel spec", "vkernel exited", "shim ended");
        assertThat(markers).containsSubsequence("vkernel guarded", "vkernel spec");
    }
}
