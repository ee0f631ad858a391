package dev.nojit.vkernel.testing;

import dev.nojit.vkernel.fs.HostTreeSnapshot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host side of a mount-swap attack (issue 15): {@code DIR/mount}, to mount read-write, and
 * a canary tree beside it, {@code DIR/canary}, whose files all start with "CANARY", whose
 * {@code f} is {@value #CANARY_SIZE} bytes with mode 0604 (numbers a leak would show), with a
 * subdirectory and a name found nowhere else. {@link #snapshot()} is what the host sees of
 * everything in DIR but the mount.
 */
public record MountSwapHost(Path dir, Path mount, Path canary) {
    public static final int CANARY_SIZE = 4321;
    public static final int CANARY_MODE = 0100604;
    public static final String CANARY_ONLY_NAME = "canary-only-name";

    public static MountSwapHost create(Path dir) throws Exception {
        Path mount = Files.createDirectories(dir.resolve("mount"));
        Files.createDirectories(mount.resolve("deep/er"));
        Path canary = dir.resolve("canary");
        Files.createDirectories(canary.resolve("sub"));
        Path f = canary.resolve("f");
        Files.writeString(f, "CANARY" + "x".repeat(CANARY_SIZE - 6));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw----r--"));
        Files.writeString(canary.resolve("sub/g"), "CANARY g");
        Files.writeString(canary.resolve(CANARY_ONLY_NAME), "CANARY only");
        Files.writeString(canary.resolve("lnk"), "CANARY lnk");
        Files.writeString(dir.resolve("f"), "CANARY beside the mount");
        for (Path p : List.of(f, canary.resolve("sub/g"), canary.resolve(CANARY_ONLY_NAME), dir.resolve("f"))) {
            Files.setLastModifiedTime(p, FileTime.fromMillis(1_000_000_000_000L));
        }
        return new MountSwapHost(dir, mount, canary);
    }

    public HostTreeSnapshot snapshot() {
        return HostTreeSnapshot.of(dir, Set.of("mount"));
    }

    /**
     * The guest's ROOT TARGET pairs: symlink targets that climb out of the mount on the host
     * (relative, from two depths), that name the container's root, and absolute host paths
     * (refused with EPERM, and the old descriptors are used all the same).
     */
    public List<String> swapArguments(String containerMount) {
        return List.of(containerMount, "../canary", containerMount, "..", containerMount, "/",
                containerMount, canary.toString(), containerMount, dir.toString(),
                containerMount + "/deep/er", "../../../canary", containerMount + "/deep", "../../..");
    }

    /** The rounds {@link #swapArguments} makes. */
    public static final int ROUNDS = 7;

    /**
     * What wali-mountswap printed shows every check passed in every round and nothing of the
     * canary (no size or mode in a stat answer, no name, no content); the canary tree is as it
     * was {@code before}; the calls acted on the moved directories inside the mount.
     */
    public void assertContained(String out, HostTreeSnapshot before) throws Exception {
        assertThat(out).contains("rounds done").doesNotContain("FAIL");
        assertThat(snapshot().differences(before)).as("the canary tree beside the mount").isEmpty();
        List<String> observed = out.lines().filter(l -> l.startsWith("observed ")).toList();
        assertThat(observed).hasSizeGreaterThan(3 * ROUNDS)
                .noneMatch(l -> l.contains(" size=" + CANARY_SIZE + " "))
                .noneMatch(l -> l.contains(" mode=" + CANARY_MODE + " "));
        assertThat(out).doesNotContain("listed ", "read canary content", CANARY_ONLY_NAME);
        for (int round = 1; round <= ROUNDS; round++) {
            Path base = round == 6 ? mount.resolve("deep/er") : round == 7 ? mount.resolve("deep") : mount;
            Path moved = base.resolve("moved-" + round + "/f");
            assertThat(Files.readString(moved)).as("round %d", round).isEqualTo("inside");
            assertThat(Files.getLastModifiedTime(moved).toMillis()).as("round %d", round).isEqualTo(2_000_000L);
        }
        long perRound = out.lines().filter(l -> l.startsWith("ok round 1: ")).count();
        assertThat(perRound).isGreaterThanOrEqualTo(35);
        assertThat(out.lines().filter(l -> l.startsWith("ok round ")).count()).isEqualTo(ROUNDS * perRound);
    }
}
