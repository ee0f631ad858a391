package dev.nojit.engine.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Converts a .wast script with wabt's {@code wast2json --enable-threads} (Debian package wabt). */
final class Wast2Json {
    private Wast2Json() {}

    /** Converts {@code wast} into {@code dir} (emptied first) and returns the JSON file. */
    static Path convert(Path wast, Path dir) throws IOException, InterruptedException {
        String name = wast.getFileName().toString().replaceFirst("\\.wast$", "");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : old.toList()) Files.delete(p);
            }
        }
        Files.createDirectories(dir);
        Path json = dir.resolve(name + ".json");
        Process p;
        try {
            p = new ProcessBuilder("wast2json", "--enable-threads", wast.toString(), "-o", json.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("wast2json not found: install the Debian package 'wabt'", e);
        }
        String log = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("wast2json timed out on " + wast);
        }
        // wast2json reports a module that does not validate but still exits 0 and writes it: refuse that too
        if (p.exitValue() != 0 || !log.isBlank()) throw new AssertionError("wast2json failed on " + wast + ":\n" + log);
        return json;
    }
}
