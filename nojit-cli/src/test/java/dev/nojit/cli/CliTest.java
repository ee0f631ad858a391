package dev.nojit.cli;

import dev.nojit.bundle.testing.Guests;
import dev.nojit.bundle.testing.SampleBundle;
import dev.nojit.bundle.testing.TarSurgery;
import dev.nojit.bundle.testing.WasmBytes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands as a user meets them: output, one-line errors, exit codes (SPEC §2). */
class CliTest {
    @TempDir
    Path dir;
    Path in;
    Path key;

    @BeforeEach
    void setUp() throws Exception {
        in = SampleBundle.writeInputs(dir.resolve("in"));
        key = dir.resolve("k");
        CliRun k = CliRun.of("keygen", "--out", key);
        assertThat(k.exitCode()).isZero();
        assertThat(k.out()).contains("keyid");
    }

    List<Object> buildArgs(Path out) {
        return new ArrayList<>(List.of("build", "--key", key, "--out", out,
                "--exec", "/bin/hello=" + in.resolve("hello.wasm"),
                "--exec", "/bin/cat=" + in.resolve("cat.wasm"),
                "--exec", "/bin/wali-hello=" + in.resolve("wali-hello.wasm"),
                "--script", "/opt/task.sh=" + in.resolve("task.sh"), "--interpreter", "/bin/cat",
                "--file", "/etc/motd=" + in.resolve("motd"),
                "--dir", "/srv/tree=" + in.resolve("tree"),
                "--compat", "/bin/hello=lenient-call-indirect"));
    }

    @Test
    void keygenBuildVerifyInspect() throws Exception {
        Path app = dir.resolve("app.nojit");
        CliRun build = CliRun.of(buildArgs(app).toArray());
        assertThat(build.exitCode()).as(build.err()).isZero();
        assertThat(build.out()).contains("megabinary: sha256:").contains("manifest:   sha256:");

        CliRun verify = CliRun.of("verify", app, "--pubkey", key + ".pub");
        assertThat(verify.exitCode()).isZero();
        String megabinary = dev.nojit.bundle.Sha256.hex(Files.readAllBytes(app));
        assertThat(verify.out()).contains("megabinary: sha256:" + megabinary);
        assertThat(verify.out()).contains(build.out().lines().filter(l -> l.startsWith("manifest:")).findFirst().orElseThrow());

        CliRun inspect = CliRun.of("inspect", app);
        assertThat(inspect.exitCode()).isZero();
        for (String[] row : new String[][] {
                {"executable", "/bin/hello", "hello.wasm"}, {"executable", "/bin/cat", "cat.wasm"},
                {"executable", "/bin/wali-hello", "wali-hello.wasm"}, {"script", "/opt/task.sh", "task.sh"},
                {"data", "/etc/motd", "motd"}, {"data", "/srv/tree/a.txt", "tree/a.txt"}, {"data", "/srv/tree/sub/b.txt", "tree/sub/b.txt"}}) {
            String sha = dev.nojit.bundle.Sha256.hex(Files.readAllBytes(in.resolve(row[2])));
            assertThat(inspect.out()).as(row[1]).containsPattern(row[0] + " +0[0-7]{3} +\\d+  " + sha + "  " + row[1] + "(\\s|$)");
        }
        assertThat(inspect.out()).contains("(interpreter /bin/cat)").contains("compat lenient-call-indirect")
                .containsPattern("/bin/hello  \\(wasi_snapshot_preview1; image \\d+ bytes; engine interpreter; compat lenient-call-indirect\\)")
                .contains("directory  0755").contains("/srv/tree/sub");
        assertThat(inspect.err()).contains("the signature was not checked");

        CliRun json = CliRun.of("inspect", app, "--json");
        assertThat(json.exitCode()).isZero();
        assertThat(json.out()).contains("\"predicateType\" : \"https://nojit.dev/manifest/v1\"");
    }

    @Test
    void verifyFailuresAreOneLineWithExitCode1() throws Exception {
        Path app = dir.resolve("app.nojit");
        assertThat(CliRun.of(buildArgs(app).toArray()).exitCode()).isZero();
        byte[] original = Files.readAllBytes(app);

        var blob = TarSurgery.read(original).get(2);
        byte[] flipped = original.clone();
        flipped[(int) blob.offset() + 1] ^= 1;
        Files.write(app, flipped);
        CliRun tampered = CliRun.of("verify", app, "--pubkey", key + ".pub");
        assertThat(tampered.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(tampered.errIsOneCleanLine()).as(tampered.err()).isTrue();
        assertThat(tampered.err()).contains("does not match its hash");
        assertThat(tampered.out()).isEmpty();

        Files.write(app, original);
        CliRun.of("keygen", "--out", dir.resolve("other"));
        CliRun wrongKey = CliRun.of("verify", app, "--pubkey", dir.resolve("other.pub"));
        assertThat(wrongKey.exitCode()).isEqualTo(1);
        assertThat(wrongKey.err()).contains("not signed by the given public key");

        Files.write(app, java.util.Arrays.copyOf(original, original.length - 700));
        CliRun truncated = CliRun.of("verify", app, "--pubkey", key + ".pub");
        assertThat(truncated.exitCode()).isEqualTo(1);
        assertThat(truncated.errIsOneCleanLine()).as(truncated.err()).isTrue();

        Files.writeString(app, "not a bundle at all");
        for (CliRun r : List.of(CliRun.of("verify", app, "--pubkey", key + ".pub"), CliRun.of("inspect", app))) {
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.errIsOneCleanLine()).as(r.err()).isTrue();
            assertThat(r.err()).contains("malformed archive");
        }
    }

    @Test
    void malformedBundlesAreOneLineExit1ForVerifyAndInspect() throws Exception {
        Path app = dir.resolve("app.nojit");
        assertThat(CliRun.of(buildArgs(app).toArray()).exitCode()).isZero();
        List<TarSurgery.Entry> good = TarSurgery.read(Files.readAllBytes(app));

        List<TarSurgery.Entry> traversal = new ArrayList<>(good);
        traversal.add(new TarSurgery.Entry("../x", "owned".getBytes()));
        List<TarSurgery.Entry> duplicate = new ArrayList<>(good);
        duplicate.add(2, good.get(2));
        List<TarSurgery.Entry> badJson = new ArrayList<>(good);
        badJson.set(0, new TarSurgery.Entry("manifest.dsse.json", "{not json".getBytes()));
        byte[] hugeSize = new byte[4096];
        System.arraycopy(TarSurgery.rawHeader("manifest.dsse.json", '0', "77777777777\0"), 0, hugeSize, 0, 512);
        record Bad(String what, byte[] bytes, String message) {}
        for (Bad bad : List.of(
                new Bad("an entry named ../x", TarSurgery.write(traversal, archiveTime(good)), "unexpected entry '../x'"),
                new Bad("duplicate entries", TarSurgery.write(duplicate, archiveTime(good)), "duplicate entry"),
                new Bad("invalid JSON", TarSurgery.write(badJson, archiveTime(good)), "not valid JSON"),
                new Bad("a huge declared size", hugeSize, "over the limit"))) {
            Files.write(app, bad.bytes());
            for (CliRun r : List.of(CliRun.of("verify", app, "--pubkey", key + ".pub"), CliRun.of("inspect", app))) {
                assertThat(r.exitCode()).as(bad.what()).isEqualTo(ExitCodes.CHECK_FAILED);
                assertThat(r.errIsOneCleanLine()).as(bad.what() + ": " + r.err()).isTrue();
                assertThat(r.err()).as(bad.what()).contains(bad.message());
                assertThat(r.out()).as(bad.what()).isEmpty();
            }
        }
    }

    /** The archive time the build wrote (the manifest's creation time), read from the first header. */
    private static long archiveTime(List<TarSurgery.Entry> entries) throws Exception {
        var envelope = dev.nojit.bundle.dsse.Envelope.parse(entries.getFirst().content());
        return dev.nojit.bundle.manifest.ManifestCodec.decode(envelope.payload()).created().getEpochSecond();
    }

    @Test
    void buildRefusalsAreOneLineExit1AndLeaveNothingBehind() throws Exception {
        Path evil = Guests.copy("import-env-compile.wasm", dir.resolve("evil"));
        Path broken = dir.resolve("broken.wasm");
        Files.write(broken, java.util.Arrays.copyOf(Guests.bytes("hello.wasm"), 300));
        Path simd = Files.write(dir.resolve("simd.wasm"), WasmBytes.usingSimd());
        var twice = new WasmBytes();
        twice.importFunction("wali", "SYS_mprotect", twice.type(new byte[] {WasmBytes.I32, WasmBytes.I32, WasmBytes.I32}, new byte[] {WasmBytes.I64}))
                .importFunction("wali", "SYS_mprotect", twice.type(new byte[] {WasmBytes.I32, WasmBytes.I32, WasmBytes.I64}, new byte[] {WasmBytes.I64}));
        Path twoTypes = Files.write(dir.resolve("two-types.wasm"), twice.bytes());
        Path app = dir.resolve("out/app.nojit");
        Files.createDirectories(app.getParent());
        record Case(String flag, String value, String message) {}
        for (Case c : List.of(
                new Case("--exec", "/bin/evil=" + evil, "import env.compile is not from a supported personality"),
                new Case("--exec", "/bin/broken=" + broken, "/bin/broken: not a valid WebAssembly module"),
                new Case("--exec", "/bin/simd=" + simd, "/bin/simd: uses SIMD"),
                new Case("--exec", "/bin/twice=" + twoTypes, "/bin/twice: import wali.SYS_mprotect is imported twice with different types: "
                        + "(i32, i32, i32) -> i64 and (i32, i32, i64) -> i64"),
                new Case("--file", "/etc/x=" + dir.resolve("missing"), "file not found"),
                new Case("--file", "/etc/../x=" + in.resolve("motd"), "invalid container path '/etc/../x'"))) {
            List<Object> args = buildArgs(app);
            args.add(c.flag());
            args.add(c.value());
            CliRun r = CliRun.of(args.toArray());
            assertThat(r.exitCode()).as(c.message()).isEqualTo(ExitCodes.CHECK_FAILED);
            assertThat(r.errIsOneCleanLine()).as(r.err()).isTrue();
            assertThat(r.err()).contains(c.message());
            assertThat(r.out()).isEmpty();
            try (Stream<Path> left = Files.list(app.getParent())) {
                assertThat(left).as("no partial output").isEmpty();
            }
        }
    }

    @Test
    void usageErrorsExit2() throws Exception {
        for (Object[] args : List.of(
                new Object[] {},
                new Object[] {"frobnicate"},
                new Object[] {"verify", "x.nojit"},
                new Object[] {"build", "--key", key, "--out", dir.resolve("a"), "--exec", "no-equals-sign"},
                new Object[] {"build", "--key", key, "--out", dir.resolve("a"), "--compat", "/bin/x=turbo"},
                new Object[] {"build", "--key", key, "--out", dir.resolve("a"), "--script", "/s=" + in.resolve("task.sh")},
                new Object[] {"keygen"})) {
            CliRun r = CliRun.of(args);
            assertThat(r.exitCode()).as(List.of(args).toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).startsWith("nojit").doesNotContain("\tat ").doesNotContain("Exception");
        }
    }

    @Test
    void aBadPolicyFileIsRefused() throws Exception {
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, "{\"memory\": \"allow-exec\"}");
        List<Object> args = buildArgs(dir.resolve("p.nojit"));
        args.addAll(List.of("--policy", policy));
        CliRun r = CliRun.of(args.toArray());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("memory is 'allow-exec', not one of [deny-exec]");

        Files.writeString(policy, "{\"onViolation\": \"kill-container\"}");
        assertThat(CliRun.of(args.toArray()).exitCode()).isZero();
        assertThat(CliRun.of("inspect", dir.resolve("p.nojit")).out()).contains("onViolation=kill-container");
    }

    @Test
    void aPolicyFileNamesInterpreterProfilesAndInspectShowsTheFullSpec() throws Exception {
        Path policy = dir.resolve("policy.json");
        List<Object> args = buildArgs(dir.resolve("p.nojit"));
        args.addAll(List.of("--policy", policy));
        Files.writeString(policy, "{\"scripts\": \"manifest-only\"}");
        CliRun refused = CliRun.of(args.toArray());
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(refused.errIsOneCleanLine()).as(refused.err()).isTrue();
        assertThat(refused.err()).contains("scripts: manifest-only needs an interpreter spec for /bin/cat (named by script /opt/task.sh)");

        Files.writeString(policy, "{\"scripts\": \"manifest-only\", \"interpreters\": {\"/bin/cat\": \"bash\", \"/bin/hello\": \"lua\"}}");
        CliRun build = CliRun.of(args.toArray());
        assertThat(build.exitCode()).as(build.err()).isZero();
        CliRun inspect = CliRun.of("inspect", dir.resolve("p.nojit"));
        assertThat(inspect.out()).contains("scripts=manifest-only")
                .contains("interpreter /bin/cat:").containsPattern("inline code \\(refused\\) +--debugger --login --wordexp -c -l\n")
                .containsPattern("script-file flags +--init-file --rcfile\n")
                .containsPattern("code variables +BASHOPTS BASH_ENV BASH_FUNC_\\* ENV PS4\n")
                .contains("interpreter /bin/hello:").containsPattern("inline code \\(refused\\) +-e -l\n")
                .containsPattern("/bin/hello  \\(wasi_snapshot_preview1; image \\d+ bytes; engine interpreter; compat lenient-call-indirect; interpreter spec\\)")
                .containsPattern("/bin/wali-hello  \\(wali; image \\d+ bytes; engine interpreter\\)\n")
                .containsPattern("syntax +argument attached-or-next; lone - means stdin\n");
        CliRun json = CliRun.of("inspect", dir.resolve("p.nojit"), "--json");
        assertThat(json.out()).contains("\"interpreters\" : {").contains("\"/bin/cat\" : {")
                .contains("\"optionArgument\" : \"attached-or-next\"").doesNotContain("\"bash\"");

        for (String[] bad : new String[][] {
                {"{\"interpreters\": {\"/bin/cat\": \"zsh\"}}", "interpreters./bin/cat names no built-in profile 'zsh' (known: bash, lua, python)"},
                {"{\"interpreters\": {\"/etc/motd\": \"bash\"}}", "policy interpreters: '/etc/motd' is not an executable of this bundle"},
                {"{\"interpreters\": {\"/bin/cat\": {\"inlineCode\": [\"-c\"], \"jit\": true}}}", "interpreters./bin/cat.stdinCode is missing"}}) {
            Files.writeString(policy, bad[0]);
            CliRun r = CliRun.of(args.toArray());
            assertThat(r.exitCode()).as(bad[0]).isEqualTo(ExitCodes.CHECK_FAILED);
            assertThat(r.errIsOneCleanLine()).as(r.err()).isTrue();
            assertThat(r.err()).contains(bad[1]);
        }
    }

    @Test
    void keygenNeverOverwrites() throws Exception {
        byte[] before = Files.readAllBytes(key);
        CliRun again = CliRun.of("keygen", "--out", key);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("refusing to overwrite");
        assertThat(Files.readAllBytes(key)).isEqualTo(before);
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : List.of("keygen", "build", "verify", "inspect", "simulate", "demo")) {
            CliRun r = CliRun.of(cmd, "--help");
            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).contains("Usage: nojit " + cmd);
        }
    }
}
