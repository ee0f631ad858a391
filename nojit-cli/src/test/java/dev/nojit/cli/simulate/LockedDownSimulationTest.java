package dev.nojit.cli.simulate;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the parent makes of the simulation JVM's lines: anything but the expected lines fails closed. */
class LockedDownSimulationTest {
    private static final List<Technique> TWO = Techniques.all().stream()
            .filter(t -> t.name().equals("downloaded-elf") || t.name().equals("mmap-exec")).toList();
    private static final String FILTER = "{\"seccomp\":{\"instructions\":107,\"sha256\":\"" + "a".repeat(64) + "\"}}\n";

    private static String row(String name, boolean passed) {
        return "{\"observed\":\"x\",\"passed\":" + passed + ",\"seq\":\"3\",\"technique\":\"" + name + "\"}\n";
    }

    private static LockedDownSimulation.Result parse(String text) {
        return LockedDownSimulation.parse(text, TWO, "the simulation JVM ended with exit 159", null);
    }

    @Test
    void rowsComeBackInTheCatalogueOrderWithTheFilter() {
        var r = parse(FILTER + row("mmap-exec", true) + row("downloaded-elf", false));
        assertThat(r.seccompSha256()).isEqualTo("a".repeat(64));
        assertThat(r.seccompInstructions()).isEqualTo(107);
        assertThat(r.rows()).extracting(x -> x.technique().name()).containsExactly("downloaded-elf", "mmap-exec");
        assertThat(r.rows()).extracting(Row::passed).containsExactly(false, true);
        assertThat(r.rows().get(1).seq()).isEqualTo("3");
    }

    @Test
    void aMissingRowFailsWithTheReasonTheJvmEnded() {
        var r = parse(FILTER + row("downloaded-elf", true));
        assertThat(r.rows().get(0).passed()).isTrue();
        assertThat(r.rows().get(1).passed()).isFalse();
        assertThat(r.rows().get(1).observed()).isEqualTo("no result: the simulation JVM ended with exit 159");
    }

    @Test
    void rowsWithoutTheFilterLineFirstFailEveryRow() {
        var r = parse(row("downloaded-elf", true) + FILTER + row("mmap-exec", true));
        assertThat(r.rows()).noneMatch(Row::passed).allSatisfy(x -> assertThat(x.observed()).contains("unexpected line"));
    }

    @Test
    void malformedDuplicateOrUnknownLinesFailEveryRow() {
        for (String bad : List.of("{not json\n", row("downloaded-elf", true), row("no-such-technique", true),
                "{\"observed\":\"x\",\"passed\":\"yes\",\"seq\":\"-\",\"technique\":\"mmap-exec\"}\n")) {
            var r = parse(FILTER + row("downloaded-elf", true) + bad + row("mmap-exec", true));
            assertThat(r.rows()).as(bad).noneMatch(Row::passed);
        }
    }

    @Test
    void nothingAtAllFailsEveryRow() {
        var r = parse("");
        assertThat(r.seccompSha256()).isNull();
        assertThat(r.rows()).hasSize(2).noneMatch(Row::passed);
    }
}
