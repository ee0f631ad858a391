package dev.nojit.bench.engine;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResultsTest {
    @Test
    void bestIsTheMinimumAndMedianTheMiddle() {
        Timings odd = new Timings(List.of(3.0, 1.0, 2.0));
        Timings even = new Timings(List.of(4.0, 1.0, 3.0, 2.0));
        assertThat(odd.best()).isEqualTo(1.0);
        assertThat(odd.median()).isEqualTo(2.0);
        assertThat(even.median()).isEqualTo(2.5);
    }

    @Test
    void nativeOutputDropsWarmupLines() {
        Outcome o = NativeProgram.parse("42 9.5\n42 0.25\n42 0.5\n", 1, 2);
        assertThat(o).isInstanceOf(Outcome.Measured.class);
        Outcome.Measured m = (Outcome.Measured) o;
        assertThat(m.checksum()).isEqualTo(42);
        assertThat(m.timings().seconds()).containsExactly(0.25, 0.5);
    }

    @Test
    void nativeOutputWithAChangingChecksumOrWrongLineCountFails() {
        assertThat(NativeProgram.parse("42 0.1\n43 0.1\n", 0, 2)).isInstanceOf(Outcome.Failed.class);
        assertThat(NativeProgram.parse("42 0.1\n", 0, 2)).isInstanceOf(Outcome.Failed.class);
        assertThat(NativeProgram.parse("42\n", 0, 1)).isInstanceOf(Outcome.Failed.class);
    }

    @Test
    void aDifferingChecksumIsReportedAgainstNative() {
        WorkloadResult r = new WorkloadResult("sha256", Map.of(
                WorkloadResult.NATIVE, measured(7, 0.1),
                WorkloadResult.CHICORY, measured(7, 20),
                WorkloadResult.NOJIT, measured(8, 4)));
        assertThat(r.mismatches()).containsExactly("sha256: nojit computed checksum 8, expected 7");
        assertThat(r.ratio(WorkloadResult.CHICORY, WorkloadResult.NOJIT)).isEqualTo(5.0);
        assertThat(Report.workloads(List.of(r))).contains("MISMATCH").contains("| 5.00x |").contains("| 40.00x |");
    }

    @Test
    void agreementNeedsAtLeastTwoRunners() {
        WorkloadResult r = new WorkloadResult("vm", Map.of(
                WorkloadResult.NATIVE, measured(255, 0.1),
                WorkloadResult.NOJIT, new Outcome.Failed("Trap: unreachable")));
        assertThat(r.mismatches()).isEmpty();
        assertThat(r.failures()).containsExactly("vm: nojit failed: Trap: unreachable");
        assertThat(Report.workloads(List.of(r))).contains("only one: 00000000000000ff").contains("| failed |");
    }

    @Test
    void optionsHaveDefaultsAndRejectNonsense() {
        Options o = Options.parse(new String[] {"--workloads", "w", "--no-chicory", "--only", "sha256"});
        assertThat(o.reps()).isEqualTo(3);
        assertThat(o.warmup()).isEqualTo(1);
        assertThat(o.chicory()).isFalse();
        assertThat(o.only()).containsExactly("sha256");
        assertThatThrownBy(() -> Options.parse(new String[] {"--workloads", "w", "--reps", "0"}))
                .hasMessageContaining("--reps");
        assertThatThrownBy(() -> Options.parse(new String[] {"--reps", "2"})).hasMessageContaining("--workloads");
    }

    private static Outcome.Measured measured(long checksum, double seconds) {
        return new Outcome.Measured(checksum, new Timings(List.of(seconds)));
    }
}
