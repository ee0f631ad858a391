package dev.nojit.cli;

import dev.nojit.bundle.BundleFormat;
import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.dsse.Envelope;
import dev.nojit.bundle.manifest.ImageEntry;
import dev.nojit.bundle.manifest.Manifest;
import dev.nojit.bundle.manifest.ManifestCodec;
import dev.nojit.bundle.testing.Guests;
import dev.nojit.bundle.testing.TarSurgery;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code nojit build --script-dir PATH=DIR --interpreter PATH}: every regular file of a host tree
 * listed as a script for one interpreter (an interpreter's library: Python's standard library,
 * site-packages), so the interpreter's own AT_EXECVE_CHECK passes for them under manifest-only,
 * where the same files given with {@code --dir} are data and refused. The real Lua built from
 * Debian's source (whose dofile asks AT_EXECVE_CHECK) shows it end to end.
 */
class ScriptDirTest {
    private static final String MOD = "print('mod from the tree')\n";
    private static final String DEEP = "#!/usr/bin/env lua\nprint('deep from the tree')\n";
    private static final String DATA = "print('DATA RAN')\n";
    private static final String TASK = "#!/bin/lua\ndofile('/usr/share/lua/5.4/mod.lua')\ndofile('/usr/share/lua/5.4/sub/deep.lua')\n"
            + "print('now the data file')\ndofile('/srv/lib/data.lua')\nprint('after')\n";

    @TempDir
    Path dir;
    Path in, key, tree, data;

    @BeforeEach
    void inputs() throws Exception {
        in = Files.createDirectories(dir.resolve("in"));
        key = dir.resolve("k");
        assertThat(CliRun.of("keygen", "--out", key).exitCode()).isZero();
        Guests.copy("userland/lua/lua", in);
        Guests.copy("wali-echo.wasm", in);
        Guests.copy("wali-hello.wasm", in);
        tree = Files.createDirectories(dir.resolve("tree"));
        Files.writeString(tree.resolve("mod.lua"), MOD);
        Files.writeString(Files.createDirectories(tree.resolve("sub")).resolve("deep.lua"), DEEP);
        Files.write(Files.createDirectories(tree.resolve("sub/__pycache__")).resolve("x.pyc"), new byte[] {(byte) 0xa7, 0x0d, 0x0d, 0x0a, 0, 1, 2});
        data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("data.lua"), DATA);
        Files.writeString(in.resolve("task.lua"), TASK);
        Files.writeString(in.resolve("policy.json"), "{\"scripts\": \"manifest-only\", \"interpreters\": {\"/bin/lua\": \"lua\", \"/bin/echo\": \"python\"}}");
    }

    private List<Object> build(Path out, Object... more) {
        List<Object> args = new ArrayList<>(List.of("build", "--key", key, "--out", out,
                "--exec", "/bin/lua=" + in.resolve("userland/lua/lua"), "--exec", "/bin/echo=" + in.resolve("wali-echo.wasm"),
                "--policy", in.resolve("policy.json")));
        args.addAll(List.of(more));
        return args;
    }

    private static Manifest manifest(Path bundle) throws Exception {
        var entries = TarSurgery.read(Files.readAllBytes(bundle));
        var envelope = entries.stream().filter(e -> e.name().equals(BundleFormat.ENVELOPE)).findFirst().orElseThrow();
        return ManifestCodec.decode(Envelope.parse(envelope.content()).payload());
    }

    @Test
    void everyFileOfTheTreeIsAScriptForItsInterpreterBesideOtherScriptsAndDirs() throws Exception {
        Path app = dir.resolve("app.nojit");
        CliRun r = CliRun.of(build(app, "--script", "/task.lua=" + in.resolve("task.lua"), "--interpreter", "/bin/lua",
                "--script-dir", "/usr/share/lua/5.4=" + tree, "--interpreter", "/bin/lua",
                "--script-dir", "/usr/lib/python3.11=" + tree, "--interpreter", "/bin/echo",
                "--dir", "/srv/lib=" + data).toArray());
        assertThat(r.exitCode()).as(r.err()).isZero();
        Map<String, ImageEntry> byPath = manifest(app).entries().stream().collect(Collectors.toMap(ImageEntry::path, e -> e));
        for (String rel : List.of("mod.lua", "sub/deep.lua", "sub/__pycache__/x.pyc")) {
            String sha = Sha256.hex(Files.readAllBytes(tree.resolve(rel)));
            assertThat(byPath.get("/usr/share/lua/5.4/" + rel)).as(rel).isEqualTo(new ImageEntry.Script("/usr/share/lua/5.4/" + rel, 0755, sha,
                    Files.size(tree.resolve(rel)), "/bin/lua"));
            assertThat(byPath.get("/usr/lib/python3.11/" + rel)).as(rel).isInstanceOfSatisfying(ImageEntry.Script.class,
                    s -> assertThat(s.interpreter()).isEqualTo("/bin/echo"));
        }
        assertThat(byPath.get("/usr/share/lua/5.4/sub")).isInstanceOf(ImageEntry.Directory.class);
        assertThat(byPath.get("/usr/share/lua/5.4/sub/__pycache__")).isInstanceOf(ImageEntry.Directory.class);
        assertThat(byPath.get("/srv/lib/data.lua")).isInstanceOf(ImageEntry.DataFile.class);
        assertThat(CliRun.of("inspect", app).out()).contains("/usr/share/lua/5.4/mod.lua").contains("(interpreter /bin/lua)")
                .contains("interpreter /bin/echo:").containsPattern("inline code \\(refused\\) +-X -c -m\n")
                .containsPattern("syntax +argument attached-or-next; lone - means stdin, also right after --\n");
    }

    /** Under manifest-only, Lua's dofile (AT_EXECVE_CHECK first) runs the tree's files and is killed on the --dir one. */
    @Test
    void theInterpreterLoadsTheTreeAndIsRefusedTheDataFile() throws Exception {
        Path app = dir.resolve("app.nojit");
        CliRun built = CliRun.of(build(app, "--script", "/task.lua=" + in.resolve("task.lua"), "--interpreter", "/bin/lua",
                "--script-dir", "/usr/share/lua/5.4=" + tree, "--interpreter", "/bin/lua", "--dir", "/srv/lib=" + data).toArray());
        assertThat(built.exitCode()).as(built.err()).isZero();
        Path log = dir.resolve("audit.jsonl");
        CliProcess run = CliProcess.run("", "run", app, "--pubkey", key + ".pub", "--audit-log", log, "--", "/task.lua");
        assertThat(run.out()).isEqualTo("mod from the tree\ndeep from the tree\nnow the data file\n");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(137);
        List<String> denied = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.contains("_denied")).toList();
        assertThat(denied).singleElement().asString().contains("\"exec_denied\"", "/srv/lib/data.lua",
                Sha256.hex(DATA.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void badScriptDirsAreOneLineRefusalsAndLeaveNothingBehind() throws Exception {
        Path link = Files.createDirectories(dir.resolve("linked"));
        Files.createSymbolicLink(link.resolve("os.py"), Path.of("/etc/passwd"));
        Path fifo = Files.createDirectories(dir.resolve("fifo"));
        assertThat(new ProcessBuilder("mkfifo", fifo.resolve("pipe").toString()).start().waitFor()).isZero();
        Path app = dir.resolve("out/app.nojit");
        Files.createDirectories(app.getParent());
        record Case(List<Object> args, String message) {}
        for (Case c : List.of(
                new Case(List.of("--script-dir", "/lib/py=" + link, "--interpreter", "/bin/echo"),
                        "--script-dir /lib/py: 'os.py' is a symbolic link, which an image cannot hold"),
                new Case(List.of("--script-dir", "/lib/py=" + fifo, "--interpreter", "/bin/echo"),
                        "--script-dir /lib/py: 'pipe' is not a regular file or directory"),
                new Case(List.of("--script-dir", "/lib/py=" + dir.resolve("missing"), "--interpreter", "/bin/echo"),
                        "--script-dir /lib/py: " + dir.resolve("missing") + " is not a directory"),
                new Case(List.of("--script-dir", "/lib/py=" + data.resolve("data.lua"), "--interpreter", "/bin/echo"),
                        "is not a directory"),
                new Case(List.of("--script-dir", "/lib/py=" + tree, "--interpreter", "/bin/python3"),
                        "script '/lib/py/mod.lua': interpreter '/bin/python3' is not an executable of this bundle"),
                new Case(List.of("--script-dir", "/lib/py=" + tree, "--interpreter", "/srv/lib/data.lua", "--dir", "/srv/lib=" + data),
                        "interpreter '/srv/lib/data.lua' is not an executable of this bundle"),
                new Case(List.of("--script-dir", "/lib/py=" + tree, "--interpreter", "relative"), "invalid container path 'relative'"),
                new Case(List.of("--script-dir", "/lib/../py=" + tree, "--interpreter", "/bin/echo"), "invalid container path '/lib/../py'"),
                new Case(List.of("--script-dir", "/lib/py=" + tree, "--interpreter", "/bin/echo", "--file", "/lib/py/mod.lua=" + data.resolve("data.lua")),
                        "container path '/lib/py/mod.lua' is given twice"),
                // A tree for an interpreter with no spec under manifest-only (wali-hello: not the content of a described one).
                new Case(List.of("--script-dir", "/lib/py=" + tree, "--interpreter", "/bin/extra", "--exec", "/bin/extra=" + in.resolve("wali-hello.wasm")),
                        "scripts: manifest-only needs an interpreter spec for /bin/extra"))) {
            CliRun r = CliRun.of(build(app, c.args().toArray()).toArray());
            assertThat(r.exitCode()).as(c.message()).isEqualTo(ExitCodes.CHECK_FAILED);
            assertThat(r.errIsOneCleanLine()).as(r.err()).isTrue();
            assertThat(r.err()).contains(c.message());
            try (Stream<Path> left = Files.list(app.getParent())) {
                assertThat(left).as("no partial output").isEmpty();
            }
        }
    }

    @Test
    void usageErrorsExit2() throws Exception {
        Path app = dir.resolve("u.nojit");
        for (List<Object> args : List.of(
                List.<Object>of("--script-dir", "/lib/py=" + tree),
                List.<Object>of("--script-dir", "no-equals-sign", "--interpreter", "/bin/echo"),
                List.<Object>of("--script-dir", "/lib/py=", "--interpreter", "/bin/echo"),
                List.<Object>of("--script-dir", "/lib/py=" + tree, "--script", "/s=" + in.resolve("task.lua"), "--interpreter", "/bin/lua"),
                List.<Object>of("--interpreter", "/bin/echo"))) {
            CliRun r = CliRun.of(build(app, args.toArray()).toArray());
            assertThat(r.exitCode()).as(args.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).as(args.toString()).startsWith("nojit").doesNotContain("\tat ").doesNotContain("Exception");
            assertThat(app).doesNotExist();
        }
    }
}
