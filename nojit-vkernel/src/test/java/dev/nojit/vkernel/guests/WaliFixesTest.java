package dev.nojit.vkernel.guests;

import dev.nojit.audit.AuditEvent;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.testing.TestContainers;
import dev.nojit.vkernel.testing.TestContainers.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.nojit.vkernel.guests.WaliImage.assertAllPassed;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 15's small syscall fixes, through guests/src/wali/wali-fixes.c. */
class WaliFixesTest extends WaliImageTest {
    private static Run fixes() {
        return image.once("fixes", () -> image.run("wali-fixes"));
    }

    @Test
    void exclusiveCreateNeverFollowsASymlinkInTheWritableLayerOrTmp() {
        Run r = fixes();
        assertAllPassed(r);
        for (String dir : new String[]{": ", "/tmp: "}) {
            assertThat(r.out()).contains(dir + "ok O_CREAT|O_EXCL on a dangling symlink: EEXIST");
        }
        assertThat(r.out()).contains("ok the symlink's target was not created", "ok O_CREAT|O_EXCL on a symlink to a file: EEXIST",
                "ok the file it points to is untouched", "ok O_CREAT alone through a dangling symlink creates the target");
    }

    @Test
    void exclusiveCreateOnAHostMountNeitherFollowsNorCreatesTheTarget(@TempDir Path host) throws Exception {
        Path outside = Files.createDirectories(host.resolve("outside"));
        Path mounted = Files.createDirectories(host.resolve("mounted"));
        // a dangling host symlink in the mount, whose target (as the host would read it) lies outside
        Files.createSymbolicLink(mounted.resolve("planted"), outside.resolve("created-by-guest"));
        Container.Options o = Container.Options.defaults().withMounts(List.of(new Container.Mount("/data", mounted, false)));
        Run r = image.run(o, "wali-fixes", "excl", "/data");
        assertAllPassed(r);
        assertThat(r.out()).contains("ok O_CREAT|O_EXCL on a dangling symlink: EEXIST");
        Run planted = TestContainers.run(image.bundle(), o.withWorkdir("/"), "", "/bin/wali-fixes", List.of("excl-planted", "/data/planted"),
                java.time.Duration.ofSeconds(60));
        assertThat(planted.out()).as(planted.err()).contains("ok O_CREAT|O_EXCL on the planted host symlink: EEXIST");
        try (var left = Files.list(outside)) {
            assertThat(left).as("nothing created outside the mount").isEmpty();
        }
    }

    @Test
    void unknownProtBitsAreEinvalForMprotectEvenAboveBit31AndIgnoredByMmap() {
        Run r = fixes();
        assertAllPassed(r);
        assertThat(r.out()).contains("ok mprotect with bit 32 of prot: EINVAL", "ok mprotect with bit 63 of prot: EINVAL",
                "ok mprotect with bit 31 of prot: EINVAL", "ok mprotect with an unknown low bit (0x10): EINVAL",
                "ok mprotect with both GROWSDOWN and GROWSUP: EINVAL", "ok mprotect with PROT_SEM (x86-64 accepts it): 0",
                "ok pkey_mprotect with bit 40 of prot: EINVAL", "ok pkey_mprotect with a key never allocated: EINVAL",
                "ok pkey_mprotect with pkey -1: 0", "ok mmap with unknown prot bits maps, as on Linux");
    }

    @Test
    void protExecWithAnUnknownHighBitIsStillAViolationNotEinval() {
        Run r = image.run("wali-fixes", "exec-wide");
        assertThat(r.out()).as(r.err()).contains("attempt exec-wide").doesNotContain("survived");
        assertThat(r.exitCode()).isEqualTo(137);
        assertThat(r.violations()).hasSize(1);
        AuditEvent v = r.violations().getFirst();
        assertThat(v.type()).isEqualTo(AuditEvent.Type.MEMORY_EXEC_DENIED);
        assertThat(v.syscall().name()).isEqualTo("mprotect");
    }
}
