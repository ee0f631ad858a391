package dev.nojit.vkernel.guests;

import dev.nojit.vkernel.testing.TestContainers.Run;
import org.junit.jupiter.api.Test;


import static dev.nojit.vkernel.guests.WaliImage.assertAllPassed;
import static org.assertj.core.api.Assertions.assertThat;

/** Pipes in depth (guests/src/wali/wali-pipes.c): capacity, blocking, atomicity, EOF, EPIPE, poll and select. */
class WaliPipesTest extends WaliImageTest {
    @Test
    void capacityBlockingAtomicityEofAndEpipe() {
        Run r = image.once("pipes", () -> image.run("wali-pipes"));
        assertAllPassed(r);
        assertThat(r.out()).contains("ok a pipe holds 64 KiB", "ok full non-blocking write: EAGAIN",
                "ok 1 MiB through the pipe, in order", "ok the blocked 1 MiB write returned the full count",
                "ok 128-byte writes are atomic", "ok EOF waits for the writer in another process",
                "ok write without a reader: EPIPE", "ok the SIGPIPE handler ran once", "ok writev and readv",
                "ok a non-blocking 100,000-byte write into an empty pipe writes 65536", "ok zero-length read and write: 0");
    }

    @Test
    void pollAndSelectReadiness() {
        Run r = image.once("pipes", () -> image.run("wali-pipes"));
        assertThat(r.out()).contains("ok poll: a full pipe is not writable", "ok poll wakes when another process writes",
                "ok poll timeout: 0 ready", "ok poll: POLLNVAL for a closed descriptor",
                "ok poll: POLLERR on a write end without a reader", "ok select: only the pipe with data",
                "ok select: an empty pipe is writable", "ok select timeout: 0 ready, set cleared",
                "ok select on a closed descriptor: EBADF", "ok lseek on a pipe: ESPIPE");
    }
}
