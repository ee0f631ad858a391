package dev.nojit.cli;

import dev.nojit.cli.CodeGeneratorScan.Finding;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar users run, target/nojit.jar, holds no code generator either: no class of a banned
 * package, and no class in it references a class-defining API (beyond the documented
 * allowed references). Maven runs this after {@code package} (the pom's "shaded-jar" execution), so
 * it checks the jar this build made; run alone without the jar, it is skipped.
 */
class ShadedJarHasNoCodeGeneratorTest {
    Path jar;

    @BeforeEach
    void findJar() {
        jar = Path.of(NoCodeGeneratorOnClassPathTest.property("nojit.shadedJar"));
        if (!Boolean.getBoolean("nojit.shadedJarRequired")) {
            Assumptions.assumeTrue(Files.isRegularFile(jar), "no " + jar + " (built by mvn package)");
        }
        assertThat(jar).isRegularFile();
    }

    @Test
    void noEntryLiesInABannedPackage() throws IOException {
        List<String> names = new ArrayList<>();
        try (JarFile f = new JarFile(jar.toFile())) {
            for (JarEntry e : Collections.list(f.entries())) names.add(e.getName());
        }
        assertThat(names).as("the jar holds nojit and its libraries").contains(
                "dev/nojit/cli/Nojit.class", "dev/nojit/bundle/BundleReader.class", "dev/nojit/engine/ModuleImage.class",
                "com/dylibso/chicory/wasm/Parser.class", "picocli/CommandLine.class");
        List<String> banned = names.stream()
                .filter(n -> CodeGeneratorScan.BANNED_NAMES.stream().anyMatch(p -> n.startsWith(p) || n.contains("/" + p)))
                .toList();
        assertThat(banned).as("entries of code-generator packages (also under META-INF/versions)").isEmpty();
        // the AOT translator (nojit-aot, which uses java.lang.classfile) stays out: it runs in a JVM of its own at build time
        assertThat(names).as("nojit-aot's classes").noneMatch(n -> n.startsWith("dev/nojit/aot/") || n.contains("/dev/nojit/aot/"));
        assertThat(names).as("the run time's one class loader is in").contains("dev/nojit/vkernel/process/AotClassLoader.class");
    }

    @Test
    void noClassInTheJarReferencesAClassDefiningApi() {
        List<Finding> findings = new ArrayList<>();
        int[] classes = {0};
        CodeGeneratorScan.forEachClass(jar, (name, bytes) -> {
            classes[0]++;
            findings.addAll(CodeGeneratorScan.scanClass(jar.getFileName().toString(), bytes));
        });
        assertThat(classes[0]).as("class files scanned").isGreaterThan(1000);
        NoCodeGeneratorOnClassPathTest.assertNoFindingsBeyondTheAllowed(findings);
    }
}
