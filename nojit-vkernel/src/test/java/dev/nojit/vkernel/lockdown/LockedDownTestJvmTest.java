package dev.nojit.vkernel.lockdown;

import dev.nojit.host.kernel.LinuxCalls;
import org.junit.jupiter.api.Test;

import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The locked-down test run really is locked down (otherwise its passing suites would prove nothing). */
class LockedDownTestJvmTest {
    @Test
    void theLockedDownRunHasTheFilterAndTheLandlockRules() throws Exception {
        assumeTrue(LockedDownTestJvm.active(), "only in the locked-down test run");
        assertThat(LinuxCalls.prctl("prctl(PR_GET_SECCOMP)", 21, 0, 0, 0, 0)).isEqualTo(2);
        assertThat(LinuxCalls.prctl("prctl(PR_GET_NO_NEW_PRIVS)", LinuxCalls.PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0)).isEqualTo(1);
        assertThatThrownBy(() -> Files.readString(Path.of("/etc/hostname"))).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> new ProcessBuilder("/bin/true").start()).hasMessageContaining("error: 1");
    }
}
