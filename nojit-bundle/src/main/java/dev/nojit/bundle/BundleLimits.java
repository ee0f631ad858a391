package dev.nojit.bundle;

/**
 * Upper bounds on everything a bundle declares, checked before anything is allocated or
 * read. They keep a hostile bundle from exhausting the host: a reader holds at most one
 * envelope in memory and streams blobs.
 */
public final class BundleLimits {
    /** Largest signed envelope (manifest) entry. */
    public static final long MAX_ENVELOPE_BYTES = 64L << 20;
    /** Largest single blob: a file of the image or a pre-decoded module. */
    public static final long MAX_BLOB_BYTES = 1L << 30;
    /** Most entries (files, scripts, executables, directories) one manifest may list. */
    public static final int MAX_IMAGE_ENTRIES = 100_000;
    /** Most JSON nesting the manifest parser accepts. */
    public static final int MAX_JSON_DEPTH = 64;

    private BundleLimits() {}
}
