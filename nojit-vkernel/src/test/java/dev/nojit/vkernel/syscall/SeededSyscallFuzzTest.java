package dev.nojit.vkernel.syscall;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The direct syscall fuzzer's harness ({@link DirectSyscallHarness}) on seeded sequences, as
 * part of the ordinary build and of its locked-down run (Jazzer's own target, {@link
 * SyscallFuzzTest}, does not run under the host lockdown: its agent needs calls the vkernel's
 * filter forbids).
 */
class SeededSyscallFuzzTest {
    /** Seeded runs in each test run of the build: a few seconds ({@code -Dnojit.syscallfuzz.runs=N} and {@code .seed=S} for more). */
    static final int SEEDED_RUNS = 1500;

    @Test
    void seededSequencesKeepEveryOracle() {
        int runs = Integer.getInteger("nojit.syscallfuzz.runs", SEEDED_RUNS);
        SplittableRandom rnd = new SplittableRandom(Long.getLong("nojit.syscallfuzz.seed", 0x73797363616c6cL));
        int calls = 0, violations = 0, execs = 0, slow = 0, swaps = 0, swapInputs = 0;
        long start = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            DirectSyscallHarness.Outcome o = DirectSyscallHarness.run(FuzzChoices.of(rnd.split()));
            calls += o.calls();
            violations += o.violations();
            execs += o.execs();
            slow += o.slowCalls();
            swaps += o.swaps();
            if (o.swaps() > 0) swapInputs++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("direct syscall fuzzer: %d runs, %d calls (%d bounded by the watchdog), %d violations, %d execs, "
                + "%d mount swaps in %d runs, in %.1f s%n", runs, calls, slow, violations, execs, swaps, swapInputs, seconds);
        // The runs reach the policy: violations and approved execs both happen.
        assertThat(calls).isGreaterThan(runs * 5);
        assertThat(violations).isGreaterThan(runs / 20);
        assertThat(execs).isPositive();
        // About half the inputs swap a directory on the host mount for a symlink and use the old descriptors.
        assertThat(swapInputs).isGreaterThan(runs / 3);
    }
}
