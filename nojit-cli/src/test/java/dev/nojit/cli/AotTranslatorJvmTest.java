package dev.nojit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where {@code nojit build --engine aot} finds the translator, and the one line when it is not there. */
class AotTranslatorJvmTest {
    @TempDir
    Path dir;

    @Test
    void theJarIsFoundBesideNojitsJarOrBesideAClassDirectory() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Path nojitJar = Files.writeString(lib.resolve("nojit.jar"), "");
        assertThat(AotTranslatorJvm.locate(nojitJar)).isEmpty();
        assertThatThrownBy(() -> AotTranslatorJvm.find(nojitJar)).isInstanceOf(AotTranslatorJvm.AotUnavailable.class)
                .hasMessage("--engine aot needs the AOT translator, nojit-aot.jar, beside nojit's jar in " + lib
                        + " (building nojit with Maven makes it; copy it with nojit.jar)");
        Path aot = Files.writeString(lib.resolve("nojit-aot.jar"), "");
        assertThat(AotTranslatorJvm.locate(nojitJar)).contains(aot);
        // the build tree: nojit-cli/target/classes, with the build's copy in nojit-cli/target
        Path classes = Files.createDirectories(dir.resolve("target/classes"));
        assertThat(AotTranslatorJvm.locate(classes)).isEmpty();
        Path copy = Files.writeString(dir.resolve("target/nojit-aot.jar"), "");
        assertThat(AotTranslatorJvm.locate(classes)).contains(copy);
        assertThat(AotTranslatorJvm.locate(null)).isEmpty();
        // this build's own copy, beside target/classes, is where this module's tests run it from
        assertThat(AotTranslatorJvm.locate(VkernelProcess.codeLocation())).isPresent();
    }

    @Test
    void theChildJvmRunsAotMainWithWalisReturnsTwiceImportsForWaliModulesOnly() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.writeString(lib.resolve("nojit-aot.jar"), "");
        AotTranslatorJvm t = AotTranslatorJvm.find(lib.resolve("nojit.jar"));
        var wali = t.command(Path.of("/w/m.wasm"), Path.of("/w/out"), true);
        assertThat(wali).containsSubsequence("-cp", "dev.nojit.aot.AotMain", "--wasm", "/w/m.wasm", "--out", "/w/out",
                "--returns-twice", "wali:setjmp", "--returns-twice", "wali:sigsetjmp");
        assertThat(wali.get(wali.indexOf("-cp") + 1)).endsWith(":" + lib.resolve("nojit-aot.jar"));
        assertThat(t.command(Path.of("/w/m.wasm"), Path.of("/w/out"), false)).doesNotContain("--returns-twice");
    }
}
