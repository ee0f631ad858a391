package dev.nojit.bundle;

import dev.nojit.bundle.keys.Ed25519Keys;
import dev.nojit.bundle.manifest.Compat;
import dev.nojit.bundle.manifest.ImageEntry;
import dev.nojit.bundle.manifest.Policy;
import dev.nojit.bundle.testing.Guests;
import dev.nojit.bundle.testing.SampleBundle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BundleBuilderTest {
    @TempDir
    Path dir;
    Path inputs;
    KeyPair key = Ed25519Keys.generate();

    @BeforeEach
    void inputs() throws Exception {
        inputs = SampleBundle.writeInputs(dir.resolve("in"));
    }

    @Test
    void twoBuildsOfTheSameInputsAreByteIdentical() throws Exception {
        Path a = dir.resolve("a.nojit"), b = dir.resolve("b.nojit");
        SampleBundle.builder(inputs).build(key, a);
        SampleBundle.builder(inputs).build(key, b);
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    }

    @Test
    void theCreationTimeIsSignedAndChangesTheBytes() throws Exception {
        Path a = dir.resolve("a.nojit"), b = dir.resolve("b.nojit");
        SampleBundle.builder(inputs).build(key, a);
        var r = SampleBundle.builder(inputs).created(Instant.parse("2030-01-01T00:00:00Z")).build(key, b);
        assertThat(Files.readAllBytes(a)).isNotEqualTo(Files.readAllBytes(b));
        assertThat(r.manifest().created()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
    }

    @Test
    void aModuleThatImportsEnvCompileIsRefusedAndNothingIsWritten() throws Exception {
        Path evil = Guests.copy("import-env-compile.wasm", dir);
        Path out = dir.resolve("out.nojit");
        assertThatThrownBy(() -> SampleBundle.builder(inputs).executable("/bin/evil", evil).build(key, out))
                .isInstanceOf(BundleException.class)
                .hasMessage("/bin/evil: import env.compile is not from a supported personality (wali, wasi_snapshot_preview1)");
        assertThat(out).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("in", "import-env-compile.wasm");
        }
    }

    @Test
    void aScriptsInterpreterMustBeAnExecutableOfTheBundle() throws Exception {
        assertThatThrownBy(() -> new BundleBuilder().created(SampleBundle.CREATED)
                .script("/task.sh", inputs.resolve("task.sh"), "/bin/cat")
                .file("/bin/cat", inputs.resolve("motd"))
                .build(key, dir.resolve("x.nojit")))
                .hasMessage("script '/task.sh': interpreter '/bin/cat' is not an executable of this bundle");
        assertThatThrownBy(() -> new BundleBuilder().created(SampleBundle.CREATED)
                .script("/task.sh", inputs.resolve("task.sh"), "/bin/cat")
                .build(key, dir.resolve("x.nojit")))
                .hasMessageContaining("is not an executable of this bundle");
    }

    @Test
    void aShebangMustNameTheDeclaredInterpreter() throws Exception {
        assertThatThrownBy(() -> new BundleBuilder().created(SampleBundle.CREATED)
                .executable("/bin/wc", inputs.resolve("wc.wasm"))
                .script("/task.sh", inputs.resolve("task.sh"), "/bin/wc")
                .build(key, dir.resolve("x.nojit")))
                .hasMessage("script /task.sh: its #! line names '/bin/cat' but --interpreter is '/bin/wc'");
    }

    @Test
    void aPathGivenTwiceIsRefused() {
        assertThatThrownBy(() -> new BundleBuilder()
                .executable("/bin/hello", inputs.resolve("hello.wasm"))
                .file("/bin/hello", inputs.resolve("motd")))
                .hasMessage("container path '/bin/hello' is given twice");
    }

    @Test
    void aFileCannotAlsoBeADirectory() {
        assertThatThrownBy(() -> new BundleBuilder().created(SampleBundle.CREATED)
                .file("/etc", inputs.resolve("motd"))
                .file("/etc/motd", inputs.resolve("motd"))
                .build(key, dir.resolve("x.nojit")))
                .hasMessage("'/etc' is both a file and a directory");
    }

    @Test
    void invalidContainerPathsAreRefused() {
        for (String bad : new String[] {"relative", "/a/../b", "/a//b", "/a/", "/a\u0000b", "/", "/" + "x".repeat(256)}) {
            assertThatThrownBy(() -> new BundleBuilder().file(bad, inputs.resolve("motd")))
                    .as(bad).isInstanceOf(BundleException.class).hasMessageStartingWith("invalid container path");
        }
    }

    @Test
    void symbolicLinksInADirectoryAreRefused() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.createSymbolicLink(tree.resolve("passwd"), Path.of("/etc/passwd"));
        assertThatThrownBy(() -> new BundleBuilder().directory("/data", tree))
                .hasMessage("--dir /data: 'passwd' is a symbolic link, which an image cannot hold");
    }

    @Test
    void missingInputsAreNamed() {
        assertThatThrownBy(() -> new BundleBuilder().created(SampleBundle.CREATED)
                .file("/etc/x", dir.resolve("nope")).build(key, dir.resolve("x.nojit")))
                .hasMessageContaining("/etc/x:").hasMessageContaining("nope");
    }

    @Test
    void compatAndPolicyAreRecorded() throws Exception {
        Path out = dir.resolve("c.nojit");
        var r = SampleBundle.builder(inputs)
                .compat("/bin/hello", Compat.LENIENT_CALL_INDIRECT)
                .policy(Policy.defaults().with("onViolation", "kill-container").with("scripts", "manifest-only")
                        .withInterpreters(java.util.Map.of("/bin/cat", dev.nojit.bundle.manifest.InterpreterSpec.profile("bash").orElseThrow())))
                .build(key, out);
        try (VerifiedBundle b = BundleReader.open(out, key.getPublic())) {
            var hello = (ImageEntry.Executable) b.lookup("/bin/hello").orElseThrow();
            assertThat(hello.compat()).containsExactly(Compat.LENIENT_CALL_INDIRECT);
            assertThat(b.manifest().policy().onViolation()).isEqualTo("kill-container");
            assertThat(b.manifest().policy().scripts()).isEqualTo("manifest-only");
            assertThat(b.manifest().interpreterSpec(((ImageEntry.Executable) b.lookup("/bin/cat").orElseThrow()).sha256()))
                    .contains(dev.nojit.bundle.manifest.InterpreterSpec.profile("bash").orElseThrow());
            assertThat(b.manifest()).isEqualTo(r.manifest());
        }
        assertThatThrownBy(() -> SampleBundle.builder(inputs).policy(Policy.defaults().with("scripts", "manifest-only")).build(key, out))
                .hasMessage("scripts: manifest-only needs an interpreter spec for /bin/cat (named by script /opt/task.sh)");
        assertThatThrownBy(() -> SampleBundle.builder(inputs).compat("/etc/motd", Compat.LENIENT_CALL_INDIRECT).build(key, out))
                .hasMessage("--compat /etc/motd: not an executable of this bundle");
    }

    @Test
    void theOutputIsReplacedAtomicallyAndReadableByAll() throws Exception {
        Path out = dir.resolve("o.nojit");
        Files.writeString(out, "old");
        SampleBundle.builder(inputs).build(key, out);
        assertThat(Files.getPosixFilePermissions(out)).hasSize(4);
        BundleReader.open(out, key.getPublic()).close();
    }
}
