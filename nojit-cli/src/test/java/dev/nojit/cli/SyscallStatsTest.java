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

/**
 * NOJIT_SYSCALL_STATS=FILE as a new user sets it: a relative name, from the directory {@code nojit run}
 * starts in, under the default strict lockdown. The locked-down vkernel cannot write there; the shim
 * appends what it counted. A file the shim cannot write is refused before the run, in one line.
 */
class SyscallStatsTest {
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
        CliRun build = CliRun.of("build", "--key", key, "--out", app, "--exec", "/bin/wali-hello=" + in.resolve("wali-hello.wasm"));
        assertThat(build.exitCode()).as(build.err()).isZero();
    }

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
}
