package dev.nojit.cli;

import dev.nojit.audit.AuditVerifier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit budget with real {@code nojit run} processes and real flood guests
 * (guests/attacks/audit.c): the flood is aggregated into audit_suppressed events, then the
 * container is stopped fail-closed with audit_budget_exceeded; the log verifies and no violation
 * the guest attempted is missing.
 */
class AuditBudgetRunTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    @TempDir
    Path dir;
    Path key, app;

    @BeforeEach
    void setUp() throws Exception {
        AttackAuditBundle bundle = AttackAuditBundle.build(dir);
        key = bundle.key();
        app = bundle.app();
    }

    private static List<JsonNode> events(Path log) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) out.add(JSON.readTree(l));
        return out;
    }

    private static long ofType(List<JsonNode> events, String type) {
        return events.stream().filter(e -> e.path("type").asString("").equals(type)).count();
    }

    private static long suppressed(List<JsonNode> events, String type) {
        return events.stream().filter(e -> e.path("type").asString("").equals("audit_suppressed"))
                .mapToLong(e -> e.path("suppressed").path(type).path("count").asLong(0)).sum();
    }

    private record Flood(CliProcess run, Path log, List<JsonNode> events) {}

    /** {@code attack-audit TECHNIQUE ROUNDS} under a budget of 16 KiB and 32 events a second, and what every flood ends with. */
    private Flood flood(String technique, String rounds) throws Exception {
        Path log = dir.resolve(technique + ".jsonl");
        CliProcess r = CliProcess.run("", "run", app, "--pubkey", key + ".pub", "--audit-log", log, "--audit-budget", "16k,32",
                "--", "/bin/attack-audit", technique, rounds);
        List<JsonNode> events = events(log);
        aggregatedThenStopped(r, log, events);
        return new Flood(r, log, events);
    }

    /** What every flood ends with: summaries, the budget's stop, the container's stop; the chain intact. */
    private static void aggregatedThenStopped(CliProcess r, Path log, List<JsonNode> events) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(137);
        assertThat(r.err()).contains("nojit run: the policy stopped the container: the audit budget is exceeded (16k,32 per second");
        assertThat(AuditVerifier.verify(log).intact()).isTrue();
        assertThat(ofType(events, "audit_suppressed")).isPositive();
        assertThat(ofType(events, "audit_budget_exceeded")).isOne();
        JsonNode exceeded = events.stream().filter(e -> e.path("type").asString("").equals("audit_budget_exceeded")).findFirst().orElseThrow();
        assertThat(exceeded.path("action").asString()).isEqualTo("kill-container");
        assertThat(exceeded.path("budget").path("bytes_per_second").asLong()).isEqualTo(16 << 10);
        JsonNode last = events.getLast();
        assertThat(last.path("type").asString()).isEqualTo("container_stop");
        assertThat(last.path("stopped_by_policy").asString()).contains("audit budget is exceeded");
    }

    @Test
    void anExecFloodWithHugeArgvIsAggregatedThenStopped() throws Exception {
        Flood f = flood("audit-flood", "2000");
        List<JsonNode> events = f.events();
        assertThat(f.run().out()).doesNotContain("SURVIVED");
        long written = ofType(events, "exec") - 1; // process 1's own exec
        long counted = suppressed(events, "exec");
        assertThat(counted).as("more counted than written: the flood was aggregated").isGreaterThan(written);
        assertThat(written + counted).as("the flood stopped long before its 2000 rounds").isLessThan(2000);
        // 16 KiB/s for at most a 4 s burst plus the 30 s allowance: the file stays small.
        assertThat(Files.size(f.log())).isLessThan(2L << 20);
        CliRun show = CliRun.of("audit", "show", f.log());
        assertThat(show.exitCode()).isZero();
        assertThat(show.out()).containsPattern("audit_suppressed .* denied +exec ×\\d+")
                .containsPattern("audit_budget_exceeded .* kill-container .*the audit budget is exceeded");
    }

    @Test
    void aBadBudgetIsOneLineAndExit125() throws Exception {
        for (String bad : List.of("256k", "0,1", "1k,0", "lots,256")) {
            CliProcess r = CliProcess.run("", "run", app, "--pubkey", key + ".pub", "--audit-budget", bad, "--", "/bin/wali-hello");
            assertThat(r.exitCode()).as(bad).isEqualTo(125);
            assertThat(r.err().strip()).as(bad).startsWith("nojit run: --audit-budget " + bad + ": ").doesNotContain("\n");
        }
    }

    /**
     * The shim does not trust the vkernel to keep the budget: a vkernel that floods without one and
     * ignores the end of its relay is cut off by the shim's own budget (twice the vkernel's), killed
     * after the grace, and the log ends with the shim's audit_budget_exceeded and its stop.
     */
    @Test
    void aVkernelThatIgnoresTheBudgetIsCutOffAndKilledByTheShim() throws Exception {
        Path log = dir.resolve("disobedient.jsonl");
        long start = System.nanoTime();
        CliProcess r = CliProcess.runWith(dir, List.of("-D" + VkernelProcess.TEST_MAIN_PROPERTY + "=" + DisobedientVkernelMain.class.getName()),
                java.util.Map.of(), "run", app, "--pubkey", key + ".pub", "--audit-log", log, "--audit-budget", "16k,32",
                "--host-lockdown", "off", "--", "/bin/wali-hello");
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertThat(r.exitCode()).as(r.err()).isEqualTo(137);
        assertThat(r.err()).contains("disobedient vkernel: cut off", "the vkernel ended unexpectedly (exit 137)",
                "the audit budget is exceeded (32k,64 per second");
        assertThat(seconds).as("killed after the grace, not at a timeout").isLessThan(60);
        assertThat(AuditVerifier.verify(log).intact()).isTrue();
        List<JsonNode> events = events(log);
        JsonNode exceeded = events.stream().filter(e -> e.path("type").asString("").equals("audit_budget_exceeded")).findFirst().orElseThrow();
        assertThat(exceeded.path("budget").path("bytes_per_second").asLong()).as("the shim's budget").isEqualTo(32 << 10);
        assertThat(ofType(events, "audit_suppressed")).isPositive();
        assertThat(events.getLast().path("type").asString()).isEqualTo("container_stop");
        assertThat(events.getLast().path("error").asString()).contains("audit budget is exceeded");
    }

    @Test
    void aViolationFloodUnderKillProcessLosesNoViolation() throws Exception {
        Flood f = flood("violation-flood", "5000");
        List<JsonNode> events = f.events();
        long attempted = f.run().out().lines().filter(l -> l.equals("ATTEMPT violation-flood")).count();
        long recorded = ofType(events, "memory_exec_denied");
        assertThat(attempted).isGreaterThan(50);
        assertThat(suppressed(events, "memory_exec_denied")).as("violations are never aggregated").isZero();
        assertThat(suppressed(events, "process_exit")).as("their exits are").isPositive();
        // Children run one at a time: the last one may have printed ATTEMPT and been killed by the
        // container's stop before its mmap reached the policy. Every other attempt is in the log.
        assertThat(recorded).isBetween(attempted - 1, attempted);
    }
}
