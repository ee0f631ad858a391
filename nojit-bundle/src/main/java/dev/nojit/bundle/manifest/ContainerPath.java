package dev.nojit.bundle.manifest;

import dev.nojit.bundle.BundleException;

import java.nio.charset.StandardCharsets;

/**
 * Paths inside the container image. A valid path is absolute and already normal: it starts
 * with '/', has no empty, "." or ".." component, no trailing '/', no NUL or other control
 * character, at most 255 bytes a component and 4095 bytes in all (Linux's NAME_MAX and
 * PATH_MAX). The root itself, "/", is always a directory and never listed.
 */
public final class ContainerPath {
    public static final int PATH_MAX = 4095;
    public static final int NAME_MAX = 255;

    private ContainerPath() {}

    /** Returns {@code path} if valid, else throws naming what is wrong. */
    public static String check(String path) throws BundleException {
        String problem = problem(path);
        if (problem != null) throw new BundleException("invalid container path '" + printable(path) + "': " + problem);
        return path;
    }

    public static boolean isValid(String path) {
        return problem(path) == null;
    }

    /** The parent directory of a valid path ("/" for a top-level entry). */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    private static String problem(String path) {
        if (path == null || path.isEmpty()) return "empty";
        if (path.charAt(0) != '/') return "not absolute";
        if (path.length() == 1) return "the root cannot be an entry";
        if (path.getBytes(StandardCharsets.UTF_8).length > PATH_MAX) return "longer than " + PATH_MAX + " bytes";
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) return "contains a control character";
            if (Character.isSurrogate(c)) {
                boolean pair = Character.isHighSurrogate(c) && i + 1 < path.length() && Character.isLowSurrogate(path.charAt(i + 1));
                if (!pair) return "contains an unpaired surrogate";
                i++;
            }
        }
        for (String part : path.substring(1).split("/", -1)) {
            if (part.isEmpty()) return "empty component";
            if (part.equals(".") || part.equals("..")) return "'" + part + "' component";
            if (part.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) return "a component longer than " + NAME_MAX + " bytes";
        }
        return null;
    }

    /** For messages: control characters shown escaped, long paths shortened. */
    static String printable(String path) {
        if (path == null) return "null";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < path.length() && sb.length() < 120; i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c));
            else sb.append(c);
        }
        if (sb.length() >= 120) sb.append("...");
        return sb.toString();
    }
}
