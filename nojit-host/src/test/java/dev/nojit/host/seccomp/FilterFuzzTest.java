package dev.nojit.host.seccomp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nojit.host.seccomp.ClassicBpfInterpreter.SeccompData;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compiled vkernel filter against {@link #expected}, a decision function written from the
 * issue's list by hand, not from {@link SeccompPolicy}: a seeded loop of 200,000 cases biased
 * toward the interesting numbers and bits, and a Jazzer target for longer runs
 * ({@code JAZZER_FUZZ=1}).
 */
class FilterFuzzTest {
    static final ClassicBpfInterpreter BPF = new ClassicBpfInterpreter(BpfCompiler.compile(SeccompPolicy.vkernel()).bytes());
    static final int[] RULE_NUMBERS = {9, 10, 329, 135, 30, 25, 319, 59, 322, 101, 310, 311, 321, 323, 425, 426, 427, 298, 246,
            320, 175, 313, 304, 250, 248, 249, 165, 166, 272, 308, 155, 428, 429, 430, 431, 432, 433, 442, 56, 435};

    /** The filter's decision, written independently: SECCOMP_RET_* values. */
    static int expected(int arch, int nr, long[] args) {
        final int allow = 0x7fff_0000, eperm = 0x0005_0001, kill = 0x8000_0000;
        if (arch != 0xC000_003E) return kill;
        if ((nr & 0xffff_ffffL) >= 0x4000_0000L) return kill;
        long prot = args[2] & 0xffff_ffffL;
        return switch (nr) {
            case 9, 10, 329 -> (prot & 4) != 0 ? kill : allow;                            // mmap, mprotect, pkey_mprotect
            case 135 -> (int) args[0] == -1 ? allow : kill;                                // personality: query only
            case 30 -> (args[2] & 0x8000) != 0 ? kill : allow;                              // shmat SHM_EXEC
            case 56 -> (args[0] & 0x7E02_0000L) != 0 ? eperm : allow;                       // clone into new namespaces
            case 435 -> 0x0005_0026;                                                        // clone3: ENOSYS
            case 25, 319, 59, 322, 101, 310, 311, 321, 323, 425, 426, 427, 298, 246, 320, 175, 313, 304, 250, 248, 249,
                 165, 166, 272, 308, 155, 428, 429, 430, 431, 432, 433, 442 -> eperm;
            default -> allow;
        };
    }

    @Test
    void twoHundredThousandSeededCases() {
        SplittableRandom rnd = new SplittableRandom(0x6e6f6a6974L);
        int kills = 0, eperms = 0;
        for (int i = 0; i < 200_000; i++) {
            int arch = switch (rnd.nextInt(10)) {
                case 0 -> rnd.nextInt();
                case 1 -> 0x4000_0003;
                default -> 0xC000_003E;
            };
            int nr = switch (rnd.nextInt(10)) {
                case 0, 1, 2, 3, 4 -> RULE_NUMBERS[rnd.nextInt(RULE_NUMBERS.length)] + rnd.nextInt(3) - 1;
                case 5, 6 -> rnd.nextInt(512);
                case 7 -> 0x4000_0000 | rnd.nextInt(600);
                default -> rnd.nextInt();
            };
            long[] args = new long[6];
            for (int a = 0; a < 6; a++) args[a] = argument(rnd);
            int want = expected(arch, nr, args);
            int got = BPF.run(new SeccompData(nr, arch, args));
            if (got != want) {
                throw new AssertionError(String.format("arch 0x%x nr %d args %s: filter 0x%x, expected 0x%x", arch, nr,
                        java.util.Arrays.toString(args), got, want));
            }
            if (want == 0x8000_0000) kills++;
            if (want == 0x0005_0001) eperms++;
        }
        assertThat(kills).as("the cases reach every action").isGreaterThan(10_000);
        assertThat(eperms).isGreaterThan(10_000);
    }

    private static long argument(SplittableRandom rnd) {
        return switch (rnd.nextInt(7)) {
            case 0 -> rnd.nextLong();
            case 1 -> rnd.nextInt(8);                                  // PROT_* combinations
            case 2 -> 0xffff_ffffL | ((long) rnd.nextInt(2) << 32);   // the personality query, with a high word or not
            case 3 -> (long) rnd.nextInt() << 32 | rnd.nextInt(0x10000); // high word set, small low word (SHM_EXEC, PROT_EXEC)
            case 4 -> 0x0400000;                                        // READ_IMPLIES_EXEC
            case 5 -> rnd.nextBoolean() ? 0x003d_0f00 | (1L << (17 + rnd.nextInt(15))) : 0x003d_0f00; // clone: thread flags, a namespace bit or not
            default -> rnd.nextInt(0x20000);
        };
    }

    @FuzzTest(maxDuration = "30s")
    void compiledFilterMatchesTheDecisionFunction(FuzzedDataProvider data) {
        int arch = data.consumeBoolean() ? 0xC000_003E : data.consumeInt();
        int nr = data.consumeBoolean() ? RULE_NUMBERS[data.consumeInt(0, RULE_NUMBERS.length - 1)] : data.consumeInt();
        long[] args = new long[6];
        for (int a = 0; a < 6; a++) args[a] = data.consumeLong();
        int want = expected(arch, nr, args);
        int got = BPF.run(new SeccompData(nr, arch, args));
        if (got != want) throw new AssertionError(String.format("arch 0x%x nr %d: filter 0x%x, expected 0x%x", arch, nr, got, want));
    }
}
