package dev.nojit.aot;

import dev.nojit.engine.spec.ProjectSpecSubsetTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * nojit-engine's own spec-style scripts (its src/test/resources/spec/*.wast, from the engine's test-jar) in AOT
 * mode: always present, so every build runs spec scripts through the translator. Same rule as the interpreter's
 * run: no failure, and each script at least its declared number of passing commands.
 */
class ProjectSpecAotTest {
    @Test
    void projectScriptsPassInAotMode() throws Exception {
        ProjectSpecSubsetTest.runScripts(SpecSuiteAotTest.AOT, Path.of("target", "spec-subset-aot"));
    }

    @Test
    void projectScriptsPassInAotModeWithEveryFunctionSplit() throws Exception {
        ProjectSpecSubsetTest.runScripts(SpecSuiteAotTest.AOT_SPLIT, Path.of("target", "spec-subset-aot-split"));
    }

    @Test
    void projectScriptsPassInAotModeWithDeoptimizationSites() throws Exception {
        ProjectSpecSubsetTest.runScripts(SpecSuiteAotTest.AOT_DEOPT, Path.of("target", "spec-subset-aot-deopt"));
    }
}
