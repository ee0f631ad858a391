package dev.nojit.cli;

import dev.nojit.audit.AuditVerifier;
import dev.nojit.bundle.testing.Guests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Host lockdown on this kernel, tried for real: each test starts `nojit run` (the shim, its own
 * JVM), which starts a locked-down vkernel JVM whose test main ({@link HostAttemptMain}) tries one
 * host-level attack from inside right after the lockdown. Exec-memory attempts kill the vkernel
 * (SIGSYS) and the shim records a `lockdown` event and fails the run; the others are refused
 * (seccomp EPERM, Landlock EACCES) and the container runs on.
 */
class HostLockdownTest {
    @TempDir
    Path dir;
    Path app;
    Path key;

    @BeforeEach
    void setUp() throws Exception {
        key = dir.resolve("k");
        assertThat(CliRun.of("keygen", "--out", key).exitCode()).isZero();
        app = dir.resolve("app.nojit");
        Path in = Files.createDirectories(dir.resolve("in"));
        CliRun build = CliRun.of("build", "--key", key, "--out", app,
                "--exec", "/bin/hello=" + Guests.copy("wali-hello.wasm", in),
                "--exec", "/bin/sup=" + Guests.copy("wali-supervise.wasm", in));
        assertThat(build.exitCode()).as(build.err()).isZero();
    }

    private CliProcess attempt(String name, Path log) throws Exception {
        return CliProcess.runWith(dir, List.of("-D" + VkernelProcess.TEST_MAIN_PROPERTY + "=" + HostAttemptMain.class.getName()),
                Map.of("NOJIT_TEST_ATTEMPT", name), "run", app, "--pubkey", key + ".pub", "--audit-log", log, "--", "/bin/hello");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mmap-exec", "mprotect-exec", "pkey-mprotect", "personality", "shmat-exec"})
    void execMemoryAttemptsKillTheVkernelAndTheShimRecordsIt(String name) throws Exception {
        Path log = dir.resolve(name + ".jsonl");
        CliProcess r = attempt(name, log);
        assertThat(r.err()).doesNotContain("host-attempt " + name);
        assertThat(r.out()).doesNotContain("hello from WALI");
        assertThat(r.exitCode()).isEqualTo(159);
        assertThat(r.err()).contains("killed by the host's seccomp filter (SIGSYS)");
        assertThat(AuditVerifier.verify(log).intact()).isTrue();
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"type\":\"lockdown\"", "SIGSYS", "\"action\":\"kill-container\""));
        assertThat(lines.getLast()).contains("\"type\":\"container_stop\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memfd", "mremap", "exec"})
    void otherDangerousCallsGetEpermAndTheContainerRunsOn(String name) throws Exception {
        CliProcess r = attempt(name, dir.resolve(name + ".jsonl"));
        assertThat(r.err()).containsPattern("host-attempt " + name + ": (errno 1|refused: .*error: 1.*)");
        assertThat(r.out()).contains("hello from WALI");
        assertThat(r.exitCode()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"proc-mem", "write-outside", "read-outside"})
    void landlockConfinesTheVkernelsFiles(String name) throws Exception {
        CliProcess r = attempt(name, dir.resolve(name + ".jsonl"));
        assertThat(r.err()).contains("host-attempt " + name + ": refused: java.nio.file.AccessDeniedException");
        assertThat(r.out()).contains("hello from WALI");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void duringARunTheVkernelShowsNoNewPrivsAndASeccompFilter() throws Exception {
        Process shim = CliProcess.start(dir, "run", app, "--pubkey", key + ".pub", "--audit-log", dir.resolve("live.jsonl"),
                "--", "/bin/sup", "--stay", "/bin/hello");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(shim.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("supervisor alive")) {
                // hello's line, the child's end
            }
            assertThat(line).isEqualTo("supervisor alive");
            ProcessHandle vkernel = shim.toHandle().children().findFirst().orElseThrow();
            String status = Files.readString(Path.of("/proc/" + vkernel.pid() + "/status"));
            assertThat(status).containsPattern("NoNewPrivs:\\s+1").containsPattern("Seccomp:\\s+2");
        } finally {
            shim.destroyForcibly();
            shim.waitFor();
        }
    }
}
