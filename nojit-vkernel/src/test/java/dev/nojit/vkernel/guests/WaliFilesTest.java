package dev.nojit.vkernel.guests;

import dev.nojit.vkernel.KernelConfig;
import dev.nojit.vkernel.testing.TestContainers.Run;
import org.junit.jupiter.api.Test;


import static dev.nojit.vkernel.guests.WaliImage.assertAllPassed;
import static org.assertj.core.api.Assertions.assertThat;

/** The file system beyond wali-files (guests/src/wali/wali-paths.c): *at calls, links, the image layer, limits. */
class WaliFilesTest extends WaliImageTest {
    private static Run paths() {
        return image.once("paths", () -> image.run("wali-paths"));
    }

    @Test
    void everyCheckPasses() {
        assertAllPassed(paths());
    }

    @Test
    void theReadOnlyImageLayerUnderTheWritableOne() {
        assertThat(paths().out()).contains("ok an executable in the image has x bits", "ok a data file has none",
                "ok access(X_OK)", "ok mkdir inside an image directory", "ok unlink an image file",
                "ok the unlinked image file stays gone", "ok create a file where the image file was", "ok rename an image file",
                "ok empty and remove an image directory");
    }

    @Test
    void atCallsLinksRenamesAndErrorsByType() {
        assertThat(paths().out()).contains("ok openat relative to a directory", "ok newfstatat with AT_SYMLINK_NOFOLLOW",
                "ok newfstatat with AT_EMPTY_PATH", "ok unlinkat with and without AT_REMOVEDIR",
                "ok openat relative to a bad descriptor: EBADF", "ok fchdir", "ok getcwd into a small buffer: ERANGE",
                "ok a hard link shares the inode, nlink 2", "ok an unlinked file stays readable through its descriptor",
                "ok rename replaces an existing file", "ok rename a directory into itself: EINVAL",
                "ok O_DIRECTORY on a file: ENOTDIR", "ok read from a directory: EISDIR", "ok the hole reads as zeros",
                "ok an O_APPEND write goes to the end", "ok /proc/self/fd lists an open descriptor",
                "ok and no longer lists it once closed", "ok /proc/PID/exe",
                "ok getdents64 one entry per call lists them all once",
                "ok getdents64 into a buffer too small for one entry: EINVAL", "ok dup2(fd, fd) returns fd; dup3(fd, fd): EINVAL");
    }

    @Test
    void theWritableLayerHasASizeLimit() {
        Run r = image.once("fill", () -> image.run(KernelConfig.defaults().withWritableLimit(1L << 20), "wali-paths", "fill"));
        assertThat(r.out()).contains("ok the writable layer fills up: ENOSPC", "ok unlink a full file", "ok mkdir works again");
        long kib = r.out().lines().filter(l -> l.startsWith("written before ENOSPC: "))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElseThrow();
        assertThat(kib).isBetween(768L, 1024L);
    }

    @Test
    void unlinkGivesTheSpaceBack() {
        Run r = image.once("fill", () -> image.run(KernelConfig.defaults().withWritableLimit(1L << 20), "wali-paths", "fill"));
        assertThat(r.out()).contains("ok writing works again after unlink");
    }
}
