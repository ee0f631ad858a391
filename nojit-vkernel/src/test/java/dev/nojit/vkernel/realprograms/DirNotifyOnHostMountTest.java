package dev.nojit.vkernel.realprograms;

import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.testing.Guests;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.testing.TestContainers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * toolchain/tests/dnotify.c (directory change notification) with the container's /tmp a mounted
 * host directory: its directories are host nodes, and every event the guest's own changes cause
 * there must arrive exactly as natively (LibcTestsTest runs it on the memory layer).
 */
class DirNotifyOnHostMountTest {
    private static final String DIR = "userland/libc-tests/";

    @TempDir
    Path tmp;

    @Test
    void eventsInAHostDirectoryAreThoseLinuxReports() throws Exception {
        Path host = Files.createDirectory(tmp.resolve("host"));
        BundleBuilder b = new BundleBuilder().executable("/bin/dnotify", Guests.copy(DIR + "dnotify.wasm", tmp));
        VerifiedBundle bundle = TestContainers.bundle(b, tmp);
        Container.Options options = Container.Options.defaults().withEnv(List.of("GREETING=hi"))
                .withMounts(List.of(new Container.Mount("/tmp", host, false)));
        TestContainers.Run r = TestContainers.run(bundle, options, "", "/bin/dnotify", List.of(), Duration.ofSeconds(60));
        String expected = new String(Guests.bytes(DIR + "dnotify.out"), StandardCharsets.UTF_8);
        assertThat(r.out()).as("stderr: %s", r.err()).isEqualTo(expected);
        assertThat(r.exitCode()).isZero();
        try (var left = Files.list(host)) {
            assertThat(left).as("the guest removed everything it made in the host directory").isEmpty();
        }
    }
}
