package dev.nojit.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runner itself: a script of deliberately wrong expectations (src/test/resources/spec-selftest/) must
 * fail exactly the wrong commands, each for the stated reason; hangs in guest code and in a start function
 * must end as failures within the time limit instead of stalling the test.
 */
class SpecRunnerSelfTest {
    private static final Duration LIMIT = Duration.ofMillis(500);

    /** In script order: the reason each wrong command must be reported with. */
    private static final List<String> EXPECTED_FAILURES = List.of(
            "expected i32 3, got 2",
            "expected i64 4294967295, got -1",
            "expected arithmetic f32 NaN, got 0x7fa00000",
            "expected canonical f32 NaN, got 0x7fe00000",
            "expected canonical f64 NaN, got 0xfffc000000000000",
            "expected f32 0xbf800000",
            "expected externref 2, got 1",
            "expected externref null, got 1",
            "expected trap 'integer overflow', got 'integer divide by zero'",
            "expected trap 'integer divide by zero', returned 1 values",
            "expected call stack exhaustion, returned",
            "spin: trapped: interrupted",
            "wait_forever: trapped: interrupted",
            "linked a module that should be unlinkable",
            "expected link error 'unknown import'",
            "expected trap 'out of bounds memory access', got 'unreachable'",
            "instantiated a module that should trap while instantiating",
            "accepted a module that should be refused",
            "module refused",
            "no module (current)",
            "hung: no answer within 1000 ms",
            "not run: the command at line 60 hung");

    @Test
    @Timeout(60) // a runner whose time limits do not work would otherwise hang here on "spin"
    void failsExactlyTheWrongExpectations() throws Exception {
        Path wast = Path.of(SpecRunnerSelfTest.class.getResource("/spec-selftest/wrong_expectations.wast").toURI());
        Path json = Wast2Json.convert(wast, Path.of("target", "spec-selftest"));

        SpecRunner.Result r = SpecRunner.run(json, LIMIT, SpecRunner.INTERPRETER);

        assertThat(r.failures()).hasSameSizeAs(EXPECTED_FAILURES);
        for (int i = 0; i < EXPECTED_FAILURES.size(); i++) {
            assertThat(r.failures().get(i)).as("failure %d", i).contains(EXPECTED_FAILURES.get(i));
        }
        assertThat(r.failed()).isEqualTo(EXPECTED_FAILURES.size());
        assertThat(r.passed()).isEqualTo(12);
        assertThat(r.skipped()).isZero();
    }
}
