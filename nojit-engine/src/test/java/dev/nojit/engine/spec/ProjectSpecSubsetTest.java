package dev.nojit.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The project's own spec-style scripts (src/test/resources/spec/*.wast), converted at test time with
 * {@code wast2json --enable-threads} (Debian package wabt) into target/spec-subset/NAME/ and run with
 * {@link SpecRunner}. Each script declares {@code ;; min-passed: N} in its header: a script must pass with no
 * failure and at least N passing commands, so a conversion that silently loses commands cannot pass.
 */
public class ProjectSpecSubsetTest {
    private static final Pattern MIN_PASSED = Pattern.compile("^;; min-passed: (\\d+)\\s*$", Pattern.MULTILINE);
    private static final Path OUT = Path.of("target", "spec-subset");

    @Test
    void projectScriptsPass() throws Exception {
        runScripts(SpecRunner.INTERPRETER, OUT);
    }

    /**
     * Converts every project script into {@code out} and runs it with modules instantiated by {@code loader};
     * fails on any failure or a script below its minimum. Shared with nojit-aot (AOT mode).
     */
    public static void runScripts(SpecRunner.ModuleLoader loader, Path out) throws Exception {
        List<Path> scripts = scripts();
        assertThat(scripts).as("project spec scripts").hasSizeGreaterThanOrEqualTo(12);
        List<String> lines = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        lines.add(String.format("%-24s %7s %7s %7s %7s", "script", "passed", "failed", "skipped", "min"));
        int passed = 0, failed = 0, skipped = 0;
        for (Path wast : scripts) {
            String name = wast.getFileName().toString().replaceFirst("\\.wast$", "");
            int min = minPassed(wast);
            if (wast.getFileSystem() != FileSystems.getDefault()) { // inside the test-jar: wast2json needs a file
                Path copy = Files.createDirectories(out.resolve("sources")).resolve(name + ".wast");
                Files.copy(wast, copy, StandardCopyOption.REPLACE_EXISTING);
                wast = copy;
            }
            SpecRunner.Result r = SpecRunner.run(Wast2Json.convert(wast, out.resolve(name)), loader);
            passed += r.passed();
            failed += r.failed();
            skipped += r.skipped();
            lines.add(String.format("%-24s %7d %7d %7d %7d", name, r.passed(), r.failed(), r.skipped(), min));
            for (String f : r.failures()) problems.add(name + ": " + f);
            if (r.passed() < min) problems.add(name + ": only " + r.passed() + " commands passed, expected at least " + min);
        }
        lines.add(String.format("%-24s %7d %7d %7d", "total", passed, failed, skipped));
        System.out.println(String.join("\n", lines));
        assertThat(problems).isEmpty();
    }

    private static List<Path> scripts() throws IOException, URISyntaxException {
        var url = ProjectSpecSubsetTest.class.getResource("/spec");
        assertThat(url).as("test resource directory spec/").isNotNull();
        URI uri = url.toURI();
        Path dir;
        if (uri.getScheme().equals("jar")) { // the engine's test-jar, as another module's tests see it
            FileSystem jar;
            try {
                jar = FileSystems.newFileSystem(uri, Map.of());
            } catch (FileSystemAlreadyExistsException e) {
                jar = FileSystems.getFileSystem(uri);
            }
            dir = jar.getPath("/spec");
        } else {
            dir = Path.of(uri);
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".wast")).sorted().toList();
        }
    }

    private static int minPassed(Path wast) throws IOException {
        Matcher m = MIN_PASSED.matcher(Files.readString(wast));
        if (!m.find()) fail(wast.getFileName() + " lacks its ';; min-passed: N' header line");
        return Integer.parseInt(m.group(1));
    }
}
