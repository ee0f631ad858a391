package dev.nojit.vkernel.guests;

import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.KernelConfig;
import dev.nojit.vkernel.testing.TestContainers;
import dev.nojit.vkernel.testing.TestContainers.Run;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.nojit.vkernel.guests.WaliImage.assertAllPassed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fork bombs against the per-container process limit (guests/src/wali/wali-forkbomb.c): a tree
 * in which every process forks gets EAGAIN and winds down by itself; an endless one that
 * ignores EAGAIN is ended by the timeout, leaves no guest thread behind, and the next
 * container runs normally.
 */
class ForkBombTest extends WaliImageTest {
    @Test
    void aTreeOfForkingProcessesMeetsTheLimitAndWindsDown() {
        Run r = image.run(KernelConfig.defaults().withMaxProcesses(32), "wali-forkbomb", "tree");
        assertAllPassed(r);
        assertThat(r.out()).contains("ok the fork tree met EAGAIN and nothing else",
                "ok the tree grew to the limit, not to its full size",
                "ok every process of the tree reaped its children and exited 0", "ok nothing left to reap");
    }

    @Test
    void anEndlessForkBombIsEndedByTheTimeoutAndTheHostCarriesOn() throws Exception {
        Run bomb = TestContainers.run(image.bundle(), Container.Options.defaults().withConfig(KernelConfig.defaults().withMaxProcesses(32)),
                "", "/bin/wali-forkbomb", List.of("endless"), Duration.ofSeconds(3));
        assertThat(bomb.result().timedOut()).isTrue();
        assertThat(bomb.exitCode()).isEqualTo(137);

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (guestThreads() > 0 && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(guestThreads()).as("guest threads left after the container ended").isZero();

        Run next = image.run("wali-hello");
        assertThat(next.exitCode()).isZero();
        assertThat(next.out()).isEqualTo("hello from WALI, pid 1\n");
    }

    @Test
    void anotherContainerRunsNormallyWhileABombGoesOff() throws Exception {
        var bomb = java.util.concurrent.CompletableFuture.supplyAsync(() -> TestContainers.run(image.bundle(),
                Container.Options.defaults().withConfig(KernelConfig.defaults().withMaxProcesses(32)), "", "/bin/wali-forkbomb",
                List.of("endless"), Duration.ofSeconds(4)));
        Thread.sleep(500); // the bomb is at its limit by now
        Run pipeline = image.run("wali-pipeline");
        assertAllPassed(pipeline);
        assertThat(pipeline.out()).contains("ok three-stage pipeline counts 333 multiples of 3");
        assertThat(bomb.get().result().timedOut()).isTrue();
    }

    private static long guestThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("nojit-pid-")).count();
    }
}
