package dev.nojit.vkernel.guests;

import dev.nojit.vkernel.KernelConfig;
import dev.nojit.vkernel.testing.TestContainers.Run;
import org.junit.jupiter.api.Test;

import static dev.nojit.vkernel.guests.WaliImage.assertAllPassed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * fork of a 64 MiB process (guests/src/wali/wali-forkcopy.c): parent and child each see the memory of the fork and
 * only their own writes after it, over every 4 KiB page, in either order, at once, and over forks in a row (what any
 * cheaper copy, lazy or copy-on-write, must keep).
 */
class ForkCopyTest extends WaliImageTest {
    @Test
    void eachSideSeesTheMemoryOfTheForkAndOnlyItsOwnWrites() {
        Run r = image.run(KernelConfig.defaults().withMemoryLimit(512L << 20), "wali-forkcopy");
        assertAllPassed(r);
        assertThat(r.out()).contains("ok the child sees the memory of the fork, not the parent's later writes",
                "ok the parent keeps the memory of the fork, not the child's writes",
                "ok the parent writing at once: its own writes only",
                "ok the child writing at once: the fork's memory, then its own writes only",
                "ok 8 forks in a row: each child sees the memory of its own fork",
                "ok the parent after 8 forks: its last writes");
    }
}
