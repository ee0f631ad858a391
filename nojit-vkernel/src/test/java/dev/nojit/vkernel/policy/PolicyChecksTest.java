package dev.nojit.vkernel.policy;

import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.testing.Guests;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.testing.TestContainers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

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
}
