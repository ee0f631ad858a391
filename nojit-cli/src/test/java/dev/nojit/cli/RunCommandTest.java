package dev.nojit.cli;

import dev.nojit.bundle.testing.SampleBundle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

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
}
