package dev.nojit.vkernel.guests;

import dev.nojit.vkernel.testing.TestContainers.Run;
import org.junit.jupiter.api.Test;


import static dev.nojit.vkernel.guests.WaliImage.assertAllPassed;
import static org.assertj.core.api.Assertions.assertThat;

/** setjmp/sigsetjmp/longjmp as lua and bash use them (guests/src/wali/wali-setjmp.c). */
class WaliSetjmpTest extends WaliImageTest {
    @Test
    void nestedJumpsAcrossFramesAndManyRounds() {
        Run r = image.once("setjmp", () -> image.run("wali-setjmp"));
        assertAllPassed(r);
        assertThat(r.out()).contains("ok longjmp to the inner setjmp returns there",
                "ok longjmp to the outer setjmp past a live inner one", "ok longjmp(b, 0) makes setjmp return 1",
                "ok 100,000 setjmp/longjmp round trips", "ok 100,000 setjmps in one live frame",
                "ok a jump out of 1,000 frames that each hold a live setjmp");
    }

    @Test
    void sigsetjmpMasksAndJumpsOutOfHandlers() {
        Run r = image.once("setjmp", () -> image.run("wali-setjmp"));
        assertThat(r.out()).contains("ok sigsetjmp(b, 1): the jump restores the saved mask",
                "ok sigsetjmp(b, 0): the mask stays as it was at the jump", "ok three jumps out of a handler",
                "ok the handler's mask is gone after each jump");
    }

    @Test
    void aJumpToAReturnedFrameKillsOnlyThatProcess() {
        Run r = image.once("setjmp", () -> image.run("wali-setjmp"));
        assertThat(r.out()).contains("stale jump: signal 11", "ok the parent continues after it");
    }
}
