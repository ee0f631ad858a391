package dev.nojit.vkernel.wasi;

import dev.nojit.vkernel.syscall.Errno;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Linux errno → WASI errno (WASI numbers its errors alphabetically), and WASI signal numbers. */
class WasiErrnoTest {
    @Test
    void linuxErrnosBecomeWasiNumbers() {
        int[][] pairs = {{Errno.ENOENT, 44}, {Errno.EBADF, 8}, {Errno.EINVAL, 28}, {Errno.ENOSYS, 52}, {Errno.EFAULT, 21},
                {Errno.EEXIST, 20}, {Errno.ENOTDIR, 54}, {Errno.EISDIR, 31}, {Errno.ENOTEMPTY, 55}, {Errno.EACCES, 2},
                {Errno.EAGAIN, 6}, {Errno.EPIPE, 64}, {Errno.ESPIPE, 70}, {Errno.ENAMETOOLONG, 37}, {Errno.ELOOP, 32},
                {Errno.EROFS, 69}, {Errno.ENOSPC, 51}, {Errno.EXDEV, 75}, {Errno.EMFILE, 33}, {Errno.EINTR, 27},
                {Errno.ENOTSUP, 58}, {Errno.EPERM, 63}, {Errno.ENOMEM, 48}, {Errno.E2BIG, 1}, {Errno.ECHILD, 12},
                {Errno.ETIMEDOUT, 73}, {111, 14 /* ECONNREFUSED */}, {0, 0}};
        for (int[] p : pairs) assertThat(WasiErrno.fromLinux(p[0])).as("Linux errno %d", p[0]).isEqualTo(p[1]);
    }

    @Test
    void unknownNumbersAreIo() {
        assertThat(WasiErrno.fromLinux(15 /* ENOTBLK */)).isEqualTo(WasiErrno.IO);
        assertThat(WasiErrno.fromLinux(-3)).isEqualTo(WasiErrno.IO);
        assertThat(WasiErrno.fromLinux(100_000)).isEqualTo(WasiErrno.IO);
    }

    @Test
    void wasiSignalsAreLinuxOnesWithoutStkflt() {
        assertThat(WasiEnvironment.linuxSignal(15)).isEqualTo(15); // TERM
        assertThat(WasiEnvironment.linuxSignal(16)).isEqualTo(17); // CHLD
        assertThat(WasiEnvironment.linuxSignal(30)).isEqualTo(31); // SYS
        assertThat(WasiEnvironment.linuxSignal(0)).isZero();
        assertThatThrownBy(() -> WasiEnvironment.linuxSignal(31)).isInstanceOf(dev.nojit.vkernel.syscall.SyscallError.class);
    }
}
