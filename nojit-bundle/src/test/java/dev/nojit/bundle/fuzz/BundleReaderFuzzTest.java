package dev.nojit.bundle.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.BundleFormat;
import dev.nojit.bundle.BundleReader;
import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.dsse.DsseSigner;
import dev.nojit.bundle.dsse.Envelope;
import dev.nojit.bundle.manifest.ImageEntry;
import dev.nojit.bundle.manifest.Manifest;
import dev.nojit.bundle.manifest.ManifestCodec;
import dev.nojit.bundle.testing.SampleBundle;
import dev.nojit.bundle.testing.TarSurgery;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes {@link BundleReader}: whatever the file holds, opening it either succeeds or fails
 * with a {@link BundleException} (one non-empty line) or an {@link IOException}; never with any
 * other exception, a hang or running out of memory or stack.
 */
@ExtendWith(ReplayTimeout.class)
class BundleReaderFuzzTest {
    /** Bits of the first byte of a {@link #signedPayload} input: each one departs from a well-formed bundle. */
    static final int WRONG_MTIME = 1, UNSORTED_BLOBS = 2, DUPLICATE_BLOB = 4, SECOND_ENVELOPE = 8,
            WRONG_KEY = 16, WRONG_PAYLOAD_TYPE = 32, BAD_SIGNATURE = 64, FOREIGN_SIGNATURE_FIRST = 128;
    /** Departures after which the bundle must be refused whatever the payload says. */
    private static final int MUST_FAIL = WRONG_MTIME | SECOND_ENVELOPE | WRONG_KEY | WRONG_PAYLOAD_TYPE | BAD_SIGNATURE;
    private static final int MAX_BLOBS = 8;
    /** Largest modification time a ustar header holds (11 octal digits). */
    private static final long MAX_TAR_MTIME = 077777777777L;

    /**
     * The fuzz bytes are the bundle file. Beyond "refuse cleanly", a bundle that {@code open}
     * accepts must also be readable by {@code readUnverified} with the same manifest,
     * its whole-file digest must be that of the bytes, and every blob it lists must read back.
     */
    @FuzzTest(maxDuration = "2m")
    void arbitraryBytes(byte[] data) throws IOException {
        Path file = FuzzSupport.scratchDir().resolve("arbitrary.nojit");
        Files.write(file, data);

        VerifiedSummary verified = null;
        try (VerifiedBundle bundle = BundleReader.open(file, FuzzSupport.KEY.getPublic())) {
            verified = checkVerified(bundle, data);
        } catch (BundleException e) {
            FuzzSupport.checkRefusal(e);
        } catch (IOException e) {
            // allowed: the file system, not the content
        }

        try {
            BundleReader.Unverified u = BundleReader.readUnverified(file);
            if (verified != null) {
                if (!u.manifest().equals(verified.manifest()) || !u.manifestSha256().equals(verified.manifestSha256())) {
                    throw new AssertionError("readUnverified disagrees with open on the same file");
                }
                if (!Envelope.IN_TOTO.equals(u.payloadType()) || u.signatures() < 1) {
                    throw new AssertionError("verified bundle reads back with payloadType " + u.payloadType() + " and " + u.signatures() + " signatures");
                }
            }
        } catch (BundleException e) {
            FuzzSupport.checkRefusal(e);
            if (verified != null) throw new AssertionError("open accepted the file but readUnverified refused it: " + e.getMessage(), e);
        } catch (IOException e) {
            // allowed
        }
    }

    /**
     * The fuzz bytes are a manifest payload and blob contents; the target signs the payload with
     * the trusted key and writes a well-formed archive around it, so the manifest decoder and the
     * blob checks behind the signature get fuzzed, not only the framing.
     *
     * <p>Input layout: byte 0 holds flags (the constants above; 0 means "build it honestly"); the
     * rest is split at NUL bytes: the first part is the payload (canonical JSON holds no raw NUL),
     * each further part (at most {@value #MAX_BLOBS}) is a blob stored under its own SHA-256.
     */
    @ManifestDictionary
    @FuzzTest(maxDuration = "2m")
    void signedPayload(byte[] data) throws IOException {
        if (data.length == 0) return;
        int flags = data[0] & 0xff;
        List<byte[]> parts = splitAtNul(data, 1, 1 + MAX_BLOBS);
        byte[] payload = parts.getFirst();
        List<byte[]> blobs = parts.subList(1, parts.size());

        Manifest decoded = null;
        try {
            decoded = ManifestCodec.decode(payload);
        } catch (BundleException e) {
            FuzzSupport.checkRefusal(e);
        }
        long mtime = SampleBundle.CREATED.getEpochSecond();
        if (decoded != null) {
            long created = decoded.created().getEpochSecond();
            if (created >= 0 && created <= MAX_TAR_MTIME) mtime = created;
        }
        if ((flags & WRONG_MTIME) != 0) mtime = mtime == MAX_TAR_MTIME ? mtime - 1 : mtime + 1;

        String type = (flags & WRONG_PAYLOAD_TYPE) != 0 ? "application/json" : Envelope.IN_TOTO;
        Envelope signed = DsseSigner.sign(type, payload, (flags & WRONG_KEY) != 0 ? FuzzSupport.OTHER_KEY : FuzzSupport.KEY);
        List<Envelope.Signature> signatures = new ArrayList<>(signed.signatures());
        if ((flags & BAD_SIGNATURE) != 0) {
            Envelope.Signature s = signatures.getFirst();
            byte[] sig = s.sig().clone();
            sig[0] ^= 1;
            signatures.set(0, new Envelope.Signature(s.keyid(), sig));
        }
        if ((flags & FOREIGN_SIGNATURE_FIRST) != 0) {
            signatures.addFirst(DsseSigner.sign(type, payload, FuzzSupport.OTHER_KEY).signatures().getFirst());
        }
        byte[] envelope = new Envelope(type, payload, signatures).toJson();

        List<TarSurgery.Entry> blobEntries = new ArrayList<>();
        Map<String, byte[]> contentByHash = new HashMap<>();
        for (byte[] blob : blobs) {
            String sha = Sha256.hex(blob);
            contentByHash.put(sha, blob);
            blobEntries.add(new TarSurgery.Entry(BundleFormat.blobName(sha), blob));
        }
        if ((flags & UNSORTED_BLOBS) == 0) blobEntries.sort(Comparator.comparing(TarSurgery.Entry::name));
        if ((flags & DUPLICATE_BLOB) != 0 && !blobEntries.isEmpty()) blobEntries.add(1, blobEntries.getFirst());
        List<TarSurgery.Entry> entries = new ArrayList<>();
        entries.add(new TarSurgery.Entry(BundleFormat.ENVELOPE, envelope));
        entries.addAll(blobEntries);
        if ((flags & SECOND_ENVELOPE) != 0) entries.add(new TarSurgery.Entry(BundleFormat.ENVELOPE, envelope));
        byte[] archive = TarSurgery.write(entries, mtime);

        Path file = FuzzSupport.scratchDir().resolve("signed.nojit");
        Files.write(file, archive);
        boolean mustFail = (flags & MUST_FAIL) != 0 || ((flags & DUPLICATE_BLOB) != 0 && !blobs.isEmpty());
        boolean opened = false;
        try (VerifiedBundle bundle = BundleReader.open(file, FuzzSupport.KEY.getPublic())) {
            if (mustFail) throw new AssertionError("accepted a bundle that must be refused (flags 0x" + Integer.toHexString(flags) + ")");
            if (decoded == null) throw new AssertionError("accepted a bundle whose payload ManifestCodec.decode refuses");
            if (!bundle.manifest().equals(decoded)) throw new AssertionError("verified manifest differs from the decoded payload");
            if (!bundle.manifestSha256().equals(Sha256.hex(payload))) throw new AssertionError("manifestSha256 is not the payload's SHA-256");
            VerifiedSummary summary = checkVerified(bundle, archive);
            for (Map.Entry<String, Long> listed : summary.manifest().blobs().entrySet()) {
                byte[] given = contentByHash.get(listed.getKey());
                if (given == null) throw new AssertionError("accepted a bundle missing blob " + listed.getKey());
            }
            for (String sha : contentByHash.keySet()) {
                if (!summary.manifest().blobs().containsKey(sha)) throw new AssertionError("accepted a bundle with unlisted blob " + sha);
            }
            opened = true;
        } catch (BundleException e) {
            FuzzSupport.checkRefusal(e);
        } catch (IOException e) {
            // allowed
        }

        try {
            BundleReader.Unverified u = BundleReader.readUnverified(file);
            if (!Arrays.equals(u.payload(), payload)) throw new AssertionError("readUnverified returned another payload");
            if (decoded == null) throw new AssertionError("readUnverified decoded a payload ManifestCodec.decode refuses");
            if (!u.manifest().equals(decoded)) throw new AssertionError("readUnverified decoded another manifest");
            // Only the signature separates the two readings.
            boolean signatureBroken = (flags & (WRONG_KEY | BAD_SIGNATURE)) != 0;
            if (!opened && !signatureBroken) throw new AssertionError("readUnverified accepted what open refused with a good signature");
        } catch (BundleException e) {
            FuzzSupport.checkRefusal(e);
            if (opened) throw new AssertionError("open accepted the file but readUnverified refused it: " + e.getMessage(), e);
        } catch (IOException e) {
            // allowed
        }
    }

    private record VerifiedSummary(Manifest manifest, String manifestSha256) {}

    /** What must hold of any bundle {@code open} accepted; throws AssertionError otherwise. */
    private static VerifiedSummary checkVerified(VerifiedBundle bundle, byte[] file) throws IOException {
        if (!bundle.megabinarySha256().equals(Sha256.hex(file))) {
            throw new AssertionError("megabinarySha256 is not the SHA-256 of the file");
        }
        Manifest m = bundle.manifest();
        for (ImageEntry e : m.entries()) {
            if (!bundle.lookup(e.path()).map(e::equals).orElse(false)) throw new AssertionError("lookup misses listed entry " + e.path());
        }
        for (Map.Entry<String, Long> blob : m.blobs().entrySet()) {
            byte[] bytes;
            try {
                bytes = bundle.readBlob(blob.getKey());
            } catch (BundleException e) {
                throw new AssertionError("verified blob " + blob.getKey() + " does not read back: " + e.getMessage(), e);
            }
            if (bytes.length != blob.getValue() || !Sha256.hex(bytes).equals(blob.getKey())) {
                throw new AssertionError("blob " + blob.getKey() + " reads back wrong");
            }
        }
        return new VerifiedSummary(m, bundle.manifestSha256());
    }

    /** Splits {@code data[from..]} at NUL bytes into at most {@code max} parts (the last takes the rest). */
    static List<byte[]> splitAtNul(byte[] data, int from, int max) {
        List<byte[]> parts = new ArrayList<>();
        int start = from;
        for (int i = from; i < data.length && parts.size() < max - 1; i++) {
            if (data[i] == 0) {
                parts.add(Arrays.copyOfRange(data, start, i));
                start = i + 1;
            }
        }
        parts.add(Arrays.copyOfRange(data, start, data.length));
        return parts;
    }
}
