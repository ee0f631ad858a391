package dev.nojit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nojit-cc (toolchain/nojit-cc, docs/toolchain.md) on bad input: a program that needs threads,
 * one that needs dlopen and one with a header no library has each fail at build time with one line
 * naming the problem; a good one builds into a module `nojit build` accepts, and a module importing
 * a syscall the vkernel does not have is refused by `nojit build`, also in one line.
 */
class NojitCcTest {
    /** The driver of this checkout (the tests run in nojit-cli/). */
    private static final Path NOJIT_CC = Path.of("..", "toolchain", "nojit-cc").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private record Result(int exitCode, List<String> errLines) {}

    private Result cc(String source, String... flags) throws Exception {
        Path c = dir.resolve("prog" + System.nanoTime() + ".c");
        Files.writeString(c, source);
        List<String> cmd = new ArrayList<>(List.of(NOJIT_CC.toString()));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("-O2", "-o", dir.resolve("prog.wasm").toString(), c.toString()));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), err.lines().toList());
    }

    @Test
    void threadsAreRefusedInOneLine() throws Exception {
        Result r = cc("#include <pthread.h>\nvoid *f(void *a) { return a; }\n"
                + "int main(void) { pthread_t t; return pthread_create(&t, 0, f, 0); }\n", "-pthread");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().startsWith("nojit-cc: -pthread: threads are not supported");
    }

    @Test
    void dlopenIsRefusedInOneLine() throws Exception {
        Result r = cc("#include <dlfcn.h>\nint main(void) { return dlopen(\"libx.so\", RTLD_NOW) != 0; }\n");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("nojit-cc: the program calls dlopen: dynamic loading is not supported (static WALI modules only)");
    }

    @Test
    void aMissingHeaderIsNamedInOneLine() throws Exception {
        Result r = cc("#include <no/such/header.h>\nint main(void) { return 0; }\n");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.errLines()).singleElement().asString().startsWith("nojit-cc: ")
                .endsWith("missing header no/such/header.h (not in nojit's C library nor on the include path)");
    }

    @Test
    void aGoodProgramBuildsAndAModuleTheVkernelCannotRunIsRefusedByNojitBuild() throws Exception {
        Path key = dir.resolve("k");
        assertThat(CliRun.of("keygen", "--out", key).exitCode()).isZero();

        Result ok = cc("#include <stdio.h>\nint main(void) { puts(\"hello\"); return 0; }\n");
        assertThat(ok.exitCode()).as(String.join("\n", ok.errLines())).isZero();
        CliRun built = CliRun.of("build", "--key", key, "--out", dir.resolve("ok.nojit"), "--exec", "/bin/hello=" + dir.resolve("prog.wasm"));
        assertThat(built.exitCode()).as(built.err()).isZero();

        // A syscall Linux has never had: the module's import cannot be bound, so the build refuses it.
        Result odd = cc("long long frob(void) __attribute__((import_module(\"wali\"), import_name(\"SYS_frobnicate\")));\n"
                + "int main(void) { return (int) frob(); }\n");
        assertThat(odd.exitCode()).isZero();
        CliRun refused = CliRun.of("build", "--key", key, "--out", dir.resolve("odd.nojit"), "--exec", "/bin/odd=" + dir.resolve("prog.wasm"));
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(refused.err().lines().toList()).singleElement().asString().contains("SYS_frobnicate is not a WALI import");
        assertThat(dir.resolve("odd.nojit")).doesNotExist();
    }
}
