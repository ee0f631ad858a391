package dev.nojit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DemoTest {
    @TempDir
    Path dir;

    @Test
    void theDemoBuildsVerifiesAndShowsATamperedCopyRefused() throws Exception {
        Path work = dir.resolve("demo");
        CliRun r = CliRun.of("demo", "--dir", work);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("[4] verified").contains("/usr/share/agent/task.sh  (interpreter /bin/sh)")
                .contains("5 executables, 2 scripts").contains("[6] a copy with one bit flipped").contains("does not match its hash");
        assertThat(work.resolve("example.nojit")).isRegularFile();
        assertThat(CliRun.of("verify", work.resolve("example.nojit"), "--pubkey", work.resolve("demo.key.pub")).exitCode()).isZero();
        assertThat(CliRun.of("demo", "--dir", work).exitCode()).as("refuses a non-empty directory").isEqualTo(ExitCodes.USAGE);
        assertThat(Files.list(work).count()).isGreaterThan(3);
    }
}
