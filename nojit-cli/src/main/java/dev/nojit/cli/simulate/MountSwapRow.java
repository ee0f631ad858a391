package dev.nojit.cli.simulate;

import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.fs.HostTreeSnapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The host side of a mount-swap row (issue 15; guests/attacks/mountswap.c): a private directory
 * under the simulation's scratch directory holding {@code mount}, mounted read-write at
 * {@value #CONTAINER_PATH}, and a canary tree beside it, {@code canary}, whose {@code f} has a
 * size and mode ({@value #CANARY_SIZE} bytes, 0604) no file of the attack has. The row passes
 * only if the judge passes it and the canary, looked at from outside after the run, is as it was.
 */
final class MountSwapRow {
    static final String CONTAINER_PATH = "/mnt/swap";
    static final long CANARY_SIZE = 4099, CANARY_MODE = 0100604;

    private MountSwapRow() {}

    /** Runs {@code t} with the mount through {@code container} (a Simulation's run) and judges it, canary included. */
    static Row run(Technique t, Path scratch, Function<List<Container.Mount>, Judge.Run> container) {
        Path dir = null;
        try {
            Files.createDirectories(scratch);
            dir = Files.createTempDirectory(scratch, t.name() + "-");
            Path mount = Files.createDirectories(dir.resolve("mount"));
            Path canary = Files.createDirectories(dir.resolve("canary/sub"));
            Path f = canary.resolveSibling("f");
            Files.writeString(f, "CANARY" + "x".repeat((int) CANARY_SIZE - 6));
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw----r--"));
            Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000_000_000L));
            Files.writeString(canary.resolve("g"), "CANARY g");
            Files.writeString(mount.resolve("canary-path"), canary.getParent().toString());
            HostTreeSnapshot before = HostTreeSnapshot.of(dir, Set.of("mount"));
            Row row = Judge.judge(t, container.apply(List.of(new Container.Mount(CONTAINER_PATH, mount, false))));
            List<String> changed = HostTreeSnapshot.of(dir, Set.of("mount")).differences(before);
            if (row.passed() && !changed.isEmpty()) {
                return new Row(t, "GOT THROUGH: the canary beside the mount changed: " + changed.getFirst(), row.seq(), false);
            }
            return row;
        } catch (IOException e) {
            return new Row(t, "the simulation could not prepare the mount: " + e, "-", false);
        } finally {
            if (dir != null) delete(dir);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException | UncheckedIOException e) {
            // a leftover in the simulation's own scratch directory, removed with it
        }
    }

    /** Whether a stat answer the guest printed (STEP size= / mode=) is the canary's. */
    static boolean isCanary(String step, long value) {
        return (step.equals("size") && value == CANARY_SIZE) || (step.equals("mode") && value == CANARY_MODE);
    }
}
