package dev.nojit.bench.engine;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
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
    void referenceInterpretersAddColumnsOnlyWhenTheyRan() {
        WorkloadResult without = new WorkloadResult("sha256", Map.of(
                WorkloadResult.NATIVE, measured(7, 0.1),
                WorkloadResult.NOJIT, measured(7, 4)));
        assertThat(Report.workloads(List.of(without))).doesNotContain("wamr").doesNotContain("wasm3")
                .startsWith("| workload | native s | chicory s | nojit s | chicory/nojit | nojit/native | checksums |");

        WorkloadResult with = new WorkloadResult("sha256", Map.of(
                WorkloadResult.NATIVE, measured(7, 0.1),
                WorkloadResult.WAMR, measured(7, 1.5),
                WorkloadResult.WASM3, new Outcome.Skipped("no wasm3-run"),
                WorkloadResult.NOJIT, measured(7, 4)));
        String table = Report.workloads(List.of(with));
        assertThat(table).contains("| wamr fast-interp s | wasm3 s |").contains("| wamr/native | wasm3/native | nojit/native |")
                .contains("| sha256 | 0.1000 (0.1000) | 1.500 (1.500) | - | - | 4.000 (4.000) | - | 15.00x | - | 40.00x | 3 agree: ");
    }

    @Test
    void aotColumnsAppearOnlyWhenTheyRanAndAreCheckedLikeTheOthers() {
        WorkloadResult without = new WorkloadResult("nbody", Map.of(
                WorkloadResult.NATIVE, measured(7, 0.1),
                WorkloadResult.NOJIT, measured(7, 4)));
        assertThat(Report.workloads(List.of(without))).doesNotContain("AOT");

        WorkloadResult jitOnly = new WorkloadResult("nbody", Map.of(
                WorkloadResult.NATIVE, measured(7, 0.1),
                WorkloadResult.NOJIT, measured(7, 4),
                WorkloadResult.AOT, measured(7, 0.25)));
        assertThat(Report.workloads(List.of(jitOnly)))
                .startsWith("| workload | native s | chicory s | nojit s | nojit AOT (host JIT on) s | chicory/nojit | nojit/native "
                        + "| AOT JIT on/native | checksums |\n|---|---:|---:|---:|---:|---:|---:|---:|---|")
                .doesNotContain("host JIT off")
                .contains("| nbody | 0.1000 (0.1000) | - | 4.000 (4.000) | 0.2500 (0.2500) | - | 40.00x | 2.50x | 3 agree: ");

        WorkloadResult both = new WorkloadResult("nbody", Map.of(
                WorkloadResult.NATIVE, measured(7, 0.1),
                WorkloadResult.WAMR, measured(7, 1.5),
                WorkloadResult.NOJIT, measured(7, 4),
                WorkloadResult.AOT, measured(7, 0.25),
                WorkloadResult.AOT_XINT, measured(8, 50)));
        assertThat(both.mismatches()).containsExactly("nbody: nojit-aot-xint computed checksum 8, expected 7");
        assertThat(Report.workloads(List.of(both)))
                .contains("| nojit s | nojit AOT (host JIT on) s | nojit AOT (host JIT off) s | chicory/nojit | wamr/native "
                        + "| wasm3/native | nojit/native | AOT JIT on/native | AOT JIT off/native | checksums |")
                .contains("| 0.2500 (0.2500) | 50.00 (50.00) | - | 15.00x | - | 40.00x | 2.50x | 500x | **MISMATCH**");
    }

    @Test
    void aotOptionsDefaultToOneRunWithTheHostJitOff() {
        Options o = Options.parse(new String[] {"--workloads", "w"});
        assertThat(o.aot()).isTrue();
        assertThat(o.xint()).isTrue();
        assertThat(o.xintWarmup()).isZero();
        assertThat(o.xintReps()).isEqualTo(1);
        Options none = Options.parse(new String[] {"--workloads", "w", "--no-aot"});
        assertThat(none.aot()).isFalse();
        assertThat(none.xint()).isFalse();
        Options jitOn = Options.parse(new String[] {"--workloads", "w", "--no-xint", "--xint-reps", "2"});
        assertThat(jitOn.aot()).isTrue();
        assertThat(jitOn.xint()).isFalse();
        assertThatThrownBy(() -> Options.parse(new String[] {"--workloads", "w", "--xint-reps", "0"})).hasMessageContaining("--xint-reps");
    }

    @Test
    void aReferenceInterpreterWithAnotherChecksumIsAMismatch() {
        WorkloadResult r = new WorkloadResult("vm", Map.of(
                WorkloadResult.NATIVE, measured(7, 0.1),
                WorkloadResult.WASM3, measured(9, 1)));
        assertThat(r.mismatches()).containsExactly("vm: wasm3 computed checksum 9, expected 7");
        assertThat(Report.workloads(List.of(r))).contains("MISMATCH");
    }

    @Test
    void aMissingReferenceHostIsSkippedAndItsCommitUnknown() {
        Outcome missing = new ReferenceInterpreters(Path.of("/nonexistent-refs")).measure(WorkloadResult.WAMR, Path.of("x.wasm"), 0, 1);
        assertThat(missing).isInstanceOf(Outcome.Skipped.class);
        assertThat(((Outcome.Skipped) missing).reason()).contains("wamr-run");
        assertThat(new ReferenceInterpreters(Path.of("/nonexistent-refs")).sources()).singleElement().asString().contains("unknown");
    }

    @Test
    void optionsHaveDefaultsAndRejectNonsense() {
        Options o = Options.parse(new String[] {"--workloads", "w", "--no-chicory", "--only", "sha256"});
        assertThat(o.reps()).isEqualTo(3);
        assertThat(o.warmup()).isEqualTo(1);
        assertThat(o.chicory()).isFalse();
        assertThat(o.only()).containsExactly("sha256");
        assertThat(o.refs()).isNull();
        assertThat(Options.parse(new String[] {"--workloads", "w", "--refs", "r"}).refs()).isEqualTo(Path.of("r"));
        assertThatThrownBy(() -> Options.parse(new String[] {"--workloads", "w", "--refs"})).hasMessageContaining("--refs");
        assertThatThrownBy(() -> Options.parse(new String[] {"--workloads", "w", "--reps", "0"}))
                .hasMessageContaining("--reps");
        assertThatThrownBy(() -> Options.parse(new String[] {"--reps", "2"})).hasMessageContaining("--workloads");
    }

    private static Outcome.Measured measured(long checksum, double seconds) {
        return new Outcome.Measured(checksum, new Timings(List.of(seconds)));
    }
}
