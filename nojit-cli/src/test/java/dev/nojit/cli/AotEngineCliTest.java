package dev.nojit.cli;

import dev.nojit.bundle.AotTranslator;
import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.keys.Ed25519Keys;
import dev.nojit.bundle.manifest.EngineMode;
import dev.nojit.bundle.testing.AotTestClasses;
import dev.nojit.bundle.testing.Guests;
import dev.nojit.bundle.testing.TarSurgery;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code nojit build --engine} as a user meets it: the real translator (nojit-aot, in a JVM of its own) makes
 * the classes, {@code nojit run} (vkernel process, strict host lockdown) defines them from the signed bundle and
 * the guests print what they print on the interpreter; usage errors exit 2, a broken bundle is refused (verify 1,
 * run 125) in one line; inspect and the attestation say which executables run AOT.
 */
class AotEngineCliTest {
    /** Guests that do not fork (so they run AOT), each with its arguments and stdin; compared with the interpreter. */
    static final String[][] GUESTS = {
            {"hello", ""}, {"wc", "one two\nthree\n"}, {"cat", "through cat\n"}, {"wasi-files", ""}, {"wali-hello", ""},
            {"wali-memory", ""}, {"wali-fixes", ""}, {"compute", ""}};

    @TempDir
    Path dir;
    Path key;

    @BeforeEach
    void setUp() throws Exception {
        key = dir.resolve("k");
        assertThat(CliRun.of("keygen", "--out", key).exitCode()).isZero();
    }

    private List<Object> build(Path out, String... extra) throws Exception {
        List<Object> args = new ArrayList<>(List.of("build", "--key", key, "--out", out));
        for (String[] g : GUESTS) args.addAll(List.of("--exec", "/bin/" + g[0] + "=" + Guests.copy(g[0] + ".wasm", dir)));
        args.addAll(List.of("--exec", "/bin/sh=" + Guests.copy("nsh.wasm", dir)));
        args.addAll(List.of(extra));
        return args;
    }

    @Test
    void aotBundlesRunLikeTheInterpreter() throws Exception {
        Path interp = dir.resolve("i.nojit"), aot = dir.resolve("a.nojit");
        CliRun bi = CliRun.of(build(interp).toArray());
        assertThat(bi.exitCode()).as(bi.err()).isZero();
        CliRun ba = CliRun.of(build(aot, "--engine", "aot").toArray());
        assertThat(ba.exitCode()).as(ba.err()).isZero();
        assertThat(ba.err()).contains("nojit build: /bin/hello: aot: compiled ")
                .containsPattern("nojit build: /bin/wc: aot: compiled \\d+ of \\d+ functions \\(\\d+ left to the interpreter(; \\d+ split into regions)?\\)")
                .contains("nojit build: /bin/sh: deoptimization at call sites (imports SYS_fork: a fork under compiled frames"
                        + " continues them on the interpreter)");

        CliRun inspect = CliRun.of("inspect", aot);
        assertThat(inspect.out()).containsPattern("/bin/hello  \\(wasi_snapshot_preview1; image \\d+ bytes; engine aot, \\d+ classes\\)")
                .containsPattern("/bin/sh  \\(wali; image \\d+ bytes; engine aot, \\d+ classes\\)").contains("engine=aot");
        assertThat(CliRun.of("verify", aot, "--pubkey", key + ".pub").exitCode()).isZero();

        for (String[] g : GUESTS) {
            CliProcess i = CliProcess.run(g[1], "run", interp, "--pubkey", key + ".pub", "--", "/bin/" + g[0]);
            CliProcess a = CliProcess.run(g[1], "run", aot, "--pubkey", key + ".pub", "--", "/bin/" + g[0]);
            assertThat(a.out()).as(g[0] + " stdout").isEqualTo(i.out());
            assertThat(a.exitCode()).as(g[0] + " exit; " + a.err()).isEqualTo(i.exitCode());
        }
        assertThat(CliProcess.run("", "run", aot, "--pubkey", key + ".pub", "--", "/bin/hello").out()).contains("hello");
        // an AOT shell (forking through deoptimization) starting AOT programs
        CliProcess sh = CliProcess.run("", "run", aot, "--pubkey", key + ".pub", "--", "/bin/sh", "-c", "/bin/hello; /bin/wali-hello; echo done $?");
        assertThat(sh.out()).contains("hello from a signed nojit guest", "hello from WALI", "done 0");
        assertThat(sh.exitCode()).isZero();
    }

    @Test
    void theAttestationSaysWhichExecutablesRunAot() throws Exception {
        Path aot = dir.resolve("a.nojit");
        assertThat(CliRun.of("build", "--key", key, "--out", aot, "--exec", "/bin/hello=" + Guests.copy("hello.wasm", dir),
                "--exec", "/bin/cat=" + Guests.copy("cat.wasm", dir), "--engine", "/bin/hello=aot").exitCode()).isZero();
        Path attestKey = dir.resolve("ak");
        Ed25519Keys.write(Ed25519Keys.generate(), attestKey);
        CliProcess run = CliProcess.runIn(dir, "", "run", aot, "--pubkey", key + ".pub", "--attest-key", attestKey,
                "--attestation", dir.resolve("att.jsonl"), "--audit-log", dir.resolve("log.jsonl"), "--", "/bin/hello");
        assertThat(run.exitCode()).as(run.err()).isZero();
        CliRun shown = CliRun.of("attest", "verify", dir.resolve("att.jsonl"), "--pubkey", attestKey + ".pub");
        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("engine:       aot (AOT: /bin/hello)");
    }

    @Test
    void engineUsageErrorsExit2InOneLine() throws Exception {
        Path out = dir.resolve("x.nojit");
        Object[][] cases = {
                {"--engine", "fast"}, {"--engine", "/bin/nope=aot"}, {"--engine", "/bin/hello=quick"},
                {"--engine", "aot", "--engine", "interpreter"},
                {"--engine", "/bin/hello=aot", "--engine", "/bin/hello=interpreter"}};
        String[] messages = {
                "nojit build: --engine fast: unknown mode 'fast' (known: interpreter, aot)",
                "nojit build: --engine /bin/nope=aot: /bin/nope is not an --exec of this build",
                "nojit build: --engine /bin/hello=quick: unknown mode 'quick' (known: interpreter, aot)",
                "nojit build: --engine interpreter: the mode of every executable is given twice",
                "nojit build: --engine /bin/hello is given as both aot and interpreter"};
        for (int i = 0; i < cases.length; i++) {
            List<Object> args = build(out);
            args.addAll(List.of(cases[i]));
            CliRun r = CliRun.of(args.toArray());
            assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.errIsOneCleanLine()).as(r.err()).isTrue();
            assertThat(r.err().strip()).isEqualTo(messages[i]);
            assertThat(out).doesNotExist();
        }
        Path policy = Files.writeString(dir.resolve("p.json"), "{\"engine\": \"interpreter\"}");
        List<Object> args = build(out, "--engine", "aot", "--policy", policy.toString());
        CliRun r = CliRun.of(args.toArray());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err().strip()).isEqualTo("nojit build: --policy " + policy + " says engine interpreter, but --engine asks for aot");
    }

    @Test
    void aModuleTheTranslatorRefusesFailsTheBuildNamingIt() throws Exception {
        // A module nojit accepts but the translator reports as unsupported would fail the same way; a missing
        // translator jar is AotTranslatorJvmTest's.
        var translator = AotTranslatorJvm.find();
        Path bad = Files.write(dir.resolve("bad.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 0x7f});
        try {
            translator.translate("/bin/bad", Files.readAllBytes(bad), List.of(), false);
            throw new AssertionError("translated a broken module");
        } catch (dev.nojit.bundle.BundleException e) {
            assertThat(e.getMessage()).startsWith("/bin/bad: the AOT translator refused it: aot: /bin/bad: ").doesNotContain("\n")
                    .doesNotContain("module.wasm");
        }
    }

    @Test
    void aClassTheJvmRefusesStopsTheRunWith125AndATamperedClassBlobFailsVerify() throws Exception {
        Path app = dir.resolve("bad.nojit");
        AotTranslator broken = (path, wasm, personalities, deopt) -> new AotTranslator.Translation(List.of(
                new AotTranslator.GeneratedClass(AotTestClasses.name(wasm, 0), AotTestClasses.entry(AotTestClasses.name(wasm, 0), 1)),
                new AotTranslator.GeneratedClass(AotTestClasses.name(wasm, 1), AotTestClasses.unverifiable(AotTestClasses.name(wasm, 1)))), "");
        var keys = Ed25519Keys.readPrivate(key);
        new BundleBuilder().executable("/bin/hello", Guests.copy("hello.wasm", dir)).engine(EngineMode.AOT).aotTranslator(broken)
                .build(keys, app);
        assertThat(CliRun.of("verify", app, "--pubkey", key + ".pub").exitCode()).isZero(); // well-formed and signed
        CliProcess run = CliProcess.run("", "run", app, "--pubkey", key + ".pub", "--", "/bin/hello");
        assertThat(run.exitCode()).isEqualTo(125);
        assertThat(run.out()).isEmpty();
        List<String> lines = run.err().lines().filter(l -> !l.startsWith("nojit run: audit log ")).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst()).startsWith("nojit run: /bin/hello: AOT class dev.nojit.aot.generated.M")
                .contains("_1 cannot be loaded: VerifyError: ");

        // one flipped byte in a class blob: verify says so (exit 1), run refuses (125), one line each
        byte[] file = Files.readAllBytes(app);
        var hello = (dev.nojit.bundle.manifest.ImageEntry.Executable) dev.nojit.bundle.BundleReader.readUnverified(app).manifest()
                .lookup("/bin/hello").orElseThrow();
        String sha = hello.module().aotClasses().getFirst().sha256();
        var blob = TarSurgery.read(file).stream().filter(e -> e.name().endsWith(sha)).findFirst().orElseThrow();
        file[(int) blob.offset() + blob.content().length / 2] ^= 0x20;
        Files.write(app, file);
        CliRun verify = CliRun.of("verify", app, "--pubkey", key + ".pub");
        assertThat(verify.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(verify.err().strip()).isEqualTo("nojit verify: blob " + sha + " (/bin/hello, AOT class 0) does not match its hash: the content was altered");
        CliProcess tampered = CliProcess.run("", "run", app, "--pubkey", key + ".pub", "--", "/bin/hello");
        assertThat(tampered.exitCode()).isEqualTo(125);
        assertThat(tampered.err().strip()).isEqualTo("nojit run: blob " + sha + " (/bin/hello, AOT class 0) does not match its hash: the content was altered");
    }

    @Test
    void aForkInAotCodeWithoutDeoptimizationIsEnosysNotACrash() throws Exception {
        // nojit build translates forking modules with deoptimization handlers; a publisher's own tool could sign AOT
        // classes without them. Made here by translating wali-forkbomb with the real translator (no --deopt) and
        // re-signing its manifest entry.
        Path app = dir.resolve("fork.nojit");
        Path wasm = Guests.copy("wali-forkbomb.wasm", dir);
        var keys = Ed25519Keys.readPrivate(key);
        var built = new BundleBuilder().executable("/bin/forker", wasm).build(keys, app);
        byte[] bytes = Files.readAllBytes(wasm);
        var translation = AotTranslatorJvm.find().translate("/bin/forker", bytes, List.of("wali"), false);
        String sha = dev.nojit.bundle.Sha256.hex(bytes);
        List<dev.nojit.bundle.manifest.ImageEntry.BlobRef> refs = new ArrayList<>();
        List<TarSurgery.Entry> tar = new ArrayList<>(TarSurgery.read(Files.readAllBytes(app)));
        for (var c : translation.classes()) {
            byte[] blob = dev.nojit.bundle.AotClassBlob.encode(sha, c.name(), c.classFile());
            String blobSha = dev.nojit.bundle.Sha256.hex(blob);
            refs.add(new dev.nojit.bundle.manifest.ImageEntry.BlobRef(dev.nojit.bundle.AotClassBlob.FORMAT, blobSha, blob.length));
            tar.add(new TarSurgery.Entry(dev.nojit.bundle.BundleFormat.blobName(blobSha), blob));
        }
        var m = built.manifest();
        var x = (dev.nojit.bundle.manifest.ImageEntry.Executable) m.lookup("/bin/forker").orElseThrow();
        var aot = new dev.nojit.bundle.manifest.ImageEntry.Executable(x.path(), x.mode(), x.sha256(), x.size(),
                new dev.nojit.bundle.manifest.ImageEntry.ModuleInfo(x.module().personalities(), x.module().predecoded(), refs), x.compat());
        var forged = dev.nojit.bundle.manifest.Manifest.of(m.builder(), m.created(), m.policy().with("engine", "aot"),
                m.entries().stream().map(e -> e.path().equals(x.path()) ? aot : e).toList());
        var env = dev.nojit.bundle.dsse.DsseSigner.sign(dev.nojit.bundle.dsse.Envelope.IN_TOTO,
                dev.nojit.bundle.manifest.ManifestCodec.encode(forged), keys);
        tar.set(0, tar.getFirst().withContent(env.toJson()));
        List<TarSurgery.Entry> blobs = new ArrayList<>(tar.subList(1, tar.size()));
        blobs.sort(java.util.Comparator.comparing(TarSurgery.Entry::name));
        blobs.addFirst(tar.getFirst());
        Files.write(app, TarSurgery.write(blobs, m.created().getEpochSecond()));

        CliProcess run = CliProcess.run("", "run", app, "--pubkey", key + ".pub", "--", "/bin/forker");
        // the first fork answers -ENOSYS (38); the program reports it and goes on to exit with its failure count
        assertThat(run.out()).contains("fork fails with EAGAIN at the process limit").contains("-38").contains("children: 0");
        assertThat(run.exitCode()).isBetween(1, 10);
        assertThat(run.err()).doesNotContain("Exception", "internal error", "\tat ");
    }
}
