package dev.nojit.bundle;

import dev.nojit.bundle.dsse.DsseSigner;
import dev.nojit.bundle.dsse.Envelope;
import dev.nojit.bundle.keys.Ed25519Keys;
import dev.nojit.bundle.manifest.EngineMode;
import dev.nojit.bundle.manifest.ImageEntry;
import dev.nojit.bundle.manifest.ImageEntry.Executable;
import dev.nojit.bundle.manifest.Manifest;
import dev.nojit.bundle.manifest.ManifestCodec;
import dev.nojit.bundle.manifest.Policy;
import dev.nojit.bundle.testing.AotTestClasses;
import dev.nojit.bundle.testing.Guests;
import dev.nojit.bundle.testing.SampleBundle;
import dev.nojit.bundle.testing.TarSurgery;
import dev.nojit.bundle.testing.TarSurgery.Entry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AOT mode in the bundle: class blobs content-addressed and signed beside their module, the manifest's
 * per-executable engine mode, the policy's summary, the forking-module rule (deoptimization), and verification refusing
 * an altered, missing or misplaced class blob. The classes come from a test translator that makes real
 * class files with the JDK's class-file API.
 */
class AotBundleTest {

    /** The build decides whether a forking module can run AOT from this count: it must read every summary form. */
    @Test
    void theTranslatorsSummarySaysHowManyFunctionsWereLeftToTheInterpreter() {
        assertThat(new AotTranslator.Translation(List.of(), "aot: compiled 12 of 14 functions (2 left to the interpreter)")
                .leftToInterpreter()).isEqualTo(2);
        assertThat(new AotTranslator.Translation(List.of(),
                "aot: compiled 13 of 14 functions (1 left to the interpreter; 3 split into regions)").leftToInterpreter()).isEqualTo(1);
        assertThat(new AotTranslator.Translation(List.of(),
                "aot: compiled 14 of 14 functions (0 left to the interpreter; 3 split into regions)").leftToInterpreter()).isZero();
    }
    @TempDir
    Path dir;
    KeyPair key;
    Path inputs;

    @BeforeEach
    void setUp() throws Exception {
        key = Ed25519Keys.generate();
        inputs = SampleBundle.writeInputs(dir.resolve("inputs"));
    }

    private BundleBuilder.Result buildAot(BundleBuilder b) throws Exception {
        return b.aotTranslator(AotTestClasses.translator(3, 2)).build(key, dir.resolve("app.nojit"));
    }

    @Test
    void engineAotListsEachExecutablesClassBlobsEntryFirstAndTheyVerify() throws Exception {
        List<String> notices = new ArrayList<>();
        var r = buildAot(SampleBundle.builder(inputs).engine(EngineMode.AOT).onNotice(notices::add));
        Manifest m = r.manifest();
        assertThat(m.policy().engine()).isEqualTo("aot");
        List<Executable> aot = m.aotExecutables();
        assertThat(aot).extracting(Executable::path).containsExactly("/bin/cat", "/bin/hello", "/bin/wali-hello", "/usr/bin/wc");
        assertThat(notices).hasSize(4).allMatch(n -> n.endsWith(": aot: test classes (3)"));
        try (VerifiedBundle b = BundleReader.open(r.out(), key.getPublic())) {
            for (Executable x : aot) {
                assertThat(x.engine()).isEqualTo(EngineMode.AOT);
                assertThat(x.module().aotClasses()).hasSize(3).allMatch(c -> c.format().equals(AotClassBlob.FORMAT));
                var classes = b.loadAotClasses(x);
                assertThat(classes).extracting(d -> d.header().className()).containsExactly(
                        AotTestClasses.name(bytes(x), 0), AotTestClasses.name(bytes(x), 1), AotTestClasses.name(bytes(x), 2));
                assertThat(classes).allMatch(d -> d.header().moduleSha256().equals(x.sha256()));
                assertThat(classes.getFirst().classFile()).isEqualTo(AotTestClasses.entry(AotTestClasses.name(bytes(x), 0), 3));
                // the blob's hash covers header and class bytes: it is the name the manifest lists
                assertThat(Sha256.hex(b.readBlob(x.module().aotClasses().getFirst().sha256())))
                        .isEqualTo(x.module().aotClasses().getFirst().sha256());
            }
            assertThat(b.manifest().blobs().keySet()).containsAll(aot.stream()
                    .flatMap(x -> x.module().aotClasses().stream()).map(ImageEntry.BlobRef::sha256).toList());
        }
        String json = new String(ManifestCodec.encode(m), StandardCharsets.UTF_8);
        assertThat(json).contains("\"engine\":\"aot\"", "\"aot\":[{\"format\":\"nojit-aot-class-v1\"");
        assertThat(ManifestCodec.decode(ManifestCodec.encode(m))).isEqualTo(m);
    }

    @Test
    void perPathModesOverrideTheDefaultAndInterpretedEntriesAreUnchanged() throws Exception {
        var plain = SampleBundle.builder(inputs).build(key, dir.resolve("plain.nojit")).manifest();
        var r = buildAot(SampleBundle.builder(inputs).engine("/bin/hello", EngineMode.AOT));
        assertThat(r.manifest().aotExecutables()).extracting(Executable::path).containsExactly("/bin/hello");
        assertThat(r.manifest().policy().engine()).isEqualTo("aot");
        // an interpreted executable's entry is what it was before AOT mode: no engine member, no class list
        assertThat(r.manifest().lookup("/bin/cat")).isEqualTo(plain.lookup("/bin/cat"));
        assertThat(plain.policy().engine()).isEqualTo("interpreter");
        assertThat(new String(ManifestCodec.encode(plain), StandardCharsets.UTF_8)).doesNotContain("\"engine\":\"aot\"", "\"aot\":");

        var mixed = buildAot(SampleBundle.builder(inputs).engine(EngineMode.AOT).engine("/bin/cat", EngineMode.INTERPRETER));
        assertThat(mixed.manifest().aotExecutables()).extracting(Executable::path).doesNotContain("/bin/cat").hasSize(3);
    }

    @Test
    void aForkingModuleIsTranslatedWithDeoptimizationUnlessFunctionsAreLeftToTheInterpreter() throws Exception {
        Path fork = Guests.copy("wali-forkbomb.wasm", inputs);
        List<String> notices = new ArrayList<>();
        List<String> deopt = new ArrayList<>();
        AotTranslator flagged = new AotTranslator() {
            @Override
            public Translation translate(String path, byte[] wasm, List<String> p, boolean d) throws BundleException, IOException {
                if (d) deopt.add(path);
                return AotTestClasses.translator(3, 2).translate(path, wasm, p, d);
            }
        };
        var r = SampleBundle.builder(inputs).executable("/bin/forker", fork).engine(EngineMode.AOT).onNotice(notices::add)
                .aotTranslator(flagged).build(key, dir.resolve("app.nojit"));
        Executable forker = (Executable) r.manifest().lookup("/bin/forker").orElseThrow();
        assertThat(forker.engine()).isEqualTo(EngineMode.AOT);
        assertThat(forker.module().aotClasses()).hasSize(3);
        assertThat(deopt).containsExactly("/bin/forker"); // only the module that forks
        assertThat(notices).contains("/bin/forker: deoptimization at call sites (imports SYS_fork: a fork under compiled"
                + " frames continues them on the interpreter)");
        assertThat(r.manifest().aotExecutables()).hasSize(5);
        var named = SampleBundle.builder(inputs).executable("/bin/forker", fork).engine("/bin/forker", EngineMode.AOT)
                .aotTranslator(flagged).build(key, dir.resolve("named.nojit"));
        assertThat(((Executable) named.manifest().lookup("/bin/forker").orElseThrow()).engine()).isEqualTo(EngineMode.AOT);

        // a translation that left functions to the interpreter: a fork beneath them could not deoptimize
        AotTranslator leaving = (path, wasm, p, d) -> new AotTranslator.Translation(
                AotTestClasses.translator(3, 0).translate(path, wasm, p, d).classes(), "aot: compiled 2 of 3 functions (1 left to the interpreter)");
        notices.clear();
        var kept = SampleBundle.builder(inputs).executable("/bin/forker", fork).engine(EngineMode.AOT).onNotice(notices::add)
                .aotTranslator(leaving).build(key, dir.resolve("kept.nojit"));
        Executable k = (Executable) kept.manifest().lookup("/bin/forker").orElseThrow();
        assertThat(k.engine()).isEqualTo(EngineMode.INTERPRETER);
        assertThat(k.module().aotClasses()).isEmpty();
        assertThat(notices).contains("/bin/forker: stays interpreted (imports SYS_fork, and 1 of its functions are left to"
                + " the interpreter: a fork under them could not be deoptimized; --engine /bin/forker=aot runs it AOT)");
        // named, it runs AOT anyway
        notices.clear();
        var opted = SampleBundle.builder(inputs).executable("/bin/forker", fork).engine("/bin/forker", EngineMode.AOT)
                .onNotice(notices::add).aotTranslator(leaving).build(key, dir.resolve("opted.nojit"));
        assertThat(((Executable) opted.manifest().lookup("/bin/forker").orElseThrow()).engine()).isEqualTo(EngineMode.AOT);
        assertThat(notices).contains("/bin/forker: deoptimization at call sites (imports SYS_fork: a fork under compiled frames"
                + " continues them on the interpreter; a fork under its 1 functions left to the interpreter fails with ENOSYS)");
    }

    @Test
    void theBuildRefusesWhatTheTranslatorGetsWrong() throws Exception {
        AotTranslator noEntryFirst = (path, wasm, p, d) -> new AotTranslator.Translation(List.of(
                new AotTranslator.GeneratedClass(AotTestClasses.name(wasm, 1), AotTestClasses.helper(AotTestClasses.name(wasm, 1), 1)),
                new AotTranslator.GeneratedClass(AotTestClasses.name(wasm, 0), AotTestClasses.entry(AotTestClasses.name(wasm, 0), 1))), "");
        assertThatThrownBy(() -> SampleBundle.builder(inputs).engine("/bin/hello", EngineMode.AOT).aotTranslator(noEntryFirst)
                .build(key, dir.resolve("x.nojit"))).hasMessage("/bin/hello: the AOT translator's entry class (_0) must come first, and only first");
        AotTranslator otherModule = (path, wasm, p, d) -> new AotTranslator.Translation(List.of(new AotTranslator.GeneratedClass(
                AotClassBlob.PACKAGE + ".M0000000000000000_0", AotTestClasses.entry(AotClassBlob.PACKAGE + ".M0000000000000000_0", 1))), "");
        assertThatThrownBy(() -> SampleBundle.builder(inputs).engine("/bin/hello", EngineMode.AOT).aotTranslator(otherModule)
                .build(key, dir.resolve("x.nojit"))).hasMessageContaining("is not a generated name for module");
        assertThatThrownBy(() -> SampleBundle.builder(inputs).engine("/etc/motd", EngineMode.AOT).aotTranslator(otherModule)
                .build(key, dir.resolve("x.nojit"))).isInstanceOf(BundleBuilder.EngineRefused.class)
                .hasMessage("--engine /etc/motd: not an executable of this bundle");
        assertThat(dir.resolve("x.nojit")).doesNotExist();
    }

    @Test
    void policyEngineIsTheExecutablesSummary() throws Exception {
        Policy aotPolicy = Policy.defaults().with("engine", "aot");
        assertThatThrownBy(() -> SampleBundle.builder(inputs).policy(aotPolicy).build(key, dir.resolve("x.nojit")))
                .hasMessage("policy engine is aot but no executable runs AOT (give --engine aot or --engine PATH=aot)");
        Manifest m = buildAot(SampleBundle.builder(inputs).engine("/bin/hello", EngineMode.AOT)).manifest();
        // a manifest whose policy and executables disagree is refused whichever way
        assertThatThrownBy(() -> Manifest.of(m.builder(), m.created(), m.policy().with("engine", "interpreter"), m.entries()))
                .hasMessage("policy engine is 'interpreter' but /bin/hello runs AOT classes (engine aot)");
        List<ImageEntry> none = m.entries().stream().map(e -> e instanceof Executable x
                ? new Executable(x.path(), x.mode(), x.sha256(), x.size(), new ImageEntry.ModuleInfo(x.module().personalities(),
                x.module().predecoded()), x.compat()) : e).toList();
        assertThatThrownBy(() -> Manifest.of(m.builder(), m.created(), m.policy(), none))
                .hasMessage("policy engine is 'aot' but no executable runs AOT classes");
    }

    @Test
    void theManifestReaderRefusesAnEngineMemberOutOfItsForm() throws Exception {
        Manifest m = buildAot(SampleBundle.builder(inputs).engine("/bin/hello", EngineMode.AOT)).manifest();
        String json = new String(ManifestCodec.encode(m), StandardCharsets.UTF_8);
        int hello = json.indexOf("{\"engine\":\"aot\"");
        assertThat(hello).isPositive();
        assertThat(refusal(json.replaceFirst("\\{\"engine\":\"aot\",", "{"))).contains("module.aot is present but the executable has no \"engine\": \"aot\"");
        assertThat(refusal(json.replaceFirst("\"engine\":\"aot\"", "\"engine\":\"interpreter\""))).contains("engine is 'interpreter'; only \"aot\" is written");
        assertThat(refusal(json.replaceFirst("\"format\":\"nojit-aot-class-v1\"", "\"format\":\"nojit-aot-class-v9\""))).contains("unknown AOT class format 'nojit-aot-class-v9'");
        assertThat(refusal(json.replaceFirst("\"aot\":\\[[^\\]]*\\]", "\"aot\":[]"))).contains("module.aot is present but empty");
        assertThat(refusal(json.replaceFirst("\"aot\":\\[[^\\]]*\\],", ""))).contains("engine is \"aot\" but module.aot lists no classes");
    }

    private static String refusal(String manifestJson) {
        byte[] canonical = dev.nojit.bundle.json.CanonicalJson.canonicalize(readTree(manifestJson));
        try {
            ManifestCodec.decode(canonical);
            throw new AssertionError("accepted: " + manifestJson);
        } catch (BundleException e) {
            return e.getMessage();
        }
    }

    private static tools.jackson.databind.JsonNode readTree(String json) {
        return dev.nojit.bundle.json.CanonicalJson.mapper().readTree(json);
    }

    // --- verification of the signed bundle ---

    @Test
    void anAlteredClassBlobIsRefused() throws Exception {
        var r = buildAot(SampleBundle.builder(inputs).engine("/bin/hello", EngineMode.AOT));
        String classSha = hello(r).module().aotClasses().get(1).sha256();
        byte[] file = Files.readAllBytes(r.out());
        Entry blob = TarSurgery.read(file).stream().filter(e -> e.name().endsWith(classSha)).findFirst().orElseThrow();
        file[(int) blob.offset() + blob.content().length - 3] ^= 0x01; // inside the class file
        Files.write(r.out(), file);
        assertThatThrownBy(() -> BundleReader.open(r.out(), key.getPublic()).close())
                .hasMessage("blob " + classSha + " (/bin/hello, AOT class 1) does not match its hash: the content was altered");
    }

    @Test
    void aMissingClassBlobIsRefused() throws Exception {
        var r = buildAot(SampleBundle.builder(inputs).engine("/bin/hello", EngineMode.AOT));
        String classSha = hello(r).module().aotClasses().getFirst().sha256();
        List<Entry> entries = TarSurgery.read(Files.readAllBytes(r.out()));
        entries.removeIf(e -> e.name().endsWith(classSha));
        Files.write(r.out(), TarSurgery.write(entries));
        assertThatThrownBy(() -> BundleReader.open(r.out(), key.getPublic()).close())
                .hasMessage("blob " + classSha + " (/bin/hello, AOT class 0) is missing from the bundle");
    }

    @Test
    void aClassBlobOfAnotherModuleIsRefusedEvenWhenSigned() throws Exception {
        // The publisher's own key signs a manifest that lists /bin/cat's classes for /bin/hello: every hash
        // matches, but each class blob names the module it was made from.
        var r = buildAot(SampleBundle.builder(inputs).engine("/bin/hello", EngineMode.AOT).engine("/bin/cat", EngineMode.AOT));
        Executable hello = hello(r);
        Executable cat = (Executable) r.manifest().lookup("/bin/cat").orElseThrow();
        Executable swapped = new Executable(hello.path(), hello.mode(), hello.sha256(), hello.size(),
                new ImageEntry.ModuleInfo(hello.module().personalities(), hello.module().predecoded(), cat.module().aotClasses()), hello.compat());
        Path forged = resign(r, swapped, hello.module().aotClasses().stream().map(ImageEntry.BlobRef::sha256).collect(Collectors.toSet()));
        assertThatThrownBy(() -> BundleReader.open(forged, key.getPublic()).close())
                .hasMessageMatching("blob [0-9a-f]{64} \\(/bin/hello, AOT class \\d\\) is a class of module " + cat.sha256()
                        + ", not of /bin/hello \\(" + hello.sha256() + "\\)");
        // and the vkernel's reopen, which hashes blobs only when read, checks the headers as well
        assertThatThrownBy(() -> BundleReader.reopen(forged, key.getPublic(), Sha256.hex(manifestPayload(forged)), "0".repeat(64)).close())
                .hasMessageContaining("is a class of module " + cat.sha256());
    }

    @Test
    void theEntryClassMustComeFirst() throws Exception {
        var r = buildAot(SampleBundle.builder(inputs).engine("/bin/hello", EngineMode.AOT));
        Executable hello = hello(r);
        List<ImageEntry.BlobRef> reversed = new ArrayList<>(hello.module().aotClasses());
        java.util.Collections.reverse(reversed);
        Executable swapped = new Executable(hello.path(), hello.mode(), hello.sha256(), hello.size(),
                new ImageEntry.ModuleInfo(hello.module().personalities(), hello.module().predecoded(), reversed), hello.compat());
        Path forged = resign(r, swapped, Set.of());
        assertThatThrownBy(() -> BundleReader.open(forged, key.getPublic()).close())
                .hasMessageMatching("blob [0-9a-f]{64} \\(/bin/hello, AOT class \\d\\) holds .*(not the entry class|a second entry class).*");
    }

    @Test
    void aClassNamingAGeneratedClassTheExecutableDoesNotHaveIsRefusedAtVerify() throws Exception {
        // each class passes on its own (it names a generated class of its own module), but _0 calls _7, which is not listed
        AotTranslator dangling = (path, wasm, p, d) -> new AotTranslator.Translation(List.of(
                new AotTranslator.GeneratedClass(AotTestClasses.name(wasm, 0), AotTestClasses.entry(AotTestClasses.name(wasm, 0), 1)),
                new AotTranslator.GeneratedClass(AotTestClasses.name(wasm, 1),
                        AotTestClasses.calling(AotTestClasses.name(wasm, 1), AotTestClasses.name(wasm, 7), "value"))), "");
        var r = SampleBundle.builder(inputs).engine("/bin/hello", EngineMode.AOT).aotTranslator(dangling).build(key, dir.resolve("d.nojit"));
        String missing = AotTestClasses.name(Files.readAllBytes(inputs.resolve("hello.wasm")), 7);
        assertThatThrownBy(() -> BundleReader.open(r.out(), key.getPublic()).close())
                .hasMessage("/bin/hello: its AOT classes name " + missing + ", which is not one of them");
        // the vkernel's path (reopen: headers only) finds it when it loads the classes
        try (VerifiedBundle b = BundleReader.reopen(r.out(), key.getPublic(), r.manifestSha256(), r.megabinarySha256())) {
            assertThatThrownBy(() -> b.loadAotClasses(hello(r))).hasMessageEndingWith("names " + missing + ", which is not one of its classes");
        }
    }

    private Executable hello(BundleBuilder.Result r) {
        return (Executable) r.manifest().lookup("/bin/hello").orElseThrow();
    }

    private byte[] bytes(Executable x) throws Exception {
        for (String g : new String[] {"hello.wasm", "cat.wasm", "wc.wasm", "wali-hello.wasm"}) {
            byte[] b = Files.readAllBytes(inputs.resolve(g));
            if (Sha256.hex(b).equals(x.sha256())) return b;
        }
        throw new AssertionError(x.path());
    }

    /** The bundle with {@code replacement} in place of the entry at its path, re-signed with the publisher's key; {@code drop}: blobs removed. */
    private Path resign(BundleBuilder.Result r, Executable replacement, Set<String> drop) throws Exception {
        Manifest m = r.manifest();
        List<ImageEntry> entries = m.entries().stream().map(e -> e.path().equals(replacement.path()) ? (ImageEntry) replacement : e).toList();
        Manifest changed = Manifest.of(m.builder(), m.created(), m.policy(), entries);
        Envelope env = DsseSigner.sign(Envelope.IN_TOTO, ManifestCodec.encode(changed), key);
        List<Entry> tar = new ArrayList<>(TarSurgery.read(Files.readAllBytes(r.out())));
        tar.set(0, tar.getFirst().withContent(env.toJson()));
        tar.removeIf(e -> drop.stream().anyMatch(sha -> e.name().endsWith(sha)));
        List<Entry> blobs = new ArrayList<>(tar.subList(1, tar.size()));
        blobs.sort(Comparator.comparing(Entry::name));
        List<Entry> all = new ArrayList<>();
        all.add(tar.getFirst());
        all.addAll(blobs);
        Path out = dir.resolve("forged.nojit");
        Files.write(out, TarSurgery.write(all));
        return out;
    }

    private static byte[] manifestPayload(Path bundle) throws Exception {
        return Envelope.parse(TarSurgery.read(Files.readAllBytes(bundle)).getFirst().content()).payload();
    }
}
