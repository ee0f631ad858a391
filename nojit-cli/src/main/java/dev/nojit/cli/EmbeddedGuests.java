package dev.nojit.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest modules and example image inputs built by {@code guests/build.sh} and embedded
 * in the nojit jar under {@code guests/}, listed by {@code guests/INDEX}.
 */
public final class EmbeddedGuests {
    private static final String ROOT = "/guests/";

    private EmbeddedGuests() {}

    /** Copies every embedded guest file under {@code dir}, keeping relative paths. */
    public static void extractTo(Path dir) throws IOException {
        for (String rel : index()) {
            if (rel.startsWith("/") || rel.contains("..") || rel.contains("\\")) throw new IOException("bad guest index entry " + rel);
            Path target = dir.resolve(rel);
            Files.createDirectories(target.getParent());
            try (InputStream in = open(rel)) {
                Files.copy(in, target);
            }
            if (rel.endsWith(".sh")) Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    static List<String> index() throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream in = open("INDEX");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) names.add(line.strip());
            }
        }
        return names;
    }

    private static InputStream open(String rel) throws IOException {
        InputStream in = EmbeddedGuests.class.getResourceAsStream(ROOT + rel);
        if (in == null) throw new IOException("embedded guest file missing: " + rel + " (was the jar built with guests/?)");
        return in;
    }
}
