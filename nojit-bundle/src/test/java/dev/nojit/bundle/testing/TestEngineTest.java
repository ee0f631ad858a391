package dev.nojit.bundle.testing;

import dev.nojit.bundle.AotClassBlob;
import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.BundleReader;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.keys.Ed25519Keys;
import dev.nojit.bundle.manifest.EngineMode;
import dev.nojit.bundle.manifest.ImageEntry.Executable;
import dev.nojit.bundle.manifest.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine test profile: under aot the real translator's classes are signed in; a forking module's are translated
 * with deoptimization handlers, as nojit build translates them.
 */
class TestEngineTest {
    @TempDir
    Path dir;

    private Manifest build(EngineMode mode, String name) throws Exception {
        KeyPair key = Ed25519Keys.generate();
        BundleBuilder b = new BundleBuilder().executable("/bin/hello", Guests.copy("hello.wasm", dir))
                .executable("/bin/wali-hello", Guests.copy("wali-hello.wasm", dir))
                .executable("/bin/sh", Guests.copy("nsh.wasm", dir));
        Path out = dir.resolve(name);
        TestEngine.apply(b, mode).build(key, out);
        try (VerifiedBundle v = BundleReader.open(out, key.getPublic())) {
            return v.manifest();
        }
    }

    @Test
    void aotBuildsTheRealTranslatorsClassesAndGivesForkingModulesDeoptimizationHandlers() throws Exception {
        Manifest m = build(EngineMode.AOT, "aot.nojit");
        assertThat(m.aotExecutables()).extracting(Executable::path).containsExactlyInAnyOrder("/bin/hello", "/bin/wali-hello", "/bin/sh");
        for (Executable x : m.aotExecutables()) {
            assertThat(x.module().aotClasses()).isNotEmpty().allSatisfy(r -> assertThat(r.format()).isEqualTo(AotClassBlob.FORMAT));
        }
        assertThat(m.policy().engine()).isEqualTo("aot");
        assertThat(m.aotExecutables()).filteredOn(x -> x.path().equals("/bin/hello")).singleElement()
                .satisfies(x -> assertThat(x.module().aotClasses()).hasSizeLessThan(10));
        // nsh forks: its classes are the deoptimizing translation's, which differs from the plain one.
        byte[] nsh = java.nio.file.Files.readAllBytes(Guests.copy("nsh.wasm", dir));
        long withHandlers = classBytes(TestEngine.translate("/bin/sh", nsh, java.util.List.of("wali"), true));
        long plain = classBytes(TestEngine.translate("/bin/sh", nsh, java.util.List.of("wali"), false));
        assertThat(withHandlers).isGreaterThan(plain);
        long signed = m.aotExecutables().stream().filter(x -> x.path().equals("/bin/sh")).findFirst().orElseThrow()
                .module().aotClasses().stream().mapToLong(r -> r.size()).sum();
        assertThat(signed).as("the signed blobs hold the deoptimizing classes (blob headers add a little)")
                .isGreaterThanOrEqualTo(withHandlers).isLessThan(withHandlers + 4096);
    }

    private static long classBytes(dev.nojit.bundle.AotTranslator.Translation t) {
        return t.classes().stream().mapToLong(c -> c.classFile().length).sum();
    }

    @Test
    void theInterpreterProfileLeavesTheBuilderAlone() throws Exception {
        Manifest m = build(EngineMode.INTERPRETER, "interp.nojit");
        assertThat(m.aotExecutables()).isEmpty();
        assertThat(m.policy().engine()).isEqualTo("interpreter");
    }

    @Test
    void aBuilderWithATranslatorOfItsOwnIsLeftAlone() throws Exception {
        KeyPair key = Ed25519Keys.generate();
        BundleBuilder b = new BundleBuilder().executable("/bin/hello", Guests.copy("hello.wasm", dir))
                .engine(EngineMode.AOT).aotTranslator(AotTestClasses.translator(3, 9)); // 10 classes: more than the real translator makes for hello (above)
        Path out = dir.resolve("own.nojit");
        TestEngine.apply(b, EngineMode.AOT).build(key, out);
        try (VerifiedBundle v = BundleReader.open(out, key.getPublic())) {
            assertThat(v.manifest().aotExecutables()).singleElement().satisfies(x -> assertThat(x.module().aotClasses()).hasSize(10));
        }
    }

    @Test
    void anUnknownModeStopsTheRun() {
        String before = System.getProperty(TestEngine.PROPERTY);
        try {
            System.setProperty(TestEngine.PROPERTY, "jit");
            assertThatThrownBy(TestEngine::mode).isInstanceOf(IllegalStateException.class).hasMessageContaining("unknown engine mode");
            System.setProperty(TestEngine.PROPERTY, "aot");
            assertThat(TestEngine.aot()).isTrue();
        } finally {
            if (before == null) System.clearProperty(TestEngine.PROPERTY);
            else System.setProperty(TestEngine.PROPERTY, before);
        }
    }
}
