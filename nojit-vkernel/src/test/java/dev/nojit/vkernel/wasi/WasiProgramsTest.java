package dev.nojit.vkernel.wasi;

import dev.nojit.audit.MemoryAuditSink;
import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.testing.Guests;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.testing.TestContainers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real wasi-libc programs (guests/src/wasi) on the WASI personality, through a signed bundle and
 * a container: files, directories, links, clocks, randomness, descriptors, poll; a WASI program
 * started by a WALI parent with inherited descriptors; hostile arguments.
 */
class WasiProgramsTest {
    @TempDir
    static Path dir;
    static VerifiedBundle bundle;

    /** What one run printed and which WASI imports it called. */
    record Run(Container.Result result, String out, String err, Map<String, Long> calls, Map<String, Long> unimplemented) {
        int exitCode() {
            return result.exitCode();
        }
    }

    @BeforeAll
    static void bundle() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        bundle = TestContainers.bundle(new BundleBuilder()
                .executable("/bin/wasi-files", Guests.copy("wasi-files.wasm", in))
                .executable("/bin/wasi-hostile", Guests.copy("wasi-hostile.wasm", in))
                .executable("/bin/wali-run-wasi", Guests.copy("wali-run-wasi.wasm", in))
                .executable("/bin/hello", Guests.copy("hello.wasm", in))
                .file("/etc/motd", Files.writeString(in.resolve("motd"), "Welcome to the container\n")), dir);
    }

    private static Run run(Container.Options options, String stdin, String path, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        MemoryAuditSink audit = new MemoryAuditSink();
        Container.Options o = options.withStdio(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out, err)
                .withAudit(audit);
        try (Container c = Container.create(bundle, o)) {
            Container.Result r = c.run(path, List.of(args), Duration.ofSeconds(60));
            // None of these programs attacks the policy: not one violation may be recorded (no false positives).
            assertThat(audit.events()).filteredOn(e -> e.type().isViolation()).as("policy violations").isEmpty();
            return new Run(r, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                    c.kernel().callCounts(), c.kernel().unimplementedCounts());
        }
    }

    private static Run run(String path, String... args) {
        return run(Container.Options.defaults(), "", path, args);
    }

    private static Set<String> wasiCalls(Run r) {
        return r.calls().keySet().stream().filter(k -> k.startsWith(WasiPersonality.MODULE + "."))
                .map(k -> k.substring(WasiPersonality.MODULE.length() + 1)).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void filesDirectoriesLinksClocksAndDescriptors() {
        Run r = run(Container.Options.defaults().withEnv(List.of("FOO=bar baz")), "", "/bin/wasi-files", "one", "two words");
        assertThat(r.out()).as(r.err()).doesNotContain("FAIL").containsPattern("\\d+ checks, 0 failures\n");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).startsWith("argc=3\narg 1=one\narg 2=two words\nFOO=bar baz\n");
        long checks = Long.parseLong(r.out().lines().filter(l -> l.endsWith(" checks, 0 failures")).findFirst().orElseThrow()
                .split(" ")[0]);
        assertThat(checks).isGreaterThan(90);
        assertThat(r.out().lines().filter(l -> l.startsWith("ok ")).count()).isEqualTo(checks); // every check ran and passed
        // every import wasi-libc can make except the sock_* ones was really called
        assertThat(wasiCalls(r)).containsAll(List.of("args_get", "args_sizes_get", "clock_res_get", "clock_time_get",
                "environ_get", "environ_sizes_get", "fd_advise", "fd_allocate", "fd_close", "fd_datasync",
                "fd_fdstat_get", "fd_fdstat_set_flags", "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size",
                "fd_filestat_set_times", "fd_pread", "fd_prestat_dir_name", "fd_prestat_get", "fd_pwrite", "fd_read",
                "fd_readdir", "fd_renumber", "fd_seek", "fd_sync", "fd_write", "path_create_directory",
                "path_filestat_get", "path_filestat_set_times", "path_link", "path_open", "path_readlink",
                "path_remove_directory", "path_rename", "path_symlink", "path_unlink_file", "poll_oneoff",
                "random_get", "sched_yield"));
        assertThat(r.unimplemented()).isEmpty();
    }

    @Test
    void procExitSetsTheExitStatus() {
        assertThat(run("/bin/wasi-files", "exit", "7").exitCode()).isEqualTo(7);
        assertThat(run("/bin/wasi-files", "exit", "0").exitCode()).isZero();
    }

    @Test
    void procRaiseTakesWasiSignalNumbers() {
        Run term = run("/bin/wasi-files", "raise", "15"); // SIGTERM in both numberings: dies
        assertThat(term.exitCode()).isEqualTo(128 + 15);
        assertThat(term.out()).doesNotContain("still here");
        Run chld = run("/bin/wasi-files", "raise", "16"); // WASI SIGCHLD (Linux 17): ignored by default
        assertThat(chld.exitCode()).as(chld.err()).isZero();
        assertThat(chld.out()).isEqualTo("still here: 0\n");
        Run sys = run("/bin/wasi-files", "raise", "30"); // WASI SIGSYS (Linux 31): dies, not Linux 30 (SIGPWR)
        assertThat(sys.exitCode()).isEqualTo(128 + 31);
        Run bad = run("/bin/wasi-files", "raise", "99");
        assertThat(bad.out()).isEqualTo("still here: 28\n"); // EINVAL
    }

    @Test
    void aWasiProgramStartedByAWaliParentInheritsItsDescriptorsAndEnvironment() {
        Run r = run("/bin/wali-run-wasi", "/bin/wasi-files", "inherit");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).as(r.err()).doesNotContain("FAIL")
                .contains("ok write to the inherited descriptor 3\n")
                .contains("ok the preopen works past fd 3\n")
                .contains("ok stdout is a pipe: ESPIPE\n")
                .contains("stdin said: hello through a pipe\n")
                .contains("FOO=from-wali\n")
                .contains("child exited 0\n")
                .endsWith("fd 3 got: written by the WASI program to its inherited fd 3\n");
    }

    @Test
    void hostilePointersAndLengthsAreErrnosAndTheHostSurvives() {
        Run r = run("/bin/wasi-hostile");
        assertThat(r.out()).as(r.err()).doesNotContain("FAIL").contains("survived with 0 failures");
        assertThat(r.out().lines().filter(l -> l.startsWith("ok ")).count()).isGreaterThanOrEqualTo(40);
        assertThat(r.out()).contains("ok fd_write: buffer outside memory\n", "ok path_open: path outside memory\n",
                "ok path_open: a 4 GiB path length\n");
        assertThat(r.exitCode()).isZero();
        // the bad writes wrote nothing: the only output is the report
        assertThat(r.out().lines().allMatch(l -> l.startsWith("ok ") || l.startsWith("survived"))).isTrue();

        Run after = run("/bin/hello");
        assertThat(after.exitCode()).isZero();
        assertThat(after.out()).isEqualTo("hello from a signed nojit guest\n");
    }
}
