package dev.nojit.vkernel.realprograms;

import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.testing.Guests;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.testing.TestContainers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * BusyBox built from Debian's source with nojit-cc (docs/toolchain.md) as an agent meets it: its
 * shell (a module of its own) running a pipeline of real applets (the toolbox module under each
 * applet's name), with the builtins' options (echo -n/-e, printf, test) and the applets' usual
 * output. BusyBox's own test suite runs both ways in toolchain/userland/busybox/conformance.sh.
 */
class BusyBoxTest {
    @TempDir
    static Path tmp;
    static VerifiedBundle bundle;

    @BeforeAll
    static void image() throws Exception {
        Path toolbox = Guests.copy("userland/busybox/busybox", tmp);
        BundleBuilder b = new BundleBuilder().executable("/bin/sh", Guests.copy("userland/busybox/sh", tmp));
        List<String> applets = new String(Guests.bytes("userland/busybox/applets"), StandardCharsets.UTF_8).lines().toList();
        assertThat(applets).contains("ls", "cat", "cp", "mv", "rm", "find", "xargs", "grep", "sed", "awk", "sort", "tar", "gzip",
                "sha256sum", "seq", "realpath").doesNotContain("sh", "ash");
        for (String a : applets) b.executable("/bin/" + a, toolbox);
        bundle = TestContainers.bundle(b, tmp);
    }

    private static TestContainers.Run sh(String script) {
        return TestContainers.run(bundle, Container.Options.defaults().withEnv(List.of("PATH=/bin")), "", "/bin/sh",
                List.of("-c", script), Duration.ofSeconds(60));
    }

    @Test
    void theShellsBuiltinsTakeTheirOptions() {
        TestContainers.Run r = sh("echo -n a; echo -e 'b\\tc'; printf '%05d|%s\\n' 42 x; [ 3 -lt 10 ] && echo lt; [[ abc == a* ]] && echo glob");
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("ab\tc\n00042|x\nlt\nglob\n");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void appletsWorkInPipelinesAndOnFiles() {
        TestContainers.Run r = sh("""
                seq 3 | sort -r | xargs echo
                echo hello | sha256sum
                echo 'x y' | awk '{ print $2 }'
                echo abc | sed s/b/B/
                mkdir -p /tmp/d/e && touch /tmp/d/e/f && find /tmp/d -type f
                echo hi | gzip | gunzip
                expr 6 \\* 7
                echo data > /tmp/t && tar -cf /tmp/t.tar -C /tmp t && tar -tf /tmp/t.tar
                cd /tmp/d && realpath e/f
                """);
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("3 2 1\n"
                + "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03  -\n"
                + "y\naBc\n/tmp/d/e/f\nhi\n42\nt\n/tmp/d/e/f\n");
        assertThat(r.exitCode()).isZero();
        assertThat(r.violations()).isEmpty();
    }
}
