package dev.nojit.bench.vkernel;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VkernelReportTest {
    @Test
    void guestFiguresAreNamedIntegerLines() {
        GuestFigures f = GuestFigures.parse("calls 1000\nfork_ns 5 -3 7\n\n");
        assertThat(f.one("calls")).isEqualTo(1000);
        assertThat(f.all("fork_ns")).containsExactly(5, -3, 7);
        assertThatThrownBy(() -> f.one("fork_ns")).hasMessageContaining("3 values");
        assertThatThrownBy(() -> f.one("pipe_ns")).hasMessageContaining("no pipe_ns");
    }

    @Test
    void anythingElseInTheOutputIsRefused() {
        assertThatThrownBy(() -> GuestFigures.parse("hello from nojit\n")).hasMessageContaining("not a figure line");
        assertThatThrownBy(() -> GuestFigures.parse("calls\n")).hasMessageContaining("without values");
        assertThatThrownBy(() -> GuestFigures.parse("calls 1\ncalls 2\n")).hasMessageContaining("twice");
    }

    @Test
    void bestIsTheLowestTimeOrTheHighestRate() {
        Sample times = Sample.lowest(List.of(4.0, 1.0, 3.0, 2.0));
        Sample rates = Sample.highest(List.of(4.0, 1.0, 3.0));
        assertThat(times.best()).isEqualTo(1.0);
        assertThat(times.median()).isEqualTo(2.5);
        assertThat(times.mean()).isEqualTo(2.5);
        assertThat(rates.best()).isEqualTo(4.0);
        assertThat(rates.median()).isEqualTo(3.0);
    }

    @Test
    void theTableHasOneRowPerMeasure() {
        String table = Report.table(List.of(
                new Row("getpid", "ns/call", Sample.lowest(List.of(38.4, 29.4, 140.0)), "1,000,000 calls"),
                new Row("pipe", "MiB/s", Sample.highest(List.of(417.0, 498.0)), "256 MiB")));
        assertThat(table.lines()).hasSize(4);
        assertThat(table).contains("| getpid | 38.4 | 29.4 | 69.3 | ns/call | 3 | 1,000,000 calls |")
                .contains("| pipe | 458 | 498 | 458 | MiB/s | 2 | 256 MiB |");
    }

    @Test
    void optionsHaveDefaultsAndRejectNonsense() {
        Options o = Options.parse(new String[] {"--guests", "g", "--out", "o", "--only", "fork", "--fork-mib", "8, 16"});
        assertThat(o.reps()).isEqualTo(5);
        assertThat(o.forkMib()).containsExactly(8, 16);
        assertThat(o.runs("fork")).isTrue();
        assertThat(o.runs("pipe")).isFalse();
        assertThatThrownBy(() -> Options.parse(new String[] {"--guests", "g", "--out", "o", "--only", "bash"}))
                .hasMessageContaining("expected one of");
        assertThatThrownBy(() -> Options.parse(new String[] {"--guests", "g"})).hasMessageContaining("--out");
        assertThatThrownBy(() -> Options.parse(new String[] {"--guests", "g", "--out", "o", "--pipe-kib", "2048"}))
                .hasMessageContaining("<= 1024");
        assertThat(o.bigRounds()).isEqualTo(20);
        assertThat(o.runs("execbig")).isFalse();
        // execbig prints all its figures on one line of at most 4 KiB: 200 values
        assertThatThrownBy(() -> Options.parse(new String[] {"--guests", "g", "--out", "o", "--big-rounds", "201"}))
                .hasMessageContaining("<= 200");
    }
}
