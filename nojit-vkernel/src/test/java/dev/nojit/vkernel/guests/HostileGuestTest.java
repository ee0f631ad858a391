package dev.nojit.vkernel.guests;

import dev.nojit.vkernel.KernelConfig;
import dev.nojit.vkernel.testing.TestContainers.Run;
import org.junit.jupiter.api.Test;


import static dev.nojit.vkernel.guests.WaliImage.assertAllPassed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile guests (guests/src/wali/wali-hostile.c): bad pointers, huge lengths, negative
 * descriptors, long names and deep paths, symlink chains, 100,000 argv or environment strings,
 * memory taken past the container's limit. Each attempt is an error returned to the guest; the
 * guest, its neighbours and the host carry on.
 */
class HostileGuestTest extends WaliImageTest {
    private static Run attempts() {
        return image.once("attempts", () -> image.run("wali-hostile"));
    }

    @Test
    void everyAttemptIsAnError() {
        assertAllPassed(attempts());
    }

    @Test
    void pointersLengthsDescriptorsAndNamesAreErrorsAndTheGuestSurvives() {
        Run r = attempts();
        assertThat(r.out()).contains("ok writev with a bad iovec array: EFAULT", "ok writev with 2^30 iovecs: EINVAL",
                "ok a 2 GiB write from a small buffer: EFAULT", "ok getcwd into a bad buffer: EFAULT",
                "ok rt_sigaction from a bad pointer: EFAULT", "ok execve with a bad argv array: EFAULT",
                "ok wait4 into a bad status pointer: EFAULT, and the child can still be reaped",
                "ok negative descriptors everywhere: EBADF", "ok a 300-byte name: ENAMETOOLONG",
                "ok 50 chained symlinks: ELOOP", "ok execve with 100,000 arguments: E2BIG");
        assertThat(r.out()).endsWith("survived\n");
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void execveCountsThePointersOfArgvAndEnvpLikeLinux() {
        // 100,000 strings of 20 bytes: 2,000,000 bytes of text, plus 100,000 pointers, is past ARG_MAX (2 MiB).
        assertThat(attempts().out()).contains("ok execve with 100,000 environment strings: E2BIG");
    }

    @Test
    void memoryPastTheContainerLimitIsRefused() {
        Run r = image.run(KernelConfig.defaults().withMemoryLimit(64L << 20), "wali-hostile", "oom");
        assertAllPassed(r);
        assertThat(r.out()).contains("ok mmap past the memory limit: ENOMEM", "ok memory.grow past the memory limit: -1",
                "ok brk past the memory limit: the break stays", "survived");
    }

    @Test
    void aNeighbourKeepsWorkingWhileAnotherHoldsAllTheMemory() {
        Run r = image.run(KernelConfig.defaults().withMemoryLimit(64L << 20), "wali-hostile", "oom-neighbours");
        assertAllPassed(r);
        assertThat(r.out()).contains("ok the well-behaved neighbours piped 200000 bytes while memory was exhausted",
                "ok the memory hog got ENOMEM and exited 0");
    }
}
