package dev.nojit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nojit.bundle.testing.Guests;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Modules that fork, built {@code --engine aot}: translated with deoptimization handlers, they fork from compiled
 * code (the engine rebuilds the compiled frames as interpreter frames first) and print and exit exactly as the
 * same bundle built for the interpreter: the WALI fork guests, BusyBox sh running pipelines, command
 * substitution and subshells, Lua's os.execute and io.popen (musl's posix_spawn through clone). No fork is
 * refused (no ENOSYS in nojit's log). A forking module with functions left to the interpreter stays interpreted.
 */
class AotForkCliTest {
    @TempDir
    Path dir;

    private static final String SH = "x=$(/bin/hello); echo \"got [$x]\"; (exit 3); echo st=$?; "
            + "for i in 1 2 3; do echo n$i; done | while read l; do echo \"L$l\"; done; "
            + "y=$( (echo deep; /bin/hello) | while read w r; do echo \"<$w>\"; done ); echo \"$y\"; exit 6";
    private static final String LUA = "print(os.execute('/bin/hello')); local p = io.popen('/bin/hello'); "
            + "print(p:read('a')); print(p:close()); print(os.execute('exit 3')); print('end')";

    @Test
    void forkingGuestsBuiltAotRunAsOnTheInterpreter() throws Exception {
        Path key = dir.resolve("k");
        assertThat(CliRun.of("keygen", "--out", key).exitCode()).isZero();
        Path interp = dir.resolve("i.nojit"), aot = dir.resolve("a.nojit");
        CliRun bi = CliRun.of(build(key, interp).toArray());
        assertThat(bi.exitCode()).as(bi.err()).isZero();
        List<Object> aotArgs = build(key, aot);
        aotArgs.addAll(List.of("--engine", "aot"));
        CliRun ba = CliRun.of(aotArgs.toArray());
        assertThat(ba.exitCode()).as(ba.err()).isZero();
        for (String p : List.of("/bin/procs", "/bin/forkbomb", "/bin/pipeline", "/bin/forkcopy", "/bin/sh", "/bin/lua"))
            assertThat(ba.err()).contains("nojit build: " + p + ": deoptimization at call sites (imports ");
        // wali-setjmp's main is too large for a JVM method: left to the interpreter, so the module stays interpreted
        assertThat(ba.err()).containsPattern("nojit build: /bin/setjmp: stays interpreted \\(imports SYS_fork, and \\d+ of its"
                + " functions are left to the interpreter");
        assertThat(CliRun.of("inspect", aot).out()).containsPattern("/bin/sh  \\(wali; image \\d+ bytes; engine aot, \\d+ classes\\)")
                .containsPattern("/bin/setjmp  \\(wali; image \\d+ bytes; engine interpreter\\)");

        // forkcopy: 64 MiB forks; the parent calls compiled code right after each fork
        String[][] runs = {{"/bin/procs"}, {"/bin/forkbomb"}, {"/bin/pipeline"}, {"/bin/setjmp"}, {"/bin/sh", "-c", SH},
                {"/bin/lua", "-e", LUA}, {"/bin/forkcopy"}};
        for (String[] r : runs) {
            CliProcess i = CliProcess.run("", args(interp, key, r));
            CliProcess a = CliProcess.run("", args(aot, key, r));
            assertThat(a.out()).as(r[0] + " stdout").isEqualTo(i.out()).isNotBlank().doesNotContain("FAIL");
            assertThat(a.exitCode()).as(r[0] + " exit; " + a.err()).isEqualTo(i.exitCode());
            assertThat(a.err()).as(r[0]).doesNotContain("ENOSYS", "Exception", "engine fault", "\tat ");
        }
        CliProcess sh = CliProcess.run("", args(aot, key, runs[4]));
        assertThat(sh.out()).contains("got [hello from WALI, pid ", "st=3", "Ln1\nLn2\nLn3", "<deep>\n<hello>");
        assertThat(sh.exitCode()).isEqualTo(6);
        CliProcess lua = CliProcess.run("", args(aot, key, runs[5]));
        assertThat(lua.out()).contains("true\texit\t0", "nil\texit\t3", "end");
    }

    private List<Object> build(Path key, Path out) throws Exception {
        List<Object> a = new ArrayList<>(List.of("build", "--key", key, "--out", out));
        a.addAll(List.of("--exec", "/bin/procs=" + Guests.copy("wali-procs.wasm", dir)));
        a.addAll(List.of("--exec", "/bin/forkbomb=" + Guests.copy("wali-forkbomb.wasm", dir)));
        a.addAll(List.of("--exec", "/bin/pipeline=" + Guests.copy("wali-pipeline.wasm", dir)));
        a.addAll(List.of("--exec", "/bin/setjmp=" + Guests.copy("wali-setjmp.wasm", dir)));
        a.addAll(List.of("--exec", "/bin/forkcopy=" + Guests.copy("wali-forkcopy.wasm", dir)));
        a.addAll(List.of("--exec", "/bin/hello=" + Guests.copy("wali-hello.wasm", dir)));
        a.addAll(List.of("--exec", "/bin/sh=" + Guests.copy("userland/busybox/sh", dir)));
        a.addAll(List.of("--exec", "/bin/lua=" + Guests.copy("userland/lua/lua", dir)));
        return a;
    }

    private static Object[] args(Path bundle, Path key, String[] command) {
        List<Object> a = new ArrayList<>(List.of("run", bundle, "--pubkey", key + ".pub", "--"));
        a.addAll(List.of((Object[]) command));
        return a.toArray();
    }
}
