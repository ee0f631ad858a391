package dev.nojit.aot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nojit.engine.Wat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: class files and the index written, the summary line, one-line errors with exit 1 or 2. */
class AotMainTest {
    @TempDir
    Path dir;

    private int run(String... args) {
        return AotMain.run(args);
    }

    @Test
    void writesEveryClassAndTheIndexEntryFirst() throws Exception {
        Path wasm = dir.resolve("m.wasm");
        Files.write(wasm, Wat.toWasm("(module (func (export \"f\") (result i32) (i32.const 7)) (func (result i64) (i64.const 1)))"));
        Path out = dir.resolve("out");
        PrintStream old = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured));
        int code;
        try {
            code = run("--wasm", wasm.toString(), "--out", out.toString(), "--returns-twice", "wali:setjmp");
        } finally {
            System.setOut(old);
        }
        assertThat(code).isZero();
        assertThat(captured.toString()).isEqualTo("aot: compiled 2 of 2 functions (0 left to the interpreter)" + System.lineSeparator());
        List<String> index = Files.readAllLines(out.resolve("index"));
        String base = AotCompiler.baseName(Files.readAllBytes(wasm));
        assertThat(index.getFirst()).isEqualTo("dev.nojit.aot.generated." + base + "_0");
        assertThat(index).hasSizeGreaterThanOrEqualTo(2);
        for (String name : index) assertThat(out.resolve(name + ".class")).exists();
    }

    @Test
    void badInputIsOneLineAndExitOne() throws Exception {
        Path bad = dir.resolve("bad.wasm");
        Files.write(bad, new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 99});
        PrintStream old = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured));
        try {
            assertThat(run("--wasm", bad.toString(), "--out", dir.resolve("o").toString())).isEqualTo(1);
            assertThat(run("--wasm", dir.resolve("missing.wasm").toString(), "--out", dir.resolve("o").toString())).isEqualTo(1);
            assertThat(run("--wasm", bad.toString())).isEqualTo(2);
            assertThat(run("--wasm", bad.toString(), "--out", "o", "--returns-twice", "setjmp")).isEqualTo(2);
        } finally {
            System.setErr(old);
        }
        List<String> lines = captured.toString().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("aot: " + bad + ": ");
        assertThat(lines.get(1)).startsWith("aot: cannot read ");
        assertThat(lines.get(2)).startsWith("usage: ");
        assertThat(dir.resolve("o")).doesNotExist();
    }
}
