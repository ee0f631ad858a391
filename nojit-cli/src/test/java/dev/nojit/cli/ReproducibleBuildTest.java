package dev.nojit.cli;

import dev.nojit.bundle.testing.SampleBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs `nojit build` as real processes, as a release pipeline would, with SOURCE_DATE_EPOCH. */
class ReproducibleBuildTest {
    @TempDir
    Path dir;

    @Test
    void twoBuildsWithTheSameSourceDateEpochAreByteIdentical() throws Exception {
        Path in = SampleBundle.writeInputs(dir.resolve("in"));
        Path key = dir.resolve("k");
        assertThat(CliRun.of("keygen", "--out", key).exitCode()).isZero();
        Path a = dir.resolve("a.nojit"), b = dir.resolve("b.nojit"), c = dir.resolve("c.nojit");
        assertThat(build(in, key, a, "1700000000")).isZero();
        Thread.sleep(1100); // a build that used the clock would now differ
        assertThat(build(in, key, b, "1700000000")).isZero();
        assertThat(build(in, key, c, "1700000001")).isZero();
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        assertThat(Files.readAllBytes(a)).isNotEqualTo(Files.readAllBytes(c));
        assertThat(CliRun.of("inspect", a).out()).contains("created:  2023-11-14T22:13:20Z");
        assertThat(build(in, key, dir.resolve("d.nojit"), "yesterday")).isEqualTo(ExitCodes.USAGE);
    }

    private static int build(Path in, Path key, Path out, String epoch) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Nojit.class.getName(),
                "build", "--key", key.toString(), "--out", out.toString(),
                "--exec", "/bin/cat=" + in.resolve("cat.wasm"),
                "--exec", "/bin/hello=" + in.resolve("hello.wasm"),
                "--script", "/task.sh=" + in.resolve("task.sh"), "--interpreter", "/bin/cat",
                "--dir", "/srv=" + in.resolve("tree")));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SOURCE_DATE_EPOCH", epoch);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        if (p.exitValue() != 0 && !epoch.equals("yesterday")) System.err.println(output);
        return p.exitValue();
    }
}
