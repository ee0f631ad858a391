package dev.nojit.bench.vkernel;

import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.keys.Ed25519Keys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The signed bundle the benchmark runs: every guest as {@code /bin/NAME}, signed with a
 * throwaway Ed25519 key made for this run. The key is written beside the bundle (app.key and
 * app.key.pub) so that bench/vkernel can time {@code nojit run} on the same bundle.
 */
record BenchBundle(Path file, Path publicKeyFile, PublicKey publicKey) {
    /** Container path to module file name. */
    static final Map<String, String> EXECUTABLES = executables();

    private static Map<String, String> executables() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String name : new String[] {"getpid", "fork", "exec", "exec-target", "execbig", "big", "small", "pipe", "hello"}) m.put("/bin/" + name, name + ".wasm");
        return m;
    }

    static BenchBundle build(Path guests, Path outDir) throws IOException, BundleException {
        Files.createDirectories(outDir);
        KeyPair key = Ed25519Keys.generate();
        Path keyFile = outDir.resolve("app.key");
        Path pub = Ed25519Keys.publicKeyPath(keyFile);
        Files.deleteIfExists(keyFile);
        Files.deleteIfExists(pub);
        Ed25519Keys.write(key, keyFile);
        BundleBuilder builder = new BundleBuilder().builderVersion("bench");
        for (Map.Entry<String, String> e : EXECUTABLES.entrySet()) {
            Path wasm = guests.resolve(e.getValue());
            if (!Files.isRegularFile(wasm)) throw new IOException("no " + wasm + " (bench/vkernel builds the guests)");
            builder.executable(e.getKey(), wasm);
        }
        Path file = outDir.resolve("app.nojit");
        builder.build(key, file);
        return new BenchBundle(file, pub, key.getPublic());
    }
}
