package dev.nojit.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The project's own spec-style scripts (src/test/resources/spec/*.wast, written for nojit), converted with
 * wabt's wast2json at test time and run like the official suite. Runs in CI.
 */
class ProjectSpecSubsetTest {
    private static final Path SOURCES = Path.of("src", "test", "resources", "spec");

    static Stream<String> scripts() throws IOException {
        try (Stream<Path> s = Files.list(SOURCES)) {
            List<String> names = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".wast")).sorted().toList();
            return names.stream().map(n -> n.substring(0, n.length() - ".wast".length()));
        }
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void script(String name) throws Exception {
        Path out = Files.createDirectories(Path.of("target", "spec-subset", name));
        Path json = out.resolve(name + ".json");
        Process p;
        try {
            p = new ProcessBuilder("wast2json", "--enable-threads", SOURCES.resolve(name + ".wast").toString(), "-o", json.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("wast2json not found: install the Debian package 'wabt'", e);
        }
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("wast2json: " + log).isTrue();

        SpecRunner.Result r = SpecRunner.run(json);
        System.out.printf("%-10s passed %4d, failed %d, skipped %d%n", name, r.passed(), r.failed(), r.skipped());
        assertThat(r.failures()).as(name).isEmpty();
        assertThat(r.failed()).isZero();
        assertThat(r.passed()).as("assertions that ran in " + name).isGreaterThanOrEqualTo(20);
    }
}
