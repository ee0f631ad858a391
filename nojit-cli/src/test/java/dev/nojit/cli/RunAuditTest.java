package dev.nojit.cli;

import dev.nojit.audit.AuditVerifier;
import dev.nojit.bundle.testing.Guests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code nojit run} and its audit log as a user meets them, each run a real JVM: the log's
 * default place, a violation under kill-process and kill-container, and durability — the JVM
 * killed with SIGKILL right after a violation still leaves the event in the file.
 */
class RunAuditTest {
    @TempDir
    Path dir;
    Path key;

    @BeforeEach
    void setUp() throws Exception {
        key = dir.resolve("k");
        assertThat(CliRun.of("keygen", "--out", key).exitCode()).isZero();
    }

    private Path bundle(String name, String onViolation) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in-" + name));
        Path policy = Files.writeString(in.resolve("policy.json"), "{\"onViolation\": \"" + onViolation + "\"}");
        Path app = dir.resolve(name + ".nojit");
        CliRun build = CliRun.of("build", "--key", key, "--out", app, "--policy", policy,
                "--exec", "/bin/sup=" + Guests.copy("wali-supervise.wasm", in),
                "--exec", "/bin/attack=" + Guests.copy("wali-violate.wasm", in));
        assertThat(build.exitCode()).as(build.err()).isZero();
        return app;
    }

    private static List<String> lines(Path log) throws Exception {
        return Files.readAllLines(log, StandardCharsets.UTF_8);
    }

    @Test
    void byDefaultTheLogGoesBesideTheRunAndIsNamedInTheOutput() throws Exception {
        Path app = bundle("plain", "kill-process");
        Path cwd = Files.createDirectories(dir.resolve("cwd"));
        CliProcess r = CliProcess.runIn(cwd, "", "run", app, "--pubkey", key + ".pub", "--", "/bin/sup", "/bin/attack", "mmap-exec");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("child killed by signal 9", "supervisor alive");
        try (var files = Files.list(cwd)) {
            Path log = files.filter(f -> f.getFileName().toString().matches("nojit-audit-[0-9a-f]{16}\\.jsonl")).findFirst().orElseThrow();
            assertThat(r.err()).contains("nojit run: audit log " + log.getFileName() + " (7 events)");
            assertThat(AuditVerifier.verify(log).intact()).isTrue();
            assertThat(lines(log)).filteredOn(l -> l.contains("\"type\":\"memory_exec_denied\"")).singleElement()
                    .satisfies(l -> assertThat(l).contains("\"action\":\"kill-process\"", "\"name\":\"mmap\"", "PROT_EXEC"));
        }
        // Never overwritten: a second run naming the same file is refused before anything runs.
        Path existing = dir.resolve("existing.jsonl");
        Files.writeString(existing, "evidence\n");
        CliProcess again = CliProcess.run("", "run", app, "--pubkey", key + ".pub", "--audit-log", existing, "--", "/bin/sup", "/bin/attack", "mmap-exec");
        assertThat(again.exitCode()).isEqualTo(125);
        assertThat(again.err().lines().count()).isEqualTo(1);
        assertThat(Files.readString(existing)).isEqualTo("evidence\n");
    }

    @Test
    void underKillContainerAViolationStopsEverythingAndRunExits137() throws Exception {
        Path app = bundle("strict", "kill-container");
        Path log = dir.resolve("strict.jsonl");
        CliProcess r = CliProcess.run("", "run", app, "--pubkey", key + ".pub", "--audit-log", log,
                "--", "/bin/sup", "/bin/attack", "personality-rie");
        assertThat(r.exitCode()).isEqualTo(137);
        assertThat(r.out()).contains("attempt personality-rie").doesNotContain("supervisor alive");
        assertThat(r.err()).contains("the policy stopped the container");
        assertThat(AuditVerifier.verify(log).intact()).isTrue();
        List<String> events = lines(log);
        assertThat(events).anySatisfy(l -> assertThat(l).contains("\"type\":\"memory_exec_denied\"", "\"action\":\"kill-container\""));
        assertThat(events.getLast()).contains("\"type\":\"container_stop\"", "\"exit_code\":137", "stopped_by_policy");
    }

    @Test
    void theViolationIsInTheFileWhenTheJvmIsKilledRightAfterIt() throws Exception {
        Path app = bundle("durable", "kill-process");
        Path log = dir.resolve("durable.jsonl");
        // The supervisor reports the attacker's death, then sleeps: the container never ends by itself.
        Process p = CliProcess.start(dir, "run", app, "--pubkey", key + ".pub", "--audit-log", log,
                "--", "/bin/sup", "--stay", "/bin/attack", "exec-elf", "/tmp/elf");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("supervisor alive")) {
                // the attempt, then the child's death
            }
            assertThat(line).isEqualTo("supervisor alive");
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no close of the log
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(p.exitValue()).isEqualTo(137);
        AuditVerifier.Verification v = AuditVerifier.verify(log);
        assertThat(v.intact()).as(v.problem()).isTrue();
        List<String> events = lines(log);
        assertThat(events).anySatisfy(l -> assertThat(l).contains("\"type\":\"exec_denied\"", "\"path\":\"/tmp/elf\"", "\"action\":\"kill-process\""));
        // The JVM died mid-run: no container_stop.
        assertThat(events.getLast()).doesNotContain("container_stop");
    }
}
