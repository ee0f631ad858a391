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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
            Checked c = check(channel, java.util.Objects.requireNonNull(trustedKey, "trusted key"));
            VerifiedBundle bundle = new VerifiedBundle(file, channel, c.megabinarySha256(), Sha256.hex(c.envelope().payload()),
                    c.manifest(), c.blobs());
            ok = true;
            return bundle;
        } finally {
            if (!ok) channel.close();
        }
    }

    /**
     * Opens a bundle that a trusted process has already opened with {@link #open} — the vkernel
     * reopening what nojit's shim verified — without hashing it again. Checked here: the archive's
     * structure, the envelope's signature with {@code trustedKey}, the manifest, that its digest is
     * {@code manifestSha256} (the shim's), and every blob's name, order, listing and size. Not
     * checked: the blobs' hashes and the whole file's: every {@link VerifiedBundle#readBlob} hashes
     * the bytes it returns against the signed manifest, so no unverified byte is ever used, and the
     * megabinary digest is the one the shim took ({@code megabinarySha256}). Hashing a large bundle
     * again costs the vkernel a second pass over it — over ten seconds for 19 MB without a JIT.
     */
    public static VerifiedBundle reopen(Path file, PublicKey trustedKey, String manifestSha256, String megabinarySha256)
            throws BundleException, IOException {
        if (!Sha256.isHex(megabinarySha256)) throw new IllegalArgumentException("megabinary digest " + megabinarySha256);
        FileChannel channel = openChannel(file);
        boolean ok = false;
        try {
            Checked c = check(channel, new java.io.BufferedInputStream(Channels.newInputStream(channel), CHUNK),
                    java.util.Objects.requireNonNull(trustedKey, "trusted key"), false);
            String manifest = Sha256.hex(c.envelope().payload());
            if (!manifest.equals(manifestSha256)) {
                throw new BundleException("bundle " + file + " changed after it was verified: its manifest is " + manifest + ", not " + manifestSha256);
            }
            VerifiedBundle bundle = new VerifiedBundle(file, channel, megabinarySha256, manifest, c.manifest(), c.blobs());
            ok = true;
            return bundle;
        } finally {
            if (!ok) channel.close();
        }
    }

    /**
     * A bundle whose every check but the signature passed: what it claims, for showing
     * ({@code nojit inspect}). Nothing in it is trusted.
     */
    public record Unverified(Manifest manifest, byte[] payload, String manifestSha256, String megabinarySha256,
                             String payloadType, int signatures) {}

    /**
     * Reads a bundle with every check of {@link #open} except the signature: the archive,
     * the manifest and every blob hash. Shows what a bundle claims without a key.
     */
    public static Unverified readUnverified(Path file) throws BundleException, IOException {
        try (FileChannel channel = openChannel(file)) {
            Checked c = check(channel, null);
            byte[] payload = c.envelope().payload();
            return new Unverified(c.manifest(), payload, Sha256.hex(payload), c.megabinarySha256(),
                    c.envelope().payloadType(), c.envelope().signatures().size());
        }
    }

    /** What one pass over a bundle found. */
    private record Checked(Envelope envelope, Manifest manifest, String megabinarySha256,
                           Map<String, VerifiedBundle.BlobLocation> blobs) {}

    /** One pass over the file; the signature is checked only when a key is given. */
    private static Checked check(FileChannel channel, PublicKey key) throws BundleException, IOException {
        try (ConcurrentDigestInput in = new ConcurrentDigestInput(Channels.newInputStream(channel), channel.size())) {
            Checked c = check(channel, in, key, true);
            return new Checked(c.envelope(), c.manifest(), Sha256.toHex(in.digest()), c.blobs());
        }
    }

    /** The pass itself; {@code hashBlobs} false only for {@link #reopen}. The megabinary digest is left to the caller. */
    private static Checked check(FileChannel channel, java.io.InputStream in, PublicKey key, boolean hashBlobs)
            throws BundleException, IOException {
        TarReader tar = new TarReader(in, BundleLimits.MAX_BLOB_BYTES, channel.size());

        SignedEntry first = readEnvelope(tar);
        DsseVerifier.requirePayloadType(first.envelope(), Envelope.IN_TOTO);
        byte[] payload = key == null ? first.envelope().payload() : DsseVerifier.verify(first.envelope(), Envelope.IN_TOTO, key);
        Manifest manifest = ManifestCodec.decode(payload);
        if (first.entry().mtime() != manifest.created().getEpochSecond()) {
            throw new BundleException("archive time " + first.entry().mtime() + " differs from the manifest's creation time");
        }

        SortedMap<String, Long> expected = manifest.blobs();
        Map<String, String> owner = owners(manifest);
        Map<String, List<AotListing>> aotClasses = aotListings(manifest);
        Map<String, java.util.Set<String>> aotNames = new HashMap<>(), aotReferences = new HashMap<>();
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
            List<AotListing> listings = aotClasses.get(sha);
            // An AOT class blob is read whole when hashed (the manifest bounds its size): its class file is checked
            // too ({@link AotClassLinks}); without hashing, its header only (the vkernel decodes it whole when defining).
            byte[] head = listings == null ? null : new byte[(int) (hashBlobs ? e.size() : Math.min(e.size(), AotClassBlob.MAX_HEADER))];
            int headRead = 0;
            if (hashBlobs) {
                MessageDigest blob = Sha256.newDigest();
                for (int n; (n = tar.read(buf, 0, buf.length)) >= 0; ) {
                    blob.update(buf, 0, n);
                    if (head != null && headRead < head.length) {
                        int k = Math.min(n, head.length - headRead);
                        System.arraycopy(buf, 0, head, headRead, k);
                        headRead += k;
                    }
                }
                String actual = Sha256.toHex(blob.digest());
                if (!actual.equals(sha)) {
                    throw new BundleException("blob " + sha + " (" + owner.get(sha) + ") does not match its hash: the content was altered");
                }
            } else if (head != null) {
                for (int n; headRead < head.length && (n = tar.read(head, headRead, head.length - headRead)) >= 0; ) headRead += n;
            }
            if (head != null) checkAotHeader(sha, head, hashBlobs, listings, aotNames, aotReferences);
            seen.put(sha, new VerifiedBundle.BlobLocation(e.contentOffset(), e.size()));
        }
        for (String sha : expected.keySet()) {
            if (!seen.containsKey(sha)) throw new BundleException("blob " + sha + " (" + owner.get(sha) + ") is missing from the bundle");
        }
        for (Map.Entry<String, java.util.Set<String>> r : aotReferences.entrySet()) {
            for (String name : r.getValue()) {
                if (!aotNames.get(r.getKey()).contains(name)) {
                    throw new BundleException(r.getKey() + ": its AOT classes name " + name + ", which is not one of them");
                }
            }
        }
        return new Checked(first.envelope(), manifest, null, seen);
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

    /** Where the manifest lists an AOT class blob: for the executable at {@code path} (module {@code moduleSha256}), as class {@code index}. */
    private record AotListing(String path, String moduleSha256, int index) {}

    private static Map<String, List<AotListing>> aotListings(Manifest manifest) {
        Map<String, List<AotListing>> listings = new HashMap<>();
        for (ImageEntry.Executable x : manifest.aotExecutables()) {
            List<ImageEntry.BlobRef> classes = x.module().aotClasses();
            for (int i = 0; i < classes.size(); i++) {
                listings.computeIfAbsent(classes.get(i).sha256(), k -> new ArrayList<>()).add(new AotListing(x.path(), x.sha256(), i));
            }
        }
        return listings;
    }

    /**
     * An AOT class blob belongs to the module it is listed for: its header (part of its hashed, signed content)
     * names that module's SHA-256; the entry class comes first and only first; no two of its classes have one name;
 * when the blob was read whole ({@link #open}), its class file links only against what {@link AotClassLinks}
 * allows, and (checked at the end) the generated classes it names are classes of the same executable. (Hashed in this same pass, or
     * with {@link #reopen} hashed again whenever it is read, so the header checked here is the one defined.)
     */
    private static void checkAotHeader(String sha, byte[] head, boolean whole, List<AotListing> listings,
                                       Map<String, java.util.Set<String>> names, Map<String, java.util.Set<String>> references)
            throws BundleException {
        AotClassBlob.Header h;
        java.util.Set<String> named = java.util.Set.of();
        try {
            if (whole) {
                AotClassBlob.Decoded d = AotClassBlob.decode(head);
                h = d.header();
                named = d.references();
            } else {
                h = AotClassBlob.header(head);
            }
        } catch (BundleException e) {
            AotListing l = listings.getFirst();
            throw new BundleException("blob " + sha + " (" + l.path() + ", AOT class " + l.index() + "): " + e.getMessage());
        }
        for (AotListing l : listings) {
            if (!h.moduleSha256().equals(l.moduleSha256())) {
                throw new BundleException("blob " + sha + " (" + l.path() + ", AOT class " + l.index() + ") is a class of module "
                        + h.moduleSha256() + ", not of " + l.path() + " (" + l.moduleSha256() + ")");
            }
            if (h.isEntry() != (l.index() == 0)) {
                throw new BundleException("blob " + sha + " (" + l.path() + ", AOT class " + l.index() + ") holds " + h.className()
                        + (l.index() == 0 ? ", not the entry class (_0), which must come first" : ", a second entry class"));
            }
            references.computeIfAbsent(l.path(), k -> new java.util.HashSet<>()).addAll(named);
            if (!names.computeIfAbsent(l.path(), k -> new java.util.HashSet<>()).add(h.className())) {
                throw new BundleException("blob " + sha + " (" + l.path() + ", AOT class " + l.index() + ") holds " + h.className()
                        + ", which another class blob of " + l.path() + " holds too");
            }
        }
    }

    /** For messages: the first container path that uses each blob. */
    private static Map<String, String> owners(Manifest manifest) {
        Map<String, String> owner = new HashMap<>();
        for (ImageEntry e : manifest.entries()) {
            if (e instanceof ImageEntry.WithContent f) owner.putIfAbsent(f.sha256(), f.path());
            if (e instanceof ImageEntry.Executable x) {
                owner.putIfAbsent(x.module().predecoded().sha256(), x.path() + ", pre-decoded");
                List<ImageEntry.BlobRef> classes = x.module().aotClasses();
                for (int i = 0; i < classes.size(); i++) owner.putIfAbsent(classes.get(i).sha256(), x.path() + ", AOT class " + i);
            }
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
