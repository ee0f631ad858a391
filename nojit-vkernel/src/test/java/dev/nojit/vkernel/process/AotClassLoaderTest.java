package dev.nojit.vkernel.process;

import dev.nojit.bundle.AotClassBlob;
import dev.nojit.bundle.AotTranslator;
import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.manifest.EngineMode;
import dev.nojit.bundle.manifest.ImageEntry;
import dev.nojit.bundle.testing.AotTestClasses;
import dev.nojit.bundle.testing.Guests;
import dev.nojit.engine.CompiledModule;
import dev.nojit.vkernel.ImageSource;
import dev.nojit.vkernel.testing.TestContainers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The vkernel's one class loader: classes only from verified blobs, only in the generated package, all defined
 * and verified before a program starts; a class the JVM refuses stops process 1 with exit 125 and one line, and
 * makes a guest's execve fail with ENOEXEC. The classes are real class files made in test code.
 */
class AotClassLoaderTest {
    static final String MODULE = "fedcba9876543210".repeat(4);

    @TempDir
    Path dir;

    static AotClassBlob.Decoded decoded(int n, byte[] classFile) throws Exception {
        String name = AotClassBlob.PACKAGE + ".M" + MODULE.substring(0, 16) + "_" + n;
        return AotClassBlob.decode(AotClassBlob.encode(MODULE, name, classFile));
    }

    static String name(int n) {
        return AotClassBlob.PACKAGE + ".M" + MODULE.substring(0, 16) + "_" + n;
    }

    @Test
    void definesEveryClassAndInstantiatesTheEntry() throws Exception {
        CompiledModule m = AotClassLoader.load("/bin/t", List.of(decoded(0, AotTestClasses.entry(name(0), 7)),
                decoded(1, AotTestClasses.helper(name(1), 1)), decoded(2, AotTestClasses.helper(name(2), 2))));
        assertThat(m.definedFunctions()).isEqualTo(7);
        assertThat(m.compiled(0)).isFalse();
        Class<?> entry = m.getClass();
        assertThat(entry.getName()).isEqualTo(name(0));
        ClassLoader loader = entry.getClassLoader();
        assertThat(loader).isInstanceOf(AotClassLoader.class);
        assertThat(loader.getParent()).isSameAs(CompiledModule.class.getClassLoader());
        // the helpers were defined by the same loader, eagerly
        Class<?> helper = loader.loadClass(name(2));
        assertThat(helper.getClassLoader()).isSameAs(loader);
        assertThat(helper.getMethod("value").invoke(null)).isEqualTo(2);
        // nothing else of the generated package can be had from it, now or later; other names go to the parent
        assertThatThrownBy(() -> loader.loadClass(name(3))).isInstanceOf(ClassNotFoundException.class);
        assertThat(loader.loadClass("dev.nojit.engine.CompiledModule")).isSameAs(CompiledModule.class);
    }

    @Test
    void aClassTheJvmVerifierRefusesFailsTheLoadInOneLine() throws Exception {
        var classes = List.of(decoded(0, AotTestClasses.entry(name(0), 1)), decoded(1, AotTestClasses.unverifiable(name(1))));
        assertThatThrownBy(() -> AotClassLoader.load("/bin/t", classes))
                .isInstanceOf(AotClassLoader.Refused.class)
                .hasMessageStartingWith("/bin/t: AOT class " + name(1) + " cannot be loaded: VerifyError: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    /** The classes are defined on several threads; the refusal is still the first failing class in the given order. */
    @Test
    void ofSeveralRefusedClassesTheFirstInOrderIsReported() throws Exception {
        for (int round = 0; round < 20; round++) {
            var classes = List.of(decoded(0, AotTestClasses.entry(name(0), 1)), decoded(1, AotTestClasses.helper(name(1), 1)),
                    decoded(2, AotTestClasses.unverifiable(name(2))), decoded(3, AotTestClasses.unverifiable(name(3))));
            assertThatThrownBy(() -> AotClassLoader.load("/bin/t", classes))
                    .isInstanceOf(AotClassLoader.Refused.class)
                    .hasMessageStartingWith("/bin/t: AOT class " + name(2) + " cannot be loaded: VerifyError: ");
        }
    }

    @Test
    void anEntryThatIsNoCompiledModuleIsRefused() throws Exception {
        assertThatThrownBy(() -> AotClassLoader.load("/bin/t", List.of(decoded(0, AotTestClasses.helper(name(0), 0)))))
                .isInstanceOf(AotClassLoader.Refused.class)
                .hasMessage("/bin/t: AOT entry class " + name(0) + " is not a public CompiledModule");
    }

    @Test
    void aClassFileUnderAnotherNameIsRefused() throws Exception {
        // the header says _0, the class file says _1: decoding refuses that (AotClassLinks), and so does the loader's
        // defineClass when handed such a pair directly
        assertThatThrownBy(() -> decoded(0, AotTestClasses.entry(name(1), 1))).hasMessageContaining("declares another class than");
        var classes = List.of(new AotClassBlob.Decoded(new AotClassBlob.Header(MODULE, name(0)), AotTestClasses.entry(name(1), 1), java.util.Set.of()));
        assertThatThrownBy(() -> AotClassLoader.load("/bin/t", classes))
                .isInstanceOf(AotClassLoader.Refused.class)
                .hasMessageStartingWith("/bin/t: AOT class " + name(0) + " cannot be loaded: NoClassDefFoundError");
    }

    // --- in a container ---

    private static AotTranslator brokenTranslator() {
        return (path, wasm, personalities, deopt) -> new AotTranslator.Translation(List.of(
                new AotTranslator.GeneratedClass(AotTestClasses.name(wasm, 0), AotTestClasses.entry(AotTestClasses.name(wasm, 0), 1)),
                new AotTranslator.GeneratedClass(AotTestClasses.name(wasm, 1), AotTestClasses.unverifiable(AotTestClasses.name(wasm, 1)))), "");
    }

    @Test
    void processOneWithAClassTheJvmRefusesEndsWith125BeforeAnyGuestCode() throws Exception {
        BundleBuilder b = new BundleBuilder().executable("/bin/hello", Guests.copy("hello.wasm", dir))
                .engine(EngineMode.AOT).aotTranslator(brokenTranslator());
        try (VerifiedBundle bundle = TestContainers.bundle(b, dir)) {
            var run = TestContainers.run(bundle, "/bin/hello");
            assertThat(run.exitCode()).isEqualTo(125);
            assertThat(run.result().error()).startsWith("/bin/hello: AOT class dev.nojit.aot.generated.M")
                    .contains("_1 cannot be loaded: VerifyError: ").doesNotContain("\n");
            assertThat(run.out()).isEmpty();
        }
    }

    @Test
    void anExecveOfItFailsWithEnoexecAndTheCallerGoesOn() throws Exception {
        // the shell interpreted, /bin/hello AOT with classes that do not verify
        BundleBuilder b = new BundleBuilder().executable("/bin/sh", Guests.copy("nsh.wasm", dir))
                .executable("/bin/hello", Guests.copy("hello.wasm", dir))
                .engine("/bin/hello", EngineMode.AOT).aotTranslator(brokenTranslator());
        try (VerifiedBundle bundle = TestContainers.bundle(b, dir)) {
            assertThat(((ImageEntry.Executable) bundle.lookup("/bin/sh").orElseThrow()).engine()).isEqualTo(EngineMode.INTERPRETER);
            var run = TestContainers.run(bundle, "/bin/sh", "-c", "/bin/hello; echo after $?");
            assertThat(run.err()).contains("/bin/hello: Exec format error")
                    .containsPattern("nojit: pid \\d+: execve refused: /bin/hello: AOT class \\S+_1 cannot be loaded: VerifyError");
            assertThat(run.out()).contains("after 126");
            assertThat(run.exitCode()).isZero();
        }
    }

    @Test
    void theSameModuleIsLoadedOncePerContainer() throws Exception {
        BundleBuilder b = new BundleBuilder().executable("/bin/a", Guests.copy("hello.wasm", dir))
                .executable("/bin/b", dir.resolve("hello.wasm")).engine(EngineMode.AOT).aotTranslator(AotTestClasses.translator(5, 1));
        try (VerifiedBundle bundle = TestContainers.bundle(b, dir)) {
            ImageSource images = new ImageSource(bundle);
            var a = (ImageEntry.Executable) bundle.lookup("/bin/a").orElseThrow();
            var c = (ImageEntry.Executable) bundle.lookup("/bin/b").orElseThrow();
            CompiledModule first = images.compiled(a);
            assertThat(first.definedFunctions()).isEqualTo(5);
            assertThat(images.compiled(c)).isSameAs(first); // content addressing: one module, one loader
        }
    }
}
