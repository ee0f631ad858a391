package dev.nojit.vkernel.policy;

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
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every check is on unless a test switches one off, and a switch reaches only the kernels created
 * while it is on: a kernel keeps the checks it started with.
 */
class PolicyChecksTest {
    @TempDir
    Path dir;

    @Test
    void allChecksAreOnByDefaultAndAMutationReachesOnlyKernelsCreatedDuringIt() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        VerifiedBundle bundle = TestContainers.bundle(new BundleBuilder().executable("/bin/wali-hello", Guests.copy("wali-hello.wasm", in)), dir);
        assertThat(PolicyChecks.forNewKernel().disabled()).isEmpty();
        try (Container before = Container.create(bundle, Container.Options.defaults())) {
            Container during;
            try (AutoCloseable off = PolicyMutations.without(PolicyCheck.MMAP_PROT_EXEC)) {
                during = Container.create(bundle, Container.Options.defaults());
            }
            try (during; Container after = Container.create(bundle, Container.Options.defaults())) {
                for (PolicyCheck c : PolicyCheck.values()) {
                    assertThat(before.kernel().checks().on(c)).isTrue();
                    assertThat(after.kernel().checks().on(c)).isTrue();
                    assertThat(during.kernel().checks().on(c)).isEqualTo(c != PolicyCheck.MMAP_PROT_EXEC);
                }
            }
        }
        assertThat(PolicyChecks.forNewKernel().disabled()).isEmpty();
    }

    /**
     * Production code never touches the switch: of all nojit-vkernel's main classes, only
     * PolicyChecks names the field, and PolicyMutations is not among them.
     */
    @Test
    void noMainClassButPolicyChecksNamesTheSwitch() throws Exception {
        Path main = Path.of(PolicyChecks.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(main).isDirectory();
        byte[] field = "testDisabled".getBytes(StandardCharsets.UTF_8);
        List<String> naming;
        try (Stream<Path> files = Files.walk(main)) {
            naming = files.filter(f -> f.toString().endsWith(".class")).filter(f -> contains(f, field))
                    .map(f -> main.relativize(f).toString()).toList();
        }
        assertThat(naming).containsExactly("dev/nojit/vkernel/policy/PolicyChecks.class");
        assertThat(main.resolve("dev/nojit/vkernel/policy/PolicyMutations.class")).doesNotExist();
    }

    private static boolean contains(Path file, byte[] needle) {
        try {
            byte[] b = Files.readAllBytes(file);
            outer:
            for (int i = 0; i + needle.length <= b.length; i++) {
                for (int j = 0; j < needle.length; j++) if (b[i + j] != needle[j]) continue outer;
                return true;
            }
            return false;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
