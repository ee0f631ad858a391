package dev.nojit.bundle;

import dev.nojit.bundle.manifest.ImageEntry;
import dev.nojit.bundle.manifest.Manifest;
import dev.nojit.engine.ModuleImage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * A bundle whose signature and every blob hash have been checked. This is the small API
 * the run time reads bundles through: the digests, the manifest, look up a path, read a
 * blob by hash, load an executable's engine image. It keeps the verified file open, so a
 * later rename over the path cannot swap the file; and every blob read is hashed again, so
 * the bytes returned are exactly bytes whose hash the signed manifest lists, even if the
 * file was rewritten in place.
 */
public final class VerifiedBundle implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final String megabinarySha256;
    private final String manifestSha256;
    private final Manifest manifest;
    private final Map<String, BlobLocation> blobs;

    /** Where a verified blob's content lies in the bundle file. */
    record BlobLocation(long offset, long size) {}

    VerifiedBundle(Path path, FileChannel channel, String megabinarySha256, String manifestSha256,
                   Manifest manifest, Map<String, BlobLocation> blobs) {
        this.path = path;
        this.channel = channel;
        this.megabinarySha256 = megabinarySha256;
        this.manifestSha256 = manifestSha256;
        this.manifest = manifest;
        this.blobs = Map.copyOf(blobs);
    }

    public Path path() {
        return path;
    }

    /** SHA-256 of the whole bundle file as verified. */
    public String megabinarySha256() {
        return megabinarySha256;
    }

    /** SHA-256 of the signed manifest payload. */
    public String manifestSha256() {
        return manifestSha256;
    }

    public Manifest manifest() {
        return manifest;
    }

    public Optional<ImageEntry> lookup(String containerPath) {
        return manifest.lookup(containerPath);
    }

    /** The bytes of a blob the manifest lists, checked against its hash as they are returned. */
    public byte[] readBlob(String sha256) throws BundleException, IOException {
        BlobLocation location = blobs.get(sha256);
        if (location == null) throw new BundleException("no blob " + sha256 + " in this bundle");
        byte[] bytes = new byte[Math.toIntExact(location.size())];
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        long pos = location.offset();
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) throw new BundleException("bundle " + path + " changed after it was verified: blob " + sha256 + " is cut short");
            pos += n;
        }
        MessageDigest sha = Sha256.newDigest();
        if (!Sha256.toHex(sha.digest(bytes)).equals(sha256)) {
            throw new BundleException("bundle " + path + " changed after it was verified: blob " + sha256 + " no longer matches its hash");
        }
        return bytes;
    }

    /**
     * The engine's image of an executable of this bundle: its pre-decoded blob, read through
     * {@link #readBlob} (so hash-checked as it is read) and deserialized. An image the engine
     * cannot load (one made by another engine version, say) is refused naming the executable.
     */
    public ModuleImage loadImage(ImageEntry.Executable executable) throws BundleException, IOException {
        // Only the signed entry itself: an entry made by hand could point at any blob, say a data file.
        if (!manifest.lookup(executable.path()).map(executable::equals).orElse(false)) {
            throw new BundleException(executable.path() + ": not an executable of bundle " + path);
        }
        return ModuleImages.load(executable.path(), readBlob(executable.module().predecoded().sha256()));
    }

    /**
     * The AOT classes of an executable of this bundle, entry class first: each blob read through
     * {@link #readBlob} (hash-checked as it is read) and decoded ({@link AotClassBlob#decode}, every length
     * checked); each must name this executable's module and the entry class must come first. Empty for an
     * interpreted executable.
     */
    public java.util.List<AotClassBlob.Decoded> loadAotClasses(ImageEntry.Executable executable) throws BundleException, IOException {
        if (!manifest.lookup(executable.path()).map(executable::equals).orElse(false)) {
            throw new BundleException(executable.path() + ": not an executable of bundle " + path);
        }
        var refs = executable.module().aotClasses();
        var classes = new java.util.ArrayList<AotClassBlob.Decoded>(refs.size());
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < refs.size(); i++) {
            String where = executable.path() + ", AOT class " + i + " (blob " + refs.get(i).sha256() + ")";
            AotClassBlob.Decoded d;
            try {
                d = AotClassBlob.decode(readBlob(refs.get(i).sha256()));
            } catch (BundleException e) {
                throw new BundleException(where + ": " + e.getMessage(), e);
            }
            if (!d.header().moduleSha256().equals(executable.sha256())) {
                throw new BundleException(where + " is a class of module " + d.header().moduleSha256() + ", not of " + executable.sha256());
            }
            if (d.header().isEntry() != (i == 0)) throw new BundleException(where + ": the entry class (_0) must come first, and only first");
            if (!names.add(d.header().className())) throw new BundleException(where + ": class " + d.header().className() + " is listed twice");
            classes.add(d);
        }
        for (AotClassBlob.Decoded d : classes) {
            for (String name : d.references()) {
                if (!names.contains(name)) {
                    throw new BundleException(executable.path() + ": AOT class " + d.header().className() + " names " + name + ", which is not one of its classes");
                }
            }
        }
        return classes;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
