package dev.nojit.vkernel.syscall;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

import java.util.SplittableRandom;

/**
 * The decisions a fuzz run makes (which syscall, which argument, which bytes), from Jazzer's
 * input or from a seeded generator, so the same harness serves the coverage-guided fuzzer and
 * the seeded runs of the ordinary test suite.
 */
interface FuzzChoices {
    /** A number in [0, n). */
    int pick(int n);

    long anyLong();

    byte[] bytes(int max);

    /** Whether the input is used up (Jazzer's; a generator never is). */
    boolean exhausted();

    static FuzzChoices of(FuzzedDataProvider data) {
        return new FuzzChoices() {
            @Override
            public int pick(int n) {
                return data.consumeInt(0, n - 1);
            }

            @Override
            public long anyLong() {
                return data.consumeLong();
            }

            @Override
            public byte[] bytes(int max) {
                return data.consumeBytes(data.consumeInt(0, max));
            }

            @Override
            public boolean exhausted() {
                return data.remainingBytes() == 0;
            }
        };
    }

    static FuzzChoices of(SplittableRandom rnd) {
        return new FuzzChoices() {
            @Override
            public int pick(int n) {
                return rnd.nextInt(n);
            }

            @Override
            public long anyLong() {
                return rnd.nextLong();
            }

            @Override
            public byte[] bytes(int max) {
                byte[] b = new byte[rnd.nextInt(max + 1)];
                rnd.nextBytes(b);
                return b;
            }

            @Override
            public boolean exhausted() {
                return false;
            }
        };
    }
}
