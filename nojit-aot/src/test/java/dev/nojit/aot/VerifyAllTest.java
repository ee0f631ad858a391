package dev.nojit.aot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nojit.engine.CompiledModule;
import dev.nojit.engine.InvalidModuleException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every module of the official spec suite (when on disk, see SpecSuiteAotTest) that the engine accepts is
 * translated, and every generated class is defined and linked: the JVM verifier accepts all of them, and the
 * entry class reports the module's function count and types.
 */
class VerifyAllTest {
    @Test
    void everySpecModuleVerifies() throws IOException {
        Path root = SpecSuiteAotTest.suite();
        org.junit.jupiter.api.Assumptions.assumeTrue(root != null, "no spec suite on disk");
        List<Path> modules;
        try (Stream<Path> s = Files.walk(root, 2)) {
            modules = s.filter(p -> p.toString().endsWith(".wasm")).sorted().toList();
        }
        List<String> failures = new ArrayList<>();
        int translated = 0, functions = 0, compiled = 0;
        for (Path p : modules) {
            byte[] wasm = Files.readAllBytes(p);
            AotCompiler.Output out;
            try {
                out = AotCompiler.compile(wasm, Set.of());
            } catch (InvalidModuleException e) {
                continue; // refused by the engine as well (invalid, malformed or unsupported): nothing to translate
            } catch (RuntimeException e) {
                failures.add(p + ": " + e);
                continue;
            }
            try {
                CompiledModule m = TestLoader.load(out);
                assertThat(m.definedFunctions()).isEqualTo(out.defined());
                translated++;
                functions += out.defined();
                compiled += out.compiled();
                for (String l : out.leftOut()) if (!l.contains("too large for a JVM method")) failures.add(p + ": " + l);
            } catch (RuntimeException | LinkageError e) {
                failures.add(p + ": " + e);
            }
        }
        System.out.printf("aot: %d spec modules translated and verified, %d of %d functions compiled%n", translated, compiled, functions);
        assertThat(failures).isEmpty();
        assertThat(translated).isGreaterThan(1000);
    }
}
