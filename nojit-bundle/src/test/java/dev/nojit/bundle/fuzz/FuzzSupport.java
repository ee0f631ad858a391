package dev.nojit.bundle.fuzz;

import dev.nojit.bundle.BundleException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Shared pieces of the fuzz targets: fixed test-only Ed25519 keys (the same in every JVM, so
 * committed seed bundles stay signed by the key the targets trust), a scratch directory, and
 * the one oracle every target applies to a refusal.
 */
final class FuzzSupport {
    /** The key the fuzz targets trust. Test only: its seed is this source file. */
    static final KeyPair KEY = fixedKey((byte) 0x4e);
    /** A second fixed key, for signatures the trusted key must not accept. */
    static final KeyPair OTHER_KEY = fixedKey((byte) 0x6f);

    private static Path scratch;

    private FuzzSupport() {}

    /**
     * A refusal must be a {@link BundleException} whose message is fit to show a user: non-empty
     * and on one line. (Callers let every other throwable escape: that is the finding.)
     */
    static void checkRefusal(BundleException e) {
        String m = e.getMessage();
        if (m == null || m.isBlank() || m.indexOf('\n') >= 0 || m.indexOf('\r') >= 0) {
            throw new AssertionError("BundleException message is not one non-empty line: " + m, e);
        }
    }

    /** One scratch directory per JVM, removed when the JVM exits. */
    static synchronized Path scratchDir() {
        if (scratch == null) {
            try {
                scratch = Files.createTempDirectory("nojit-fuzz-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path dir = scratch;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        }
        return scratch;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort at exit
                }
            });
        } catch (IOException ignored) {
            // best effort at exit
        }
    }

    /** An Ed25519 key pair generated from a 32-byte seed filled with {@code fill}. */
    private static KeyPair fixedKey(byte fill) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, fill);
        return dev.nojit.bundle.keys.Ed25519Keys.fromSeed(seed);
    }
}
