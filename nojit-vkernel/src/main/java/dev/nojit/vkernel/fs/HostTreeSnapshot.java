package dev.nojit.vkernel.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the host sees of a directory tree — every entry's type, mode, size, link count,
 * modification and change times, content hash or link target, and every directory's names —
 * taken from outside a container to prove it changed nothing beside a mount (issue 15's canary
 * tree: {@code nojit simulate}'s mount-swap rows and the tests). The change time catches any
 * chmod, utimes, link or write; links are never followed.
 */
public record HostTreeSnapshot(Map<String, String> entries) {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    /** The tree under {@code root}, leaving out the top-level names in {@code skip} (the mount itself). */
    public static HostTreeSnapshot of(Path root, Set<String> skip) {
        Map<String, String> out = new TreeMap<>();
        try {
            add(root, root, skip, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HostTreeSnapshot(out);
    }

    private static void add(Path root, Path p, Set<String> skip, Map<String, String> out) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,size,nlink,lastModifiedTime,ctime", NOFOLLOW);
        int mode = (Integer) a.get("mode");
        StringBuilder d = new StringBuilder();
        d.append(String.format("mode=%o size=%d nlink=%d mtime=%s ctime=%s", mode, (Long) a.get("size"),
                ((Number) a.get("nlink")).longValue(), a.get("lastModifiedTime"), (FileTime) a.get("ctime")));
        if (Files.isSymbolicLink(p)) {
            d.append(" target=").append(Files.readSymbolicLink(p));
        } else if (Files.isRegularFile(p, NOFOLLOW)) {
            d.append(" sha256=").append(sha256(Files.readAllBytes(p)));
        } else if (Files.isDirectory(p, NOFOLLOW)) {
            List<Path> children;
            try (Stream<Path> s = Files.list(p)) {
                children = s.filter(c -> !(p.equals(root) && skip.contains(c.getFileName().toString()))).sorted().toList();
            }
            d.append(" names=").append(children.stream().map(c -> c.getFileName().toString()).toList());
            for (Path c : children) add(root, c, skip, out);
        }
        out.put(root.relativize(p).toString(), d.toString());
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One line per entry that differs from {@code after} (changed, gone, or new); empty when nothing did. */
    public List<String> differences(HostTreeSnapshot after) {
        List<String> diff = new ArrayList<>();
        for (var e : entries.entrySet()) {
            String now = after.entries.get(e.getKey());
            if (!e.getValue().equals(now)) diff.add("'" + e.getKey() + "': " + e.getValue() + " -> " + now);
        }
        for (var e : after.entries.entrySet()) {
            if (!entries.containsKey(e.getKey())) diff.add("'" + e.getKey() + "': new " + e.getValue());
        }
        return diff;
    }
}
