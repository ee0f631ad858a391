package dev.nojit.cli;

import dev.nojit.bundle.testing.Guests;
import dev.nojit.vkernel.fs.HostTreeSnapshot;
import dev.nojit.vkernel.testing.MountSwapHost;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The symlink swap on a read-write {@code --mount} through a real {@code nojit run} (shim and
 * vkernel processes), under both host lockdowns: with {@code off} nothing but the vkernel's
 * descriptors stands between the guest and the canary tree beside the mount; with
 * {@code strict} Landlock would stop data access to it but not metadata (issue 15 read the size
 * and mode of /etc/shadow that way). Every old-descriptor call of guests/src/wali/wali-mountswap.c
 * answers an errno or acts on the moved directory inside the mount.
 */
class MountSwapRunTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"strict", "off"})
    void noOldDescriptorReachesOutsideTheMount(String lockdown) throws Exception {
        Path key = dir.resolve("k");
        assertThat(CliRun.of("keygen", "--out", key).exitCode()).isZero();
        Path app = dir.resolve("app.nojit");
        Path in = Files.createDirectories(dir.resolve("in"));
        CliRun build = CliRun.of("build", "--key", key, "--out", app,
                "--exec", "/bin/wali-mountswap=" + Guests.copy("wali-mountswap.wasm", in));
        assertThat(build.exitCode()).as(build.err()).isZero();
        MountSwapHost host = MountSwapHost.create(Files.createDirectories(dir.resolve("host")));
        HostTreeSnapshot before = host.snapshot();

        // The log beside the host tree, never in a directory above the mount (nojit run refuses that).
        Path log = Files.createDirectories(dir.resolve("log")).resolve("audit.jsonl");
        List<Object> args = new ArrayList<>(List.of("run", app, "--pubkey", key + ".pub", "--audit-log", log,
                "--host-lockdown", lockdown, "--mount", "/data=" + host.mount(), "--", "/bin/wali-mountswap"));
        args.addAll(host.swapArguments("/data"));
        CliProcess r = CliProcess.runWith(dir, List.of(), Map.of(), args.toArray());

        assertThat(r.exitCode()).as("stdout: %s%nstderr: %s", r.out(), r.err()).isZero();
        host.assertContained(r.out(), before);
    }
}
