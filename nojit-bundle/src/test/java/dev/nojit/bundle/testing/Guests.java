package dev.nojit.bundle.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real guest modules compiled by guests/build.sh, read from the nojit-guests jar. */
public final class Guests {
    private Guests() {}

    public static byte[] bytes(String name) {
        try (InputStream in = Guests.class.getResourceAsStream("/guests/" + name)) {
            if (in == null) throw new IllegalStateException("guest " + name + " not on the class path; build guests/ first");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a guest file into {@code dir} and returns its path. */
    public static Path copy(String name, Path dir) throws IOException {
        Path target = dir.resolve(name);
        Files.createDirectories(target.getParent());
        Files.write(target, bytes(name));
        return target;
    }
}
