package dev.nojit.aot;

import dev.nojit.engine.spec.OfficialSpecSuiteTest;
import dev.nojit.engine.spec.SpecRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The official WebAssembly spec suite in AOT mode: the engine's own harness ({@link OfficialSpecSuiteTest},
 * {@link SpecRunner}) with every module translated by {@link AotCompiler}, its classes defined by
 * {@link TestLoader} and instantiated with {@code Store.instantiate(image, imports, compiled)}. Runs when the
 * suite is on disk ({@code -Dnojit.spec.suite=DIR} or {@code NOJIT_SPEC_SUITE}), as the interpreter's test does;
 * the report goes to target/spec-report-aot.txt.
 */
class SpecSuiteAotTest {
    /** Modules instantiated through the translator. */
    static final SpecRunner.ModuleLoader AOT =
            (store, wasm, image, imports) -> store.instantiate(image, imports, TestLoader.load(wasm, Set.of()));
    /** The same with deoptimization sites at every call (what modules that fork get): semantics unchanged. */
    static final SpecRunner.ModuleLoader AOT_DEOPT = (store, wasm, image, imports) ->
            store.instantiate(image, imports, TestLoader.load(AotCompiler.compile(wasm, Set.of(), true)));

    /** Every function that can be split split into regions (what long functions get): semantics unchanged. */
    static final SpecRunner.ModuleLoader AOT_SPLIT = (store, wasm, image, imports) ->
            store.instantiate(image, imports, TestLoader.load(AotCompiler.compile(wasm, Set.of(), false, 0)));

    static Path suite() {
        String location = System.getProperty("nojit.spec.suite", System.getenv("NOJIT_SPEC_SUITE"));
        if (location == null || location.isBlank()) return null;
        Path root = Path.of(location);
        return Files.isDirectory(root) ? root : null;
    }

    @Test
    void officialSuiteInAotMode() throws IOException {
        OfficialSpecSuiteTest.runSuite(AOT, Path.of("target/spec-report-aot.txt"));
    }

    @Test
    void officialSuiteInAotModeWithEveryFunctionSplit() throws IOException {
        OfficialSpecSuiteTest.runSuite(AOT_SPLIT, Path.of("target/spec-report-aot-split.txt"));
    }
}
