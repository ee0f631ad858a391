package dev.nojit.vkernel.guests;

import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.testing.Guests;
import dev.nojit.host.files.HostFd;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.fs.HostTreeSnapshot;
import dev.nojit.vkernel.testing.MountSwapHost;
import dev.nojit.vkernel.testing.TestContainers;
import dev.nojit.vkernel.testing.TestContainers.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The symlink swap on a read-write host mount (issue 15), by a real guest
 * (guests/src/wali/wali-mountswap.c) through the vkernel: after renaming a directory away and
 * planting a symlink in its place, every descriptor-based call on the old descriptors answers an
 * errno or acts on the moved directory inside the mount. The canary tree beside the mount is
 * checked from outside: nothing in it was read, written, chmod'ed, touched, listed or linked,
 * and no stat answer carried its size or mode. Runs plain and under the vkernel's host lockdown
 * (whose Landlock rules let this JVM reach the canary: nothing but the descriptors protects it).
 */
class MountSwapTest {
    @TempDir
    Path dir;

    private Run swap(MountSwapHost host) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        BundleBuilder b = new BundleBuilder().executable("/bin/wali-mountswap", Guests.copy("wali-mountswap.wasm", in));
        VerifiedBundle bundle = TestContainers.bundle(b, dir);
        Container.Options options = Container.Options.defaults()
                .withMounts(List.of(new Container.Mount("/data", host.mount(), false)));
        return TestContainers.run(bundle, options, "", "/bin/wali-mountswap", host.swapArguments("/data"), Duration.ofSeconds(120));
    }

    @Test
    void everyOperationOnAnOldDescriptorStaysInTheMount() throws Exception {
        MountSwapHost host = MountSwapHost.create(Files.createDirectories(dir.resolve("host")));
        HostTreeSnapshot before = host.snapshot();
        long descriptors = HostFd.live();
        Run r = swap(host);

        assertThat(r.exitCode()).as("stdout: %s%nstderr: %s", r.out(), r.err()).isZero();
        host.assertContained(r.out(), before);
        // The container closed every host descriptor it had.
        assertThat(HostFd.live()).isLessThanOrEqualTo(descriptors);
    }
}
