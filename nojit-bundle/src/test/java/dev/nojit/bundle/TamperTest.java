package dev.nojit.bundle;

import dev.nojit.bundle.dsse.DsseSigner;
import dev.nojit.bundle.dsse.Envelope;
import dev.nojit.bundle.keys.Ed25519Keys;
import dev.nojit.bundle.testing.SampleBundle;
import dev.nojit.bundle.testing.TarSurgery;
import dev.nojit.bundle.testing.TarSurgery.Entry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every way of altering a signed bundle must fail verification with a message naming the problem. */
class TamperTest {
    @TempDir
    Path dir;
    SampleBundle sample;
    byte[] original;
    List<Entry> entries;

    @BeforeEach
    void build() throws Exception {
        sample = SampleBundle.create(dir);
        original = Files.readAllBytes(sample.bundle());
        entries = TarSurgery.read(original);
    }

    @Test
    void oneFlippedByteInAnyBlobIsCaught() throws Exception {
        assertThat(entries.size()).isGreaterThan(8);
        for (Entry blob : entries.subList(1, entries.size())) {
            if (blob.content().length == 0) continue;
            for (int at : new int[] {0, blob.content().length / 2, blob.content().length - 1}) {
                byte[] file = original.clone();
                file[(int) blob.offset() + at] ^= 0x01;
                String sha = blob.name().substring(BundleFormat.BLOB_PREFIX.length());
                assertRejected(file, "blob " + sha, "does not match its hash");
            }
        }
    }

    @Test
    void anyFlippedByteAnywhereIsCaught() throws Exception {
        // Every byte of a bundle is bound: content by hashes and signature, framing by the canonical tar form.
        int checked = 0;
        for (int at = 0; at < original.length; at += 37) {
            byte[] file = original.clone();
            file[at] ^= (byte) 0x80;
            Files.write(sample.bundle(), file);
            assertThatThrownBy(() -> open()).as("flip at offset %d", at).isInstanceOf(BundleException.class);
            checked++;
        }
        assertThat(checked).isGreaterThan(1000);
    }

    @Test
    void aFlippedByteInTheManifestPayloadBreaksTheSignature() throws Exception {
        Envelope env = envelope();
        byte[] payload = env.payload().clone();
        int at = indexOf(payload, "\"/etc/motd\"") + 3; // inside the path: still valid JSON
        payload[at] ^= 0x01;
        replaceEnvelope(new Envelope(env.payloadType(), payload, env.signatures()));
        assertRejected(fileBytes(), "signature does not verify");
    }

    @Test
    void aFlippedByteInTheSignatureIsCaught() throws Exception {
        Envelope env = envelope();
        byte[] sig = env.signatures().getFirst().sig().clone();
        sig[10] ^= 0x01;
        replaceEnvelope(new Envelope(env.payloadType(), env.payload(),
                List.of(new Envelope.Signature(env.signatures().getFirst().keyid(), sig))));
        assertRejected(fileBytes(), "signature does not verify");
    }

    @Test
    void aBlobAddedIsCaught() throws Exception {
        byte[] extra = "smuggled code".getBytes();
        List<Entry> changed = new ArrayList<>(entries);
        changed.add(new Entry(BundleFormat.blobName(Sha256.hex(extra)), extra));
        sortBlobs(changed);
        Files.write(sample.bundle(), TarSurgery.write(changed));
        assertRejected(fileBytes(), "blob " + Sha256.hex(extra), "is not listed in the signed manifest");
    }

    @Test
    void aBlobRemovedIsCaught() throws Exception {
        List<Entry> changed = new ArrayList<>(entries);
        Entry removed = changed.remove(3);
        Files.write(sample.bundle(), TarSurgery.write(changed));
        assertRejected(fileBytes(), "blob " + removed.name().substring(BundleFormat.BLOB_PREFIX.length()), "is missing");
    }

    @Test
    void aBlobSwappedForOtherContentUnderItsOwnHashIsCaught() throws Exception {
        byte[] other = "other content".getBytes();
        List<Entry> changed = new ArrayList<>(entries);
        changed.set(2, new Entry(BundleFormat.blobName(Sha256.hex(other)), other));
        sortBlobs(changed);
        Files.write(sample.bundle(), TarSurgery.write(changed));
        assertRejected(fileBytes(), "is not listed in the signed manifest");
    }

    @Test
    void theWrongPublicKeyIsRefused() throws Exception {
        var other = Ed25519Keys.generate();
        assertThatThrownBy(() -> BundleReader.open(sample.bundle(), other.getPublic()).close())
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("not signed by the given public key");
    }

    @Test
    void aSignatureByAnotherKeyUnderTheRightKeyidIsRefused() throws Exception {
        Envelope env = envelope();
        Envelope forged = DsseSigner.sign(env.payloadType(), env.payload(), Ed25519Keys.generate());
        replaceEnvelope(new Envelope(env.payloadType(), env.payload(),
                List.of(new Envelope.Signature(env.signatures().getFirst().keyid(), forged.signatures().getFirst().sig()))));
        assertRejected(fileBytes(), "signature does not verify");
    }

    @Test
    void aDifferentPayloadTypeIsRefusedEvenWhenProperlySigned() throws Exception {
        Envelope env = envelope();
        replaceEnvelope(DsseSigner.sign("application/json", env.payload(), sample.key()));
        assertRejected(fileBytes(), "payloadType 'application/json'");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100, 511, 512, 1024, 5000, 20000, -1025, -1024, -513, -512, -1})
    void aTruncatedFileIsRefused(int cut) throws Exception {
        int length = cut >= 0 ? cut : original.length + cut;
        byte[] file = java.util.Arrays.copyOf(original, length);
        Files.write(sample.bundle(), file);
        assertThatThrownBy(this::open).isInstanceOf(BundleException.class)
                .message().satisfiesAnyOf(
                        m -> assertThat(m).contains("truncated"),
                        m -> assertThat(m).contains("malformed archive"));
    }

    @Test
    void theUntouchedBundleStillVerifies() throws Exception {
        Files.write(sample.bundle(), TarSurgery.write(entries));
        assertThat(Files.readAllBytes(sample.bundle())).isEqualTo(original);
        open();
    }

    private void open() throws Exception {
        BundleReader.open(sample.bundle(), sample.key().getPublic()).close();
    }

    private void assertRejected(byte[] file, String... fragments) throws Exception {
        Files.write(sample.bundle(), file);
        var thrown = assertThatThrownBy(this::open).isInstanceOf(BundleException.class);
        for (String f : fragments) thrown.hasMessageContaining(f);
        thrown.message().doesNotContain("\n");
    }

    private Envelope envelope() throws Exception {
        return Envelope.parse(entries.getFirst().content());
    }

    private void replaceEnvelope(Envelope env) throws Exception {
        List<Entry> changed = new ArrayList<>(entries);
        changed.set(0, new Entry(BundleFormat.ENVELOPE, env.toJson()));
        Files.write(sample.bundle(), TarSurgery.write(changed));
    }

    private byte[] fileBytes() throws Exception {
        return Files.readAllBytes(sample.bundle());
    }

    private static void sortBlobs(List<Entry> list) {
        list.subList(1, list.size()).sort(Comparator.comparing(Entry::name));
    }

    private static int indexOf(byte[] hay, String needle) {
        return RoundTripTest.indexOf(hay, needle.getBytes());
    }
}
