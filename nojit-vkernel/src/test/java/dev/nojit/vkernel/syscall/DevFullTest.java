package dev.nojit.vkernel.syscall;

import dev.nojit.vkernel.fs.OpenFlags;
import dev.nojit.vkernel.memory.GuestMemory;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /dev/full as on Linux (drivers/char/mem.c): a character device 1:7 whose reads give zeros and
 * whose every write fails with ENOSPC (BusyBox's dd-reports-write-errors writes to it).
 */
class DevFullTest {
    static final long PATH = 0x1000, BUF = 0x1100, STAT = 0x1200;

    @Test
    void readsZerosAndRefusesEveryWrite() {
        try (DirectCalls d = DirectCalls.open()) {
            GuestMemory m = d.memory;
            m.write(PATH, "/dev/full\0".getBytes(StandardCharsets.UTF_8));
            long fd = d.call("openat", OpenFlags.AT_FDCWD, PATH, OpenFlags.O_RDWR, 0);
            assertThat(fd).isGreaterThanOrEqualTo(0);
            m.write(BUF, "abcdefgh".getBytes(StandardCharsets.UTF_8));
            assertThat(d.call("write", fd, BUF, 8)).isEqualTo(-Errno.ENOSPC);
            assertThat(d.call("write", fd, BUF, 1)).isEqualTo(-Errno.ENOSPC);
            assertThat(d.call("read", fd, BUF, 8)).isEqualTo(8);
            assertThat(m.readLong(BUF)).isZero();
            assertThat(d.call("fstat", fd, STAT)).isZero();
            // x86-64 struct stat: st_mode @24, st_rdev @40
            assertThat(m.readInt(STAT + 24) & 0170000).isEqualTo(0020000);
            assertThat(m.readLong(STAT + 40)).isEqualTo((1 << 8) | 7);
            // /dev/zero and /dev/null still take writes
            m.write(PATH, "/dev/zero\0".getBytes(StandardCharsets.UTF_8));
            long zero = d.call("openat", OpenFlags.AT_FDCWD, PATH, OpenFlags.O_RDWR, 0);
            assertThat(d.call("write", zero, BUF, 8)).isEqualTo(8);
        }
    }
}
