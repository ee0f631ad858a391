package dev.nojit.cli;

import dev.nojit.bundle.testing.Guests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code nojit build --engine aot} from the jars a user copies: nojit.jar and nojit-host.jar alone refuse it in
 * one line (exit 1); with the build's nojit-aot.jar beside them it translates, and the bundle runs. Runs after
 * {@code package} (the pom's "shaded-jar" execution), on copies of the jars this build made.
 */
class AotTranslatorJarTest {
    @TempDir
    Path dir;

    @Test
    void theTranslatorJarBesideNojitJarIsWhatEngineAotNeeds() throws Exception {
        Path built = Path.of(NoCodeGeneratorOnClassPathTest.property("nojit.shadedJar"));
        assertThat(built).as("target/nojit.jar (this test runs after package)").isRegularFile();
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Path jar = Files.copy(built, lib.resolve("nojit.jar"));
        Files.copy(built.resolveSibling("nojit-host.jar"), lib.resolve("nojit-host.jar"));
        Path hello = Guests.copy("hello.wasm", dir);
        assertThat(nojit(jar, "keygen", "--out", dir.resolve("k")).code()).isZero();
        Object[] build = {"build", "--key", dir.resolve("k"), "--out", dir.resolve("a.nojit"), "--exec", "/bin/hello=" + hello, "--engine", "aot"};

        JarCopyRun without = nojit(jar, build);
        assertThat(without.code()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(without.err().strip()).isEqualTo("nojit build: --engine aot needs the AOT translator, nojit-aot.jar, beside nojit's jar in "
                + lib + " (building nojit with Maven makes it; copy it with nojit.jar)");
        assertThat(dir.resolve("a.nojit")).doesNotExist();

        Files.copy(built.resolveSibling("nojit-aot.jar"), lib.resolve("nojit-aot.jar"));
        JarCopyRun with = nojit(jar, build);
        assertThat(with.code()).as(with.err()).isZero();
        assertThat(with.err()).contains("nojit build: /bin/hello: aot: compiled ");
        JarCopyRun run = nojit(jar, "run", dir.resolve("a.nojit"), "--pubkey", dir.resolve("k.pub"), "--audit-log", dir.resolve("log.jsonl"), "--", "/bin/hello");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("hello from a signed nojit guest\n");
    }

    private JarCopyRun nojit(Path jar, Object... args) throws IOException, InterruptedException {
        return JarCopyRun.of(jar, dir, List.of(), args);
    }
}
