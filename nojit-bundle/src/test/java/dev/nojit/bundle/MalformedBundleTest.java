package dev.nojit.bundle;

import dev.nojit.bundle.dsse.DsseSigner;
import dev.nojit.bundle.dsse.Envelope;
import dev.nojit.bundle.keys.Ed25519Keys;
import dev.nojit.bundle.testing.SampleBundle;
import dev.nojit.bundle.testing.TarSurgery;
import dev.nojit.bundle.testing.TarSurgery.Entry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hostile or broken files: each is refused with one line naming the problem, never another exception. */
class MalformedBundleTest {
    static final KeyPair KEY = Ed25519Keys.generate();
    @TempDir
    static Path shared;
    static List<Entry> sampleEntries;
    @TempDir
    Path dir;

    @BeforeAll
    static void sample() throws Exception {
        SampleBundle s = SampleBundle.create(shared, KEY);
        sampleEntries = TarSurgery.read(Files.readAllBytes(s.bundle()));
    }

    @Test
    void notAnArchive() throws Exception {
        assertRefused("hello, I am a text file, not a bundle\n".repeat(40).getBytes(), "malformed archive");
    }

    @Test
    void anEmptyFile() throws Exception {
        assertRefused(new byte[0], "truncated");
    }

    @Test
    void aZipFile() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (var z = new java.util.zip.ZipOutputStream(zip)) {
            z.putNextEntry(new java.util.zip.ZipEntry(BundleFormat.ENVELOPE));
            z.write("{}".getBytes());
        }
        assertRefused(zip.toByteArray(), "malformed archive");
    }

    @Test
    void anEntryNamedDotDotSlashX() throws Exception {
        byte[] file = concat(TarSurgery.rawHeader("../x", '0', "00000000005\0"), pad("owned"), new byte[1024]);
        assertRefused(file, "first entry is '../x'");
        List<Entry> withTraversal = new ArrayList<>(sampleEntries);
        withTraversal.add(new Entry("../x", "owned".getBytes()));
        assertRefused(TarSurgery.write(withTraversal), "unexpected entry '../x'");
    }

    @Test
    void anAbsoluteOrNestedTraversalName() throws Exception {
        for (String name : List.of("/etc/passwd", "blobs/sha256/../../x", "blobs/sha256/" + "0".repeat(63))) {
            List<Entry> list = new ArrayList<>(sampleEntries);
            list.add(new Entry(name, new byte[1]));
            assertRefused(TarSurgery.write(list), "unexpected entry '" + name + "'");
        }
    }

    @Test
    void aHugeDeclaredSize() throws Exception {
        byte[] file = concat(TarSurgery.rawHeader(BundleFormat.ENVELOPE, '0', "77777777777\0"), new byte[4096]);
        assertRefused(file, "declares 8589934591 bytes, over the limit");
        byte[] envelopeOk = concat(TarSurgery.rawHeader(BundleFormat.ENVELOPE, '0', "00000100000\0"), new byte[4096]);
        assertRefused(envelopeOk, "truncated: entry 'manifest.dsse.json' declares 32768 bytes but the file ends");
    }

    @Test
    void duplicateEntries() throws Exception {
        List<Entry> dup = new ArrayList<>(sampleEntries);
        dup.add(2, sampleEntries.get(2));
        assertRefused(TarSurgery.write(dup), "duplicate entry '" + sampleEntries.get(2).name() + "'");
        List<Entry> dupEnvelope = new ArrayList<>(sampleEntries);
        dupEnvelope.add(1, sampleEntries.getFirst());
        assertRefused(TarSurgery.write(dupEnvelope), "duplicate entry 'manifest.dsse.json'");
    }

    @Test
    void blobsOutOfOrder() throws Exception {
        List<Entry> swapped = new ArrayList<>(sampleEntries);
        Entry a = swapped.get(1);
        swapped.set(1, swapped.get(2));
        swapped.set(2, a);
        assertRefused(TarSurgery.write(swapped), "out of order");
    }

    @Test
    void linksAndExtensionHeadersAreRefused() throws Exception {
        assertRefused(concat(TarSurgery.rawHeader("manifest.dsse.json", '2', "00000000000\0"), new byte[1024]), "symbolic link");
        assertRefused(concat(TarSurgery.rawHeader("manifest.dsse.json", '1', "00000000000\0"), new byte[1024]), "hard link");
        assertRefused(concat(TarSurgery.rawHeader("PaxHeader", 'x', "00000000000\0"), new byte[1024]), "pax extended header");
        assertRefused(concat(TarSurgery.rawHeader("dir", '5', "00000000000\0"), new byte[1024]), "directory");
    }

    @Test
    void dataAfterTheEndMarker() throws Exception {
        byte[] good = TarSurgery.write(sampleEntries);
        assertRefused(concat(good, "x".getBytes()), "data after the end-of-archive marker");
    }

    @Test
    void envelopeThatIsNotJson() throws Exception {
        assertRefused(withEnvelope("this is {not json".getBytes()), "signature envelope is not valid JSON");
        assertRefused(withEnvelope("{\"payload\":\"e30=\"}".getBytes()), "payloadType is missing");
        assertRefused(withEnvelope("{\"payload\":\"%%%\",\"payloadType\":\"x\",\"signatures\":[]}".getBytes()), "payload is not valid base64");
        assertRefused(withEnvelope("{\"payload\":\"e30=\",\"payloadType\":\"x\",\"payloadType\":\"y\",\"signatures\":[]}".getBytes()),
                "not valid JSON");
    }

    @Test
    void signedPayloadThatIsNotJson() throws Exception {
        Envelope env = DsseSigner.sign(Envelope.IN_TOTO, "{\"_type\": oops".getBytes(), KEY);
        assertRefused(withEnvelope(env.toJson()), "manifest is not valid JSON");
    }

    @Test
    void signedManifestWithTraversalPath() throws Exception {
        String payload = new String(Envelope.parse(sampleEntries.getFirst().content()).payload(), StandardCharsets.UTF_8)
                .replace("\"/etc/motd\"", "\"/etc/../motd\"");
        Envelope env = DsseSigner.sign(Envelope.IN_TOTO, payload.getBytes(StandardCharsets.UTF_8), KEY);
        assertRefused(withEnvelope(env.toJson()), "invalid container path '/etc/../motd'");
    }

    @Test
    void signedManifestThatIsNotCanonical() throws Exception {
        String payload = new String(Envelope.parse(sampleEntries.getFirst().content()).payload(), StandardCharsets.UTF_8);
        Envelope env = DsseSigner.sign(Envelope.IN_TOTO, (" " + payload).getBytes(StandardCharsets.UTF_8), KEY);
        assertRefused(withEnvelope(env.toJson()), "not in RFC 8785 canonical form");
    }

    @Test
    void notAFile() throws Exception {
        assertThatThrownBy(() -> BundleReader.open(dir, KEY.getPublic())).isInstanceOf(BundleException.class).hasMessageContaining("directory");
        assertThatThrownBy(() -> BundleReader.open(dir.resolve("missing.nojit"), KEY.getPublic()))
                .isInstanceOf(BundleException.class).hasMessageContaining("bundle not found");
    }

    private byte[] withEnvelope(byte[] envelopeJson) throws Exception {
        List<Entry> list = new ArrayList<>(sampleEntries);
        list.set(0, new Entry(BundleFormat.ENVELOPE, envelopeJson));
        return TarSurgery.write(list);
    }

    private void assertRefused(byte[] file, String fragment) throws Exception {
        Path p = dir.resolve("bad.nojit");
        Files.write(p, file);
        assertThatThrownBy(() -> BundleReader.open(p, KEY.getPublic()).close())
                .isInstanceOf(BundleException.class)
                .hasMessageContaining(fragment)
                .message().doesNotContain("\n");
    }

    private static byte[] pad(String s) {
        byte[] b = new byte[512];
        System.arraycopy(s.getBytes(), 0, b, 0, s.length());
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
