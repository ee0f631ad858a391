package dev.nojit.vkernel.policy;

import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.manifest.Policy;
import dev.nojit.bundle.testing.Guests;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.testing.TestContainers;
import dev.nojit.vkernel.testing.TestContainers.Run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * The image the policy tests attack: the attack guest (wali-violate), a supervisor that runs an
 * attack as its child and reports how it ended, approved programs, and code that is not approved:
 * /data/evil.wasm (a valid module, as data) and /opt/payload/evil-x (the same bytes, mode 0755).
 * /opt/listed.sh is a listed script for /bin/wali-echo.
 */
final class PolicyImage {
    static final List<String> EXECUTABLES = List.of("wali-violate", "wali-supervise", "wali-hello", "wali-echo",
            "wali-marker-good", "wali-exec-race");

    final VerifiedBundle bundle;
    final String evilSha;
    final String helloSha;
    final String goodSha;

    private PolicyImage(VerifiedBundle bundle) {
        this.bundle = bundle;
        this.evilSha = Sha256.hex(Guests.bytes("wali-marker-evil.wasm"));
        this.helloSha = Sha256.hex(Guests.bytes("wali-hello.wasm"));
        this.goodSha = Sha256.hex(Guests.bytes("wali-marker-good.wasm"));
    }

    static PolicyImage build(Path dir, Policy policy) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in-" + System.nanoTime()));
        BundleBuilder b = new BundleBuilder().policy(policy);
        for (String g : EXECUTABLES) b.executable("/bin/" + g, Guests.copy(g + ".wasm", in));
        b.file("/data/evil.wasm", Guests.copy("wali-marker-evil.wasm", in));
        b.file("/etc/motd", Files.writeString(in.resolve("motd"), "hello\n"));
        Path payload = Files.createDirectories(in.resolve("payload"));
        Path evilX = Guests.copy("wali-marker-evil.wasm", payload);
        Files.move(evilX, payload.resolve("evil-x"));
        Files.setPosixFilePermissions(payload.resolve("evil-x"), PosixFilePermissions.fromString("rwxr-xr-x"));
        b.directory("/opt/payload", payload);
        b.script("/opt/listed.sh", Files.writeString(in.resolve("listed.sh"), "#!/bin/wali-echo\necho listed\n"), "/bin/wali-echo");
        return new PolicyImage(TestContainers.bundle(b, dir));
    }

    Run run(String path, String... args) {
        return TestContainers.run(bundle, Container.Options.defaults(), "", path, List.of(args), Duration.ofSeconds(60));
    }

    /** wali-violate TECHNIQUE ARGS as the child of wali-supervise (pid 1). */
    Run attack(String technique, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "/bin/wali-violate";
        all[1] = technique;
        System.arraycopy(args, 0, all, 2, args.length);
        return run("/bin/wali-supervise", all);
    }
}
