package dev.nojit.bundle;

import dev.nojit.bundle.manifest.ImageEntry;
import dev.nojit.bundle.manifest.Manifest;
import dev.nojit.bundle.manifest.PredecodedFormat;
import dev.nojit.bundle.testing.Guests;
import dev.nojit.bundle.testing.SampleBundle;
import dev.nojit.engine.ModuleImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RoundTripTest {
    @TempDir
    Path dir;

    @Test
    void buildThenVerifyListsEveryFileWithItsHash() throws Exception {
        SampleBundle s = SampleBundle.create(dir);
        try (VerifiedBundle b = BundleReader.open(s.bundle(), s.key().getPublic())) {
            Manifest m = b.manifest();
            assertThat(b.megabinarySha256()).isEqualTo(Sha256.hex(Files.readAllBytes(s.bundle())));
            assertThat(b.megabinarySha256()).isEqualTo(s.result().megabinarySha256());
            assertThat(b.manifestSha256()).isEqualTo(s.result().manifestSha256());

            assertExecutable(b, "/bin/hello", "hello.wasm", List.of("wasi_snapshot_preview1"));
            assertExecutable(b, "/bin/cat", "cat.wasm", List.of("wasi_snapshot_preview1"));
            assertExecutable(b, "/usr/bin/wc", "wc.wasm", List.of("wasi_snapshot_preview1"));
            assertExecutable(b, "/bin/wali-hello", "wali-hello.wasm", List.of("wali"));

            var script = (ImageEntry.Script) b.lookup("/opt/task.sh").orElseThrow();
            assertThat(script.interpreter()).isEqualTo("/bin/cat");
            assertThat(script.mode()).isEqualTo(0755);
            assertThat(new String(b.readBlob(script.sha256()))).isEqualTo(SampleBundle.SCRIPT);

            assertData(b, "/etc/motd", s.inputs().resolve("motd"), 0644);
            assertData(b, "/etc/empty", s.inputs().resolve("empty"), 0644);
            assertData(b, "/srv/tree/a.txt", s.inputs().resolve("tree/a.txt"), 0644);
            assertData(b, "/srv/tree/sub/b.txt", s.inputs().resolve("tree/sub/b.txt"), 0644);
            for (String d : List.of("/bin", "/etc", "/opt", "/srv", "/srv/tree", "/srv/tree/sub", "/usr", "/usr/bin")) {
                assertThat(b.lookup(d)).get().isInstanceOf(ImageEntry.Directory.class);
            }
            assertThat(m.entries()).extracting(ImageEntry::path).isSorted().doesNotHaveDuplicates();
            assertThat(m.policy().exec()).isEqualTo("manifest-only");
            assertThat(m.policy().scripts()).isEqualTo("via-interpreter");
            assertThat(m.created()).isEqualTo(SampleBundle.CREATED);
        }
    }

    @Test
    void identicalContentIsStoredOnce() throws Exception {
        SampleBundle s = SampleBundle.create(dir);
        try (VerifiedBundle b = BundleReader.open(s.bundle(), s.key().getPublic())) {
            var motd = (ImageEntry.DataFile) b.lookup("/etc/motd").orElseThrow();
            var copy = (ImageEntry.DataFile) b.lookup("/srv/tree/motd-copy").orElseThrow();
            assertThat(copy.sha256()).isEqualTo(motd.sha256());
            var withContent = b.manifest().entries().stream()
                    .filter(e -> e instanceof ImageEntry.WithContent).map(e -> (ImageEntry.WithContent) e).toList();
            long contents = withContent.stream().map(ImageEntry.WithContent::sha256).distinct().count();
            long images = withContent.stream().filter(e -> e instanceof ImageEntry.Executable)
                    .map(e -> ((ImageEntry.Executable) e).module().predecoded().sha256()).distinct().count();
            assertThat(contents).isLessThan(withContent.size());
            // Blobs: each distinct file content once, plus each executable's pre-decoded image.
            assertThat((long) b.manifest().blobs().size()).isEqualTo(contents + images);
            // Bundle entries: the envelope plus one per distinct blob.
            List<String> names = dev.nojit.bundle.testing.TarSurgery.read(Files.readAllBytes(s.bundle())).stream()
                    .map(dev.nojit.bundle.testing.TarSurgery.Entry::name).toList();
            assertThat(names).hasSize(1 + b.manifest().blobs().size()).doesNotHaveDuplicates();
            assertThat(names.getFirst()).isEqualTo(BundleFormat.ENVELOPE);
        }
    }

    @Test
    void unverifiedReadShowsTheSameManifest() throws Exception {
        SampleBundle s = SampleBundle.create(dir);
        var u = BundleReader.readUnverified(s.bundle());
        assertThat(u.manifestSha256()).isEqualTo(s.result().manifestSha256());
        assertThat(u.manifest()).isEqualTo(s.result().manifest());
    }

    @Test
    void aBlobRewrittenAfterVerificationIsNeverReturned() throws Exception {
        SampleBundle s = SampleBundle.create(dir);
        try (VerifiedBundle b = BundleReader.open(s.bundle(), s.key().getPublic())) {
            var hello = (ImageEntry.Executable) b.lookup("/bin/hello").orElseThrow();
            byte[] file = Files.readAllBytes(s.bundle());
            byte[] module = Guests.bytes("hello.wasm");
            int at = indexOf(file, module);
            assertThat(at).isPositive();
            file[at + module.length / 2] ^= 1;
            Files.write(s.bundle(), file); // same inode, rewritten in place
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.readBlob(hello.sha256()))
                    .isInstanceOf(BundleException.class)
                    .hasMessageContaining("changed after it was verified");
        }
    }

    private static void assertExecutable(VerifiedBundle b, String path, String guest, List<String> personalities) throws Exception {
        var x = (ImageEntry.Executable) b.lookup(path).orElseThrow();
        byte[] module = Guests.bytes(guest);
        assertThat(x.sha256()).isEqualTo(Sha256.hex(module));
        assertThat(x.size()).isEqualTo(module.length);
        assertThat(x.mode()).isEqualTo(0755);
        assertThat(x.module().personalities()).isEqualTo(personalities);
        assertThat(b.readBlob(x.sha256())).isEqualTo(module);
        // The executable's own bytes and, beside them, the engine's image made from them.
        var predecoded = x.module().predecoded();
        assertThat(predecoded.format()).isEqualTo(PredecodedFormat.NOJIT_IMAGE).isEqualTo("nojit-image-v1");
        assertThat(predecoded.sha256()).isNotEqualTo(x.sha256());
        byte[] image = b.readBlob(predecoded.sha256());
        assertThat(image).hasSize(Math.toIntExact(predecoded.size())).isEqualTo(ModuleImage.compile(module).serialize());
        assertThat(b.loadImage(x).exports()).isEqualTo(ModuleImage.compile(module).exports());
    }

    private static void assertData(VerifiedBundle b, String path, Path source, int mode) throws Exception {
        var f = (ImageEntry.DataFile) b.lookup(path).orElseThrow();
        byte[] content = Files.readAllBytes(source);
        assertThat(f.sha256()).isEqualTo(Sha256.hex(content));
        assertThat(f.mode()).isEqualTo(mode);
        assertThat(b.readBlob(f.sha256())).isEqualTo(content);
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
