package dev.nojit.bundle.tar;

/**
 * One regular-file entry of a tar archive.
 *
 * @param name          the entry name as stored (already checked to be printable ASCII)
 * @param size          content length in bytes
 * @param contentOffset offset of the first content byte from the start of the archive
 * @param mtime         modification time, seconds since 1970 (one for the whole archive)
 */
public record TarEntry(String name, long size, long contentOffset, long mtime) {}
