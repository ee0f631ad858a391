package dev.nojit.vkernel.fs;

/**
 * A file as the exec gate sees it: the SHA-256 of its whole content and its first bytes (for
 * {@code #!}), both of one version of the file.
 */
public record ExecContent(String sha256, byte[] head) {
    public boolean isScript() {
        return head.length >= 2 && head[0] == '#' && head[1] == '!';
    }
}
