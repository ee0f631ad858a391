package dev.nojit.vkernel.syscall;

import dev.nojit.vkernel.fs.OpenFlags;
import dev.nojit.vkernel.memory.GuestMemory;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found by the syscall fuzzer (regression input: SyscallFuzzTestInputs/syscallSequences/
 * linkat-empty-path-on-stdout): the *at calls given AT_EMPTY_PATH and a descriptor without a
 * file (a pipe, a host stream) threw a NullPointerException out
 * of the handler. linkat now answers ENOENT (nothing to link, as Linux answers for a file never
 * linked), fchownat and utimensat EINVAL (as fchown and futimens answer for a pipe here).
 */
class EmptyPathOnPipeTest {
    static final long EMPTY = 0x1000, FDS = 0x1100, NEW_PATH = 0x1200;

    @Test
    void atCallsOnAPipeDescriptorAnswerAnErrno() {
        try (DirectCalls d = DirectCalls.open()) {
            GuestMemory m = d.memory;
            m.writeByte(EMPTY, 0);
            m.write(NEW_PATH, "/tmp/l\0".getBytes(StandardCharsets.UTF_8));
            assertThat(d.call("pipe2", FDS, 0)).isZero();
            long readEnd = m.readInt(FDS);
            long at = OpenFlags.AT_EMPTY_PATH;
            assertThat(d.call("linkat", readEnd, EMPTY, OpenFlags.AT_FDCWD, NEW_PATH, at)).isEqualTo(-Errno.ENOENT);
            assertThat(d.call("fchownat", readEnd, EMPTY, 0, 0, at)).isEqualTo(-Errno.EINVAL);
            assertThat(d.call("utimensat", readEnd, EMPTY, 0, at)).isEqualTo(-Errno.EINVAL);
            // what Linux does for the same calls on a file is unchanged
            assertThat(d.call("linkat", OpenFlags.AT_FDCWD, EMPTY, OpenFlags.AT_FDCWD, NEW_PATH, 0)).isEqualTo(-Errno.ENOENT);
        }
    }
}
