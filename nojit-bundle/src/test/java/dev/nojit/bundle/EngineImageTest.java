package dev.nojit.bundle;

import dev.nojit.bundle.dsse.DsseSigner;
import dev.nojit.bundle.dsse.Envelope;
import dev.nojit.bundle.keys.Ed25519Keys;
import dev.nojit.bundle.manifest.ImageEntry;
import dev.nojit.bundle.manifest.ImageEntry.BlobRef;
import dev.nojit.bundle.manifest.ImageEntry.Directory;
import dev.nojit.bundle.manifest.ImageEntry.Executable;
import dev.nojit.bundle.manifest.ImageEntry.ModuleInfo;
import dev.nojit.bundle.manifest.Manifest;
import dev.nojit.bundle.manifest.ManifestCodec;
import dev.nojit.bundle.manifest.Policy;
import dev.nojit.bundle.manifest.PredecodedFormat;
import dev.nojit.bundle.testing.Guests;
import dev.nojit.bundle.testing.SampleBundle;
import dev.nojit.bundle.testing.TarSurgery;
import dev.nojit.bundle.testing.WasmBytes;
import dev.nojit.engine.EngineConfig;
import dev.nojit.engine.Imports;
import dev.nojit.engine.Instance;
import dev.nojit.engine.ModuleImage;
import dev.nojit.engine.Store;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bundle carries the engine's pre-decoded image of every executable: built from the
 * verified module, signed through the manifest, loaded back at run time and run.
 */
class EngineImageTest {
    static final String COMPUTE = "/bin/compute";

    @TempDir
    Path dir;
    KeyPair key = Ed25519Keys.generate();
    Path computeWasm;

    @BeforeEach
    void inputs() throws Exception {
        computeWasm = Guests.copy("compute.wasm", dir.resolve("in"));
    }

    @Test
    void anExecutableLoadedFromTheBundleRunsItsCode() throws Exception {
        Path out = dir.resolve("app.nojit");
        new BundleBuilder().created(SampleBundle.CREATED).executable(COMPUTE, computeWasm).build(key, out);
        try (VerifiedBundle b = BundleReader.open(out, key.getPublic())) {
            var x = (Executable) b.lookup(COMPUTE).orElseThrow();
            assertThat(x.module().personalities()).isEmpty();
            Instance instance = new Store(EngineConfig.defaults()).instantiate(b.loadImage(x), Imports.empty());

            for (int[] args : new int[][] {{0, 0}, {1, 0}, {1000, 3}, {65536, 250}, {70000, 9}}) {
                long crc = instance.invoke("crc32_of_pattern", args[0], args[1])[0];
                assertThat((int) crc).as("crc32_of_pattern(%d, %d)", args[0], args[1]).isEqualTo(crc32OfPattern(args[0], args[1]));
            }
            for (long n : new long[] {0, 1, 27, 97, 837_799, 8_400_511}) {
                assertThat(instance.invoke("collatz_steps", n)).as("collatz_steps(%d)", n).containsExactly(collatzSteps(n));
            }
        }
    }

    @Test
    void thePredecodedBlobIsTheEnginesImageOfTheVerifiedModule() throws Exception {
        Path out = dir.resolve("app.nojit");
        var r = new BundleBuilder().created(SampleBundle.CREATED).executable(COMPUTE, computeWasm).build(key, out);
        byte[] module = Files.readAllBytes(computeWasm);
        byte[] expected = ModuleImage.compile(module).serialize();
        var x = (Executable) r.manifest().lookup(COMPUTE).orElseThrow();
        assertThat(x.module().predecoded()).isEqualTo(new BlobRef(PredecodedFormat.NOJIT_IMAGE, Sha256.hex(expected), expected.length));
        assertThat(x.sha256()).isEqualTo(Sha256.hex(module));
        // Both the module (the signed subject) and its image are stored, each once.
        assertThat(r.manifest().blobs()).containsOnlyKeys(Sha256.hex(module), Sha256.hex(expected));
        try (VerifiedBundle b = BundleReader.open(out, key.getPublic())) {
            assertThat(b.readBlob(x.module().predecoded().sha256())).isEqualTo(expected);
        }
    }

    @Test
    void aModuleUsingSimdIsRefusedAtBuildTimeNamingTheFeature() throws Exception {
        Path simd = Files.write(dir.resolve("simd.wasm"), WasmBytes.usingSimd());
        Path out = dir.resolve("app.nojit");

        assertThatThrownBy(() -> new BundleBuilder().created(SampleBundle.CREATED)
                .executable(COMPUTE, computeWasm).executable("/bin/simd", simd).build(key, out))
                .isInstanceOf(BundleException.class)
                .hasMessageStartingWith("/bin/simd: ")
                .hasMessageContaining("SIMD")
                .message().doesNotContain("\n");
        assertThat(out).doesNotExist();
    }

    @Test
    void anImageRewrittenAfterVerificationIsNeverLoaded() throws Exception {
        SampleBundle s = SampleBundle.create(dir.resolve("sample"), key);
        try (VerifiedBundle b = BundleReader.open(s.bundle(), key.getPublic())) {
            var hello = (Executable) b.lookup("/bin/hello").orElseThrow();
            byte[] image = b.readBlob(hello.module().predecoded().sha256());
            byte[] file = Files.readAllBytes(s.bundle());
            int at = RoundTripTest.indexOf(file, image);
            assertThat(at).isPositive();
            file[at + image.length / 2] ^= 1;
            Files.write(s.bundle(), file); // same inode, rewritten in place
            assertThatThrownBy(() -> b.loadImage(hello))
                    .isInstanceOf(BundleException.class)
                    .hasMessageContaining("changed after it was verified");
        }
    }

    @Test
    void aSignedImageTheEngineCannotLoadIsRefusedNamingTheExecutable() throws Exception {
        byte[] module = Files.readAllBytes(computeWasm);
        byte[] image = ModuleImage.compile(module).serialize();
        // Properly signed, every hash right, but the image is cut short: a signer's or an engine's mistake.
        Path out = signedBundle(module, Arrays.copyOf(image, image.length / 2));
        try (VerifiedBundle b = BundleReader.open(out, key.getPublic())) {
            var x = (Executable) b.lookup(COMPUTE).orElseThrow();
            assertThatThrownBy(() -> b.loadImage(x))
                    .isInstanceOf(BundleException.class)
                    .hasMessageStartingWith(COMPUTE + ": the pre-decoded image (nojit-image-v1) cannot be loaded")
                    .message().doesNotContain("\n");
        }
    }

    @Test
    void onlyTheBundlesOwnExecutablesAreLoaded() throws Exception {
        Path out = dir.resolve("app.nojit");
        new BundleBuilder().created(SampleBundle.CREATED).executable(COMPUTE, computeWasm).build(key, out);
        try (VerifiedBundle b = BundleReader.open(out, key.getPublic())) {
            var x = (Executable) b.lookup(COMPUTE).orElseThrow();
            // An entry made by hand that points "its image" at the module's own blob.
            var forged = new Executable(x.path(), x.mode(), x.sha256(), x.size(),
                    new ModuleInfo(List.of(), new BlobRef(PredecodedFormat.NOJIT_IMAGE, x.sha256(), x.size())), List.of());
            assertThatThrownBy(() -> b.loadImage(forged))
                    .isInstanceOf(BundleException.class)
                    .hasMessageStartingWith(COMPUTE + ": not an executable of bundle");
        }
    }

    /** A bundle holding {@code module} as /bin/compute with {@code image} as its pre-decoded blob, signed with {@link #key}. */
    private Path signedBundle(byte[] module, byte[] image) throws Exception {
        String moduleSha = Sha256.hex(module), imageSha = Sha256.hex(image);
        Executable x = new Executable(COMPUTE, 0755, moduleSha, module.length,
                new ModuleInfo(List.of(), new BlobRef(PredecodedFormat.NOJIT_IMAGE, imageSha, image.length)), List.of());
        List<ImageEntry> entries = List.of(new Directory("/bin", 0755), x);
        Manifest m = Manifest.of(new Manifest.Builder("nojit", "test"), SampleBundle.CREATED, Policy.defaults(), entries);
        Envelope envelope = DsseSigner.sign(Envelope.IN_TOTO, ManifestCodec.encode(m), key);
        var blobs = new TreeMap<String, byte[]>();
        blobs.put(moduleSha, module);
        blobs.put(imageSha, image);
        List<TarSurgery.Entry> tar = new java.util.ArrayList<>();
        tar.add(new TarSurgery.Entry(BundleFormat.ENVELOPE, envelope.toJson()));
        blobs.forEach((sha, bytes) -> tar.add(new TarSurgery.Entry(BundleFormat.blobName(sha), bytes)));
        return Files.write(dir.resolve("handmade.nojit"), TarSurgery.write(tar));
    }

    /** The oracle for the fixture's crc32_of_pattern: zlib's CRC-32 of bytes (i * 7 + seed) & 0xff. */
    private static int crc32OfPattern(int length, int seed) {
        int n = Math.min(length, 65536);
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) bytes[i] = (byte) (i * 7 + seed);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    private static long collatzSteps(long n) {
        if (n <= 0) return 0;
        long steps = 0;
        for (long x = n; x != 1; steps++) x = (x & 1) != 0 ? 3 * x + 1 : x / 2;
        return steps;
    }
}
