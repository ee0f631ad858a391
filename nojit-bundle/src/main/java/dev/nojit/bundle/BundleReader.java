package dev.nojit.bundle;

import dev.nojit.bundle.dsse.DsseVerifier;
import dev.nojit.bundle.dsse.Envelope;
import dev.nojit.bundle.manifest.ImageEntry;
import dev.nojit.bundle.manifest.Manifest;
import dev.nojit.bundle.manifest.ManifestCodec;
import dev.nojit.bundle.tar.TarEntry;
import dev.nojit.bundle.tar.TarReader;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * Opens bundles. {@link #open} verifies in one streaming pass over the file: the envelope's
 * signature with the trusted key, the manifest, then every blob against the manifest
 * (listed, right size, right hash, each once, in order), and nothing missing; the whole-file
 * SHA-256 (the megabinary digest) is taken over the very bytes checked.
 */
public final class BundleReader {
    private static final int CHUNK = 1 << 16;

    private BundleReader() {}

    /** Opens and fully verifies a bundle; the result keeps the file open. */
    public static VerifiedBundle open(Path file, PublicKey trustedKey) throws BundleException, IOException {
        FileChannel channel = openChannel(file);
        boolean ok = false;
        try {
            VerifiedBundle bundle = verify(file, channel, trustedKey);
            ok = true;
            return bundle;
        } finally {
            if (!ok) channel.close();
        }
    }

    /** A manifest as read from a bundle, before and without any signature or blob check. */
    public record Unverified(Manifest manifest, byte[] payload, String manifestSha256, String payloadType, int signatures) {}

    /**
     * Reads only the envelope and decodes its manifest, checking neither the signature nor
     * the blobs: for showing what a bundle claims ({@code nojit inspect}).
     */
    public static Unverified readManifestUnverified(Path file) throws BundleException, IOException {
        try (FileChannel channel = openChannel(file)) {
            TarReader tar = new TarReader(Channels.newInputStream(channel), BundleLimits.MAX_BLOB_BYTES, channel.size());
            Envelope envelope = readEnvelope(tar).envelope();
            Manifest manifest = ManifestCodec.decode(envelope.payload());
            return new Unverified(manifest, envelope.payload(), Sha256.hex(envelope.payload()), envelope.payloadType(),
                    envelope.signatures().size());
        }
    }

    private static VerifiedBundle verify(Path file, FileChannel channel, PublicKey key) throws BundleException, IOException {
        try (ConcurrentDigestInput in = new ConcurrentDigestInput(Channels.newInputStream(channel), channel.size())) {
            return verify(file, channel, in, key);
        }
    }

    private static VerifiedBundle verify(Path file, FileChannel channel, ConcurrentDigestInput in, PublicKey key)
            throws BundleException, IOException {
        TarReader tar = new TarReader(in, BundleLimits.MAX_BLOB_BYTES, channel.size());

        SignedEntry first = readEnvelope(tar);
        byte[] payload = DsseVerifier.verify(first.envelope(), Envelope.IN_TOTO, key);
        String manifestSha = Sha256.hex(payload);
        Manifest manifest = ManifestCodec.decode(payload);
        if (first.entry().mtime() != manifest.created().getEpochSecond()) {
            throw new BundleException("archive time " + first.entry().mtime() + " differs from the manifest's creation time");
        }

        SortedMap<String, Long> expected = manifest.blobs();
        Map<String, String> owner = owners(manifest);
        Map<String, VerifiedBundle.BlobLocation> seen = new HashMap<>();
        byte[] buf = new byte[CHUNK];
        String previous = "";
        for (TarEntry e; (e = tar.next()) != null; ) {
            String name = e.name();
            if (!BundleFormat.isBlobName(name)) {
                throw new BundleException(name.equals(BundleFormat.ENVELOPE)
                        ? "duplicate entry '" + name + "'"
                        : "unexpected entry '" + name + "': a bundle holds only " + BundleFormat.ENVELOPE + " and blobs/sha256/<hash>");
            }
            if (name.compareTo(previous) <= 0) {
                throw new BundleException(name.equals(previous) ? "duplicate entry '" + name + "'" : "entry '" + name + "' is out of order");
            }
            previous = name;
            String sha = name.substring(BundleFormat.BLOB_PREFIX.length());
            Long size = expected.get(sha);
            if (size == null) throw new BundleException("blob " + sha + " is not listed in the signed manifest");
            if (size != e.size()) {
                throw new BundleException("blob " + sha + " (" + owner.get(sha) + ") has " + e.size() + " bytes; the manifest says " + size);
            }
            MessageDigest blob = Sha256.newDigest();
            for (int n; (n = tar.read(buf, 0, buf.length)) >= 0; ) blob.update(buf, 0, n);
            String actual = Sha256.toHex(blob.digest());
            if (!actual.equals(sha)) {
                throw new BundleException("blob " + sha + " (" + owner.get(sha) + ") does not match its hash: the content was altered");
            }
            seen.put(sha, new VerifiedBundle.BlobLocation(e.contentOffset(), e.size()));
        }
        for (String sha : expected.keySet()) {
            if (!seen.containsKey(sha)) throw new BundleException("blob " + sha + " (" + owner.get(sha) + ") is missing from the bundle");
        }
        return new VerifiedBundle(file, channel, Sha256.toHex(in.digest()), manifestSha, manifest, seen);
    }

    private record SignedEntry(TarEntry entry, Envelope envelope) {}

    private static SignedEntry readEnvelope(TarReader tar) throws BundleException, IOException {
        TarEntry first = tar.next();
        if (first == null) throw new BundleException("empty archive: no " + BundleFormat.ENVELOPE);
        if (!first.name().equals(BundleFormat.ENVELOPE)) {
            throw new BundleException("first entry is '" + first.name() + "', expected " + BundleFormat.ENVELOPE);
        }
        if (first.size() > BundleLimits.MAX_ENVELOPE_BYTES) {
            throw new BundleException(BundleFormat.ENVELOPE + " declares " + first.size() + " bytes, over the limit of " + BundleLimits.MAX_ENVELOPE_BYTES);
        }
        return new SignedEntry(first, Envelope.parse(tar.readAll()));
    }

    /** For messages: the first container path that uses each blob. */
    private static Map<String, String> owners(Manifest manifest) {
        Map<String, String> owner = new HashMap<>();
        for (ImageEntry e : manifest.entries()) {
            if (e instanceof ImageEntry.WithContent f) owner.putIfAbsent(f.sha256(), f.path());
            if (e instanceof ImageEntry.Executable x) owner.putIfAbsent(x.module().predecoded().sha256(), x.path() + ", pre-decoded");
        }
        return owner;
    }

    private static FileChannel openChannel(Path file) throws BundleException, IOException {
        if (java.nio.file.Files.isDirectory(file)) throw new BundleException(file + " is a directory, not a bundle");
        // Checked before opening too: opening a FIFO would block.
        if (java.nio.file.Files.exists(file) && !java.nio.file.Files.isRegularFile(file)) {
            throw new BundleException(file + " is not a regular file");
        }
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            if (!java.nio.file.Files.isRegularFile(file)) {
                ch.close();
                throw new BundleException(file + " is not a regular file");
            }
            return ch;
        } catch (NoSuchFileException e) {
            throw new BundleException("bundle not found: " + file);
        }
    }
}
