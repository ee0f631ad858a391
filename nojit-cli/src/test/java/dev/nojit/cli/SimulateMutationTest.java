package dev.nojit.cli;

import dev.nojit.cli.simulate.Row;
import dev.nojit.cli.simulate.Simulation;
import dev.nojit.cli.simulate.SimulationBundles;
import dev.nojit.cli.simulate.Technique;
import dev.nojit.cli.simulate.Techniques;
import dev.nojit.vkernel.policy.PolicyCheck;
import dev.nojit.vkernel.policy.PolicyMutations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mutation test of issue 7: removing any one policy check makes at least one row of
 * {@code nojit simulate} fail. For each {@link PolicyCheck}, a test build switches that one check
 * off ({@link PolicyMutations}, test-only) and runs the techniques the catalogue says it stops:
 * every one of them must now be reported as failed — and the same techniques pass again once the
 * check is back, so the failures come from the missing check and nothing else.
 */
class SimulateMutationTest {
    @TempDir
    static Path dir;
    static SimulationBundles bundles;

    @BeforeAll
    static void build() throws Exception {
        bundles = SimulationBundles.build(dir);
    }

    @AfterAll
    static void close() throws Exception {
        bundles.close();
    }

    private static List<Technique> stoppedBy(PolicyCheck check) {
        return Techniques.all().stream().filter(t -> t.check() == check).toList();
    }

    @Test
    void everyCheckStopsAtLeastOneTechnique() {
        assertThat(Arrays.stream(PolicyCheck.values()).filter(c -> stoppedBy(c).isEmpty())).isEmpty();
    }

    @ParameterizedTest(name = "without {0}")
    @EnumSource(PolicyCheck.class)
    void withoutTheCheckItsTechniquesGetThrough(PolicyCheck check) throws Exception {
        List<Technique> techniques = stoppedBy(check);
        List<Row> rows;
        try (AutoCloseable off = PolicyMutations.without(check)) {
            rows = new Simulation(bundles, 4, Simulation.scratch(dir)).run(techniques);
        }
        assertThat(rows).as("rows without %s", check).hasSize(techniques.size())
                .allSatisfy(r -> {
                    assertThat(r.passed()).as("%s: %s", r.technique().name(), r.observed()).isFalse();
                    // got through: the forbidden thing ran or returned, and no violation was recorded
                    assertThat(r.observed()).as(r.technique().name()).startsWith("GOT THROUGH");
                    assertThat(r.seq()).as(r.technique().name()).isEqualTo("-");
                });
        List<Row> again = new Simulation(bundles, 4, Simulation.scratch(dir)).run(techniques);
        assertThat(again).allSatisfy(r -> assertThat(r.passed()).as("%s with the check: %s", r.technique().name(), r.observed()).isTrue());
    }

    /** Through the command line: the hash gate off, the payload runs, the row says so and simulate exits 1. */
    @Test
    void withoutTheHashGateTheCommandReportsTheGotThroughAndExitsOne() throws Exception {
        CliRun r;
        try (AutoCloseable off = PolicyMutations.without(PolicyCheck.EXEC_HASH_GATE)) {
            // in this JVM: the switch is a field of this JVM (a locked-down simulation JVM has every check)
            r = CliRun.of("simulate", "--host-lockdown", "off", "--only", "downloaded-wasm", "--only", "memfd-execveat", "--only", "mmap-exec");
        }
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(r.out()).contains("GOT THROUGH: SURVIVED downloaded-wasm payload-ran")
                .contains("GOT THROUGH: SURVIVED memfd-execveat payload-ran")
                .contains("simulate: 3 techniques, 1 passed, 2 failed");
        assertThat(r.out().lines().filter(l -> l.startsWith("mmap-exec "))).singleElement().satisfies(l -> assertThat(l).endsWith(" pass"));
    }

    /** The default (strict) simulation runs in a JVM of its own: a switch in this JVM does not reach it. */
    @Test
    void theLockedDownSimulationJvmHasEveryCheckWhateverThisJvmHas() throws Exception {
        CliRun r;
        try (AutoCloseable off = PolicyMutations.without(PolicyCheck.EXEC_HASH_GATE)) {
            r = CliRun.of("simulate", "--only", "downloaded-wasm");
        }
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("simulate: 1 techniques, 1 passed, 0 failed").contains("host lockdown: strict");
    }
}
