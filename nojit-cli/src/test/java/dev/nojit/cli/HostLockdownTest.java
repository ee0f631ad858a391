package dev.nojit.cli;

import dev.nojit.audit.AuditVerifier;
import dev.nojit.audit.attest.AttestationFile;
import dev.nojit.audit.attest.AttestationFile.AttestedRun;
import dev.nojit.audit.attest.HostLockdown;
import dev.nojit.bundle.keys.Ed25519Keys;
import dev.nojit.host.seccomp.BpfCompiler;
import dev.nojit.host.seccomp.SeccompPolicy;
import dev.nojit.host.spawn.HostModule;
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

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

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

    /** The attempt, with the module's raw syscall package opened to the test main (as no production run has it). */
    private CliProcess attempt(String name, Path log) throws Exception {
        return attempt(name, log, "-D" + VkernelProcess.TEST_OPTIONS_PROPERTY + "=--add-exports=dev.nojit.host/dev.nojit.host.kernel=ALL-UNNAMED");
    }

    private CliProcess attempt(String name, Path log, String... shimOptions) throws Exception {
        List<String> options = new java.util.ArrayList<>(List.of("-D" + VkernelProcess.TEST_MAIN_PROPERTY + "=" + HostAttemptMain.class.getName()));
        options.addAll(List.of(shimOptions));
        return CliProcess.runWith(dir, options, Map.of("NOJIT_TEST_ATTEMPT", name), "run", app, "--pubkey", key + ".pub",
                "--audit-log", log, "--", "/bin/hello");
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

    /**
     * Native access is the nojit-host module's alone: the vkernel's other code — the class path, where
     * a bug reachable from a guest would run — can neither make a downcall of its own nor reach the
     * module's raw syscall entry point (its package is not exported).
     */
    @ParameterizedTest
    @ValueSource(strings = {"native-downcall", "raw-syscall"})
    void classPathCodeInTheVkernelCannotCallNativeCode(String name) throws Exception {
        CliProcess r = attempt(name, dir.resolve(name + ".jsonl"), new String[0]);
        String refusal = name.equals("native-downcall") ? "java.lang.IllegalCallerException" : "java.lang.IllegalAccessError";
        assertThat(r.err()).contains("host-attempt " + name + ": refused: " + refusal);
        assertThat(r.out()).contains("hello from WALI");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void aStrictRunIsAttestedWithWhatTheKernelShowsAndBothVerifiersAccept() throws Exception {
        Path attestKey = dir.resolve("attest.key");
        assertThat(CliRun.of("keygen", "--out", attestKey).exitCode()).isZero();
        Path log = dir.resolve("attested.jsonl"), attestation = dir.resolve("run.attestation.jsonl");
        CliProcess r = CliProcess.runWith(dir, List.of(), Map.of(), "run", app, "--pubkey", key + ".pub", "--audit-log", log,
                "--attest-key", attestKey, "--attestation", attestation, "--", "/bin/hello");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("hello from WALI");

        AttestedRun run = AttestationFile.read(attestation, Ed25519Keys.readPublic(Ed25519Keys.publicKeyPath(attestKey)));
        HostLockdown l = run.start().statement().lockdown();
        String program = BpfCompiler.compile(SeccompPolicy.vkernel()).sha256Hex();
        assertThat(l.mode()).isEqualTo("strict");
        assertThat(l.seccomp()).isEqualTo(new HostLockdown.Seccomp(true, program, SeccompPolicy.vkernel().rules().size()));
        assertThat(l.shimSeccomp()).isEqualTo(l.seccomp());
        assertThat(l.noNewPrivs()).isTrue();
        assertThat(l.landlock().enforced()).isTrue();
        assertThat(l.landlock().abi()).isPositive();
        assertThat(l.landlock().rules()).extracting(HostLockdown.Rule::path)
                .contains("/dev/urandom", app.toString()).noneMatch(p -> p.equals("/proc") || p.startsWith("/proc/") || p.equals("/"));
        // EXECUTE only where the spawn of the vkernel itself needs it (docs/host-landlock.md); seccomp refuses execve after that.
        assertThat(l.landlock().rules()).filteredOn(rule -> rule.access().contains("execute")).extracting(HostLockdown.Rule::path)
                .isNotEmpty().allMatch(p -> p.endsWith("/bin/java") || p.endsWith("/lib/jspawnhelper") || p.contains("ld-linux"));
        assertThat(l.landlock().rules()).filteredOn(rule -> rule.access().contains("write_file")).extracting(HostLockdown.Rule::path)
                .as("the only writable place is the private scratch directory (no --mount here)").singleElement(as(STRING)).contains("nojit-run-");
        assertThat(l.jvm().flags()).contains("--illegal-native-access=deny", "--sun-misc-unsafe-memory-access=deny",
                "--add-modules", "dev.nojit.host", "--enable-native-access=dev.nojit.host").doesNotContain("--enable-native-access=ALL-UNNAMED");
        assertThat(l.jvm().nativeAccess().module()).isEqualTo("dev.nojit.host");
        assertThat(l.jvm().nativeAccess().sha256()).isEqualTo(RunRecords.codeSha256(HostModule.find().orElseThrow().location()));
        assertThat(run.end().exitCode()).isZero();

        CliRun verify = CliRun.of("attest", "verify", attestation, "--pubkey", Ed25519Keys.publicKeyPath(attestKey));
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("  shim:       filter installed, " + SeccompPolicy.vkernel().rules().size() + " rules, program sha256:" + program);
        CliRun audit = CliRun.of("audit", "verify", log, "--attestation", attestation, "--pubkey", Ed25519Keys.publicKeyPath(attestKey));
        assertThat(audit.exitCode()).as(audit.err()).isZero();
        assertThat(audit.out()).contains("bound to the run attested in " + attestation);
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
            String shimStatus = Files.readString(Path.of("/proc/" + shim.pid() + "/status"));
            assertThat(shimStatus).as("the shim's own filter").containsPattern("NoNewPrivs:\\s+1").containsPattern("Seccomp:\\s+2");
        } finally {
            shim.destroyForcibly();
            shim.waitFor();
        }
    }
}
