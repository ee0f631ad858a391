package dev.nojit.host.seccomp;

import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcStatusTest {
    @Test
    void parsesTheLockdownFields() {
        ProcStatus s = ProcStatus.parse("Name:\tjava\nNoNewPrivs:\t1\nSeccomp:\t2\nSeccomp_filters:\t3\nSpeculation_Store_Bypass:\tthread vulnerable\n");
        assertThat(s).isEqualTo(new ProcStatus(2, 1, OptionalInt.of(3)));
        assertThat(s.filtered()).isTrue();
        assertThat(ProcStatus.parse("NoNewPrivs:\t0\nSeccomp:\t0\n")).satisfies(o -> assertThat(o.filtered()).isFalse())
                .satisfies(o -> assertThat(o.seccompFilters()).isEmpty());
        assertThatThrownBy(() -> ProcStatus.parse("Name:\tjava\nNoNewPrivs:\t0\n")).hasMessageContaining("Seccomp");
    }

    @Test
    void theTestJvmItselfIsNotLockedDown() {
        assertThat(ProcStatus.self().seccomp()).as("lockdown happens only in child processes").isZero();
    }
}
