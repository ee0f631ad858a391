package dev.nojit.vkernel.syscall;

import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.testing.Guests;
import dev.nojit.vkernel.testing.TestContainers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The signed image both syscall fuzzers run in, built once per JVM: three approved programs
 * (/bin/wali-hello, /bin/wali-echo, and the guest-level fuzzer /bin/wali-fuzz), a listed script for wali-echo (/opt/listed.sh), and code
 * that is not approved: /data/evil.wasm (a valid module, as data) and /opt/payload/evil-x (the
 * same bytes, mode 0755). {@link #APPROVED} holds the module hashes an exec may ever start,
 * computed from the guest files, not from the manifest.
 */
final class FuzzImage {
    static final byte[] HELLO = Guests.bytes("wali-hello.wasm");
    static final byte[] EVIL = Guests.bytes("wali-marker-evil.wasm");
    static final Set<String> APPROVED = Set.of(Sha256.hex(HELLO), Sha256.hex(Guests.bytes("wali-echo.wasm")),
            Sha256.hex(Guests.bytes("wali-fuzz.wasm")));

    private static VerifiedBundle bundle;
    private static Path dir;

    private FuzzImage() {}

    static synchronized VerifiedBundle bundle() {
        if (bundle == null) {
            try {
                dir = Files.createTempDirectory("nojit-syscall-fuzz");
                Path in = Files.createDirectories(dir.resolve("in"));
                BundleBuilder b = new BundleBuilder();
                b.executable("/bin/wali-hello", Guests.copy("wali-hello.wasm", in));
                b.executable("/bin/wali-echo", Guests.copy("wali-echo.wasm", in));
                b.executable("/bin/wali-fuzz", Guests.copy("wali-fuzz.wasm", in));
                b.file("/data/evil.wasm", Guests.copy("wali-marker-evil.wasm", in));
                b.file("/etc/motd", Files.writeString(in.resolve("motd"), "hello\n"));
                Path payload = Files.createDirectories(in.resolve("payload"));
                Files.write(payload.resolve("evil-x"), EVIL);
                Files.setPosixFilePermissions(payload.resolve("evil-x"), PosixFilePermissions.fromString("rwxr-xr-x"));
                b.directory("/opt/payload", payload);
                b.script("/opt/listed.sh", Files.writeString(in.resolve("listed.sh"), "#!/bin/wali-echo\necho listed\n"),
                        "/bin/wali-echo");
                bundle = TestContainers.bundle(b, dir);
                makeCanary(dir.resolve("canary"));
            } catch (Exception e) {
                throw new IllegalStateException("cannot build the fuzz image", e);
            }
        }
        return bundle;
    }

    /** An empty host directory to mount at /mnt/host (cleared before each use). */
    static synchronized Path hostDir() {
        bundle();
        Path host = dir.resolve("host");
        try {
            if (Files.exists(host)) {
                try (var walk = Files.walk(host)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(host)).forEach(p -> {
                        try {
                            p.toFile().setWritable(true);
                            Files.delete(p);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                }
            }
            return Files.createDirectories(host);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The canary tree beside the mounted directory (issue 15): files starting "CANARY" that no
     * input may read, write, chmod, touch, list or link; the mount-swap actions aim symlinks at it.
     */
    static synchronized Path canary() {
        bundle();
        return dir.resolve("canary");
    }

    /** What the host sees beside the mount: the canary tree, and the names in the fuzz directory. */
    static String besideTheMount() {
        Path d = dir();
        try (var names = Files.list(d)) {
            return names.map(x -> x.getFileName().toString()).sorted().toList() + "\n"
                    + dev.nojit.vkernel.fs.HostTreeSnapshot.of(canary(), Set.of()).entries();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void makeCanary(Path canary) throws IOException {
        Files.createDirectories(canary.resolve("sub"));
        Files.writeString(canary.resolve("f"), "CANARY f");
        Files.setPosixFilePermissions(canary.resolve("f"), PosixFilePermissions.fromString("rw----r--"));
        Files.writeString(canary.resolve("sub/g"), "CANARY g");
        Files.createSymbolicLink(canary.resolve("lnk"), java.nio.file.Path.of("f"));
    }

    /** Where the bundle and the host directory live: no host descriptor may point here after a container closes. */
    static synchronized Path dir() {
        bundle();
        return dir;
    }
}
