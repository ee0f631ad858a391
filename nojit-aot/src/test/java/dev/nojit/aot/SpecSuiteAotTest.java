package dev.nojit.aot;

import java.nio.file.Files;
import java.nio.file.Path;

/** Placeholder until the runtime lands; provides the suite location. */
class SpecSuiteAotTest {
    static Path suite() {
        String location = System.getProperty("nojit.spec.suite", System.getenv("NOJIT_SPEC_SUITE"));
        if (location == null || location.isBlank()) return null;
        Path root = Path.of(location);
        return Files.isDirectory(root) ? root : null;
    }
}
