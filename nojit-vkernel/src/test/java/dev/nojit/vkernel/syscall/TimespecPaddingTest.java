package dev.nojit.vkernel.syscall;

import dev.nojit.vkernel.fs.OpenFlags;
import dev.nojit.vkernel.memory.GuestMemory;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WALI guest's {@code struct timespec} is {i64 tv_sec, i32 tv_nsec, 32 bits of padding}: musl
 * for wasm32 leaves the padding as it was (its {@code sleep} and {@code utimes} build the struct
 * on the stack), so the vkernel reads tv_nsec from the low 32 bits, as Linux does for its compat
 * ABIs. Found by BusyBox under nojit: {@code sleep 1} in a child returned at once (nanosleep
 * EINVAL) and {@code cp -p} could not set times (utimensat EINVAL).
 */
class TimespecPaddingTest {
    static final long TS = 0x1000, PATH = 0x1100, STAT = 0x1200;
    static final long GARBAGE = 0xdead_beefL << 32;

    @Test
    void theUpperHalfOfTvNsecIsPadding() {
        try (DirectCalls d = DirectCalls.open()) {
            GuestMemory m = d.memory;
            // nanosleep and clock_nanosleep: 1 µs with garbage in the padding sleeps
            timespec(m, TS, 0, GARBAGE | 1000);
            assertThat(d.call("nanosleep", TS, 0)).isZero();
            assertThat(d.call("clock_nanosleep", 1, 0, TS, 0)).isZero();
            // an out-of-range tv_nsec in the low half is still EINVAL, padding or not
            timespec(m, TS, 0, 1_000_000_000L);
            assertThat(d.call("nanosleep", TS, 0)).isEqualTo(-Errno.EINVAL);
            timespec(m, TS, 0, GARBAGE | 0xFFFF_FFFFL); // (long) -1 in 32 bits
            assertThat(d.call("nanosleep", TS, 0)).isEqualTo(-Errno.EINVAL);

            // utimensat: the times land whole, UTIME_OMIT still means omit
            m.write(PATH, "/tmp/f\0".getBytes(StandardCharsets.UTF_8));
            long fd = d.call("openat", OpenFlags.AT_FDCWD, PATH, OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0644);
            assertThat(fd).isGreaterThanOrEqualTo(0);
            timespec(m, TS, 1_600_000_000L, GARBAGE | 123_456_789L);
            timespec(m, TS + 16, 1_500_000_000L, GARBAGE | 987_654_321L);
            assertThat(d.call("utimensat", OpenFlags.AT_FDCWD, PATH, TS, 0)).isZero();
            assertThat(d.call("newfstatat", OpenFlags.AT_FDCWD, PATH, STAT, 0)).isZero();
            // x86-64 struct stat: st_atim @72, st_mtim @88
            assertThat(m.readLong(STAT + 72)).isEqualTo(1_600_000_000L);
            assertThat(m.readLong(STAT + 80)).isEqualTo(123_456_789L);
            assertThat(m.readLong(STAT + 88)).isEqualTo(1_500_000_000L);
            assertThat(m.readLong(STAT + 96)).isEqualTo(987_654_321L);
            timespec(m, TS, 0, GARBAGE | PathSyscalls.UTIME_OMIT);
            timespec(m, TS + 16, 1_400_000_000L, GARBAGE);
            assertThat(d.call("utimensat", OpenFlags.AT_FDCWD, PATH, TS, 0)).isZero();
            assertThat(d.call("newfstatat", OpenFlags.AT_FDCWD, PATH, STAT, 0)).isZero();
            assertThat(m.readLong(STAT + 72)).isEqualTo(1_600_000_000L);
            assertThat(m.readLong(STAT + 88)).isEqualTo(1_400_000_000L);
            assertThat(m.readLong(STAT + 96)).isZero();
        }
    }

    private static void timespec(GuestMemory m, long addr, long sec, long nsecWord) {
        m.writeLong(addr, sec);
        m.writeLong(addr + 8, nsecWord);
    }
}
