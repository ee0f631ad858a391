package dev.nojit.vkernel.syscall;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer's target for the direct syscall fuzzer ({@link DirectSyscallHarness}: sequences of
 * WALI syscalls, arguments and guest memory, with the policy's and the kernel's oracles after
 * every call). In the ordinary build it runs in regression mode over the committed inputs under
 * {@code src/test/resources/dev/nojit/vkernel/syscall/SyscallFuzzTestInputs/syscallSequences/};
 * with {@code JAZZER_FUZZ=1} it fuzzes, coverage-guided, for {@code maxDuration} or
 * {@code JAZZER_MAX_DURATION} (docs/fuzzing.md). A crash it finds is saved in that directory and
 * from then on replayed by every build.
 */
class SyscallFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void syscallSequences(FuzzedDataProvider data) {
        DirectSyscallHarness.run(FuzzChoices.of(data));
    }
}
