package dev.nojit.cli;

import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.BundleReader;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.keys.Ed25519Keys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;

/**
 * The main job on the embedded example. For now it shows the build-time layer: a key, the
 * example image built and signed into a bundle, the bundle verified, its manifest printed.
 * Later issues extend it to run the example agent task under the policy.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Builds the embedded example bundle, verifies it and prints its manifest.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "Work directory for the key, inputs and bundle (default: a new temporary directory).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("nojit-demo-");
        try (var existing = Files.list(work)) {
            if (existing.findAny().isPresent()) throw new UsageException("--dir " + work + " is not empty");
        }

        Path inputs = work.resolve("inputs");
        EmbeddedGuests.extractTo(inputs);
        step(w, 1, "extracted the example image inputs (compiled C guests and files) to " + inputs);

        Path key = work.resolve("demo.key");
        KeyPair pair = Ed25519Keys.generate();
        Ed25519Keys.write(pair, key);
        step(w, 2, "generated an Ed25519 signing key " + key + " (keyid " + Ed25519Keys.keyId(pair.getPublic()).substring(0, 16) + "...)");

        Path bundle = work.resolve("example.nojit");
        BundleBuilder.Result built = new BundleBuilder()
                .builderVersion(Version.get())
                .policy(BuildCommand.readPolicy(inputs.resolve("example/policy.json")))
                .executable("/bin/sh", inputs.resolve("nsh.wasm"))
                .executable("/bin/cat", inputs.resolve("cat.wasm"))
                .executable("/bin/wc", inputs.resolve("wc.wasm"))
                .executable("/bin/grep", inputs.resolve("grep.wasm"))
                .executable("/bin/chmod", inputs.resolve("chmod.wasm"))
                .script("/usr/share/agent/task.sh", inputs.resolve("example/usr/share/agent/task.sh"), "/bin/sh")
                .script("/usr/share/agent/summarize.sh", inputs.resolve("example/usr/share/agent/summarize.sh"), "/bin/sh")
                .build(pair, bundle);
        step(w, 3, "built and signed " + bundle + ": every module parsed, validated and its imports checked ("
                + built.bytes() + " bytes)");

        try (VerifiedBundle verified = BundleReader.open(bundle, pair.getPublic())) {
            step(w, 4, "verified the signature and every blob hash with " + Ed25519Keys.publicKeyPath(key));
            w.println("    megabinary sha256:" + verified.megabinarySha256());
            w.println("    manifest   sha256:" + verified.manifestSha256());
            step(w, 5, "the signed manifest:");
            w.println();
            ManifestTable.print(w, verified.manifest());
        }
        Path tampered = work.resolve("tampered.nojit");
        byte[] bytes = Files.readAllBytes(bundle);
        int at = bytes.length / 2;
        bytes[at] ^= 0x01;
        Files.write(tampered, bytes);
        try (VerifiedBundle unexpected = BundleReader.open(tampered, pair.getPublic())) {
            throw new IllegalStateException("a tampered bundle verified: " + unexpected.path());
        } catch (dev.nojit.bundle.BundleException refused) {
            w.println();
            step(w, 6, "a copy with one bit flipped at offset " + at + " (" + tampered + ") is refused:");
            w.println("    " + refused.getMessage());
        }
        w.println();
        w.println("Try: ./nojit verify " + bundle + " --pubkey " + Ed25519Keys.publicKeyPath(key));
        w.println("     tar tvf " + bundle);
        return ExitCodes.OK;
    }

    private static void step(PrintWriter w, int n, String text) {
        w.println("[" + n + "] " + text);
        w.flush();
    }
}
