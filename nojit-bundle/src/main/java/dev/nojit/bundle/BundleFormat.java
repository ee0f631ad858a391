package dev.nojit.bundle;

import java.util.regex.Pattern;

/**
 * The bundle file ({@code APP.nojit}, the megabinary) is a POSIX ustar archive, so that
 * {@code tar tvf APP.nojit} lists it and it can be written and checked as a stream. Its
 * entries, in this order and no others:
 *
 * <ol>
 *   <li>{@value #ENVELOPE}: the DSSE envelope (canonical JSON) whose payload is the
 *       manifest, an in-toto Statement (see {@code ManifestCodec}). It comes first so a
 *       reader knows every expected blob, with its size, before it reads any.</li>
 *   <li>{@code blobs/sha256/<hex>}, one per distinct content, in ascending order of hex:
 *       every file of the image stored once under the SHA-256 of its bytes, the pre-decoded
 *       form of every module, and each class of an executable in AOT mode ({@link AotClassBlob}).</li>
 *   <li>the end-of-archive marker (two zero blocks), and nothing after it.</li>
 * </ol>
 *
 * Every entry is a regular file, mode 0644, owner 0:0, modification time the manifest's
 * creation time; no compression (nothing to inflate, so no decompression bomb). Names are
 * matched exactly against this layout and never used as host paths.
 */
public final class BundleFormat {
    public static final String ENVELOPE = "manifest.dsse.json";
    public static final String BLOB_PREFIX = "blobs/sha256/";
    private static final Pattern BLOB_NAME = Pattern.compile("blobs/sha256/[0-9a-f]{64}");

    private BundleFormat() {}

    public static String blobName(String sha256) {
        return BLOB_PREFIX + sha256;
    }

    public static boolean isBlobName(String name) {
        return BLOB_NAME.matcher(name).matches();
    }
}
