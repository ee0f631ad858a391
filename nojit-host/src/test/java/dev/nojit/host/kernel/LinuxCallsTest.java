package dev.nojit.host.kernel;

import dev.nojit.host.HostCallException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinuxCallsTest {
    @Test
    void prctlReadsNoNewPrivsAndAnUnknownSyscallReportsEnosys() {
        int nnp = LinuxCalls.prctl("prctl(PR_GET_NO_NEW_PRIVS)", LinuxCalls.PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
        assertThat(nnp).isIn(0, 1);
        assertThatThrownBy(() -> LinuxCalls.syscall("syscall 100000", 100000, 0, 0, 0, 0, 0))
                .isInstanceOf(HostCallException.class).satisfies(e -> assertThat(((HostCallException) e).errno()).isEqualTo(38));
    }
}
