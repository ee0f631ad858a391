package dev.nojit.vkernel.guests;

import dev.nojit.vkernel.testing.TestContainers.Run;
import org.junit.jupiter.api.Test;


import static dev.nojit.vkernel.guests.WaliImage.assertAllPassed;
import static org.assertj.core.api.Assertions.assertThat;

/** Signal semantics beyond wali-signals (guests/src/wali/wali-sigmore.c). */
class WaliSignalsTest extends WaliImageTest {
    private static Run run() {
        return image.once("sigmore", () -> image.run("wali-sigmore"));
    }

    @Test
    void everyCheckPasses() {
        assertAllPassed(run());
    }

    @Test
    void handlerMasksAndFlags() {
        assertThat(run().out()).contains("ok the handler receives the signal number",
                "ok a handler is not re-entered by its own signal", "ok SA_NODEFER lets it nest",
                "ok sa_mask defers another signal until the handler returns", "ok without sa_mask it runs inside the handler",
                "ok SA_RESETHAND: the handler runs once, then SIG_DFL");
    }

    @Test
    void sigsetSizeOtherThanTheKernelsIsRefusedAsOnLinux() {
        assertThat(run().out()).contains("ok rt_sigaction with sigsetsize 128: EINVAL",
                "ok rt_sigprocmask with sigsetsize 16: EINVAL", "ok rt_sigsuspend with sigsetsize 128: EINVAL, without waiting",
                "ok rt_sigpending with sigsetsize 4 writes 4 bytes", "ok rt_sigpending with sigsetsize 16: EINVAL");
    }

    @Test
    void saRestartResumesAnInterruptedRead() {
        assertThat(run().out()).contains("ok with SA_RESTART the read resumes and gets the data");
    }

    @Test
    void interruptedCalls() {
        assertThat(run().out()).contains("ok without SA_RESTART a handled signal makes read fail with EINTR",
                "ok rt_sigsuspend returns EINTR after the handler ran",
                "ok rt_sigsuspend restores the mask", "ok nanosleep interrupted: EINTR", "ok poll interrupted: EINTR",
                "ok wait4 interrupted: EINTR");
    }

    @Test
    void inheritanceGroupsAndDefaultActions() {
        assertThat(run().out()).contains("ok SIGKILL and SIGSTOP stay unblocked",
                "ok fork: mask and dispositions inherited, pending signals not",
                "ok the parent's pending signal arrives on unblocking", "ok kill(0, sig) reaches the caller and its child",
                "ok ignored SIGTERM and default SIGCHLD do not kill",
                "ok SIGKILL kills a child that blocks and ignores the rest");
    }
}
