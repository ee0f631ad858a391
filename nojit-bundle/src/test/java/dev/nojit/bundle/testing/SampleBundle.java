package dev.nojit.bundle.testing;

import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.keys.Ed25519Keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;

/**
 * A realistic bundle for tests: several real executables (WASI and WALI), a script with its
 * interpreter, data files and a directory tree, signed with a fresh key.
 */
public record SampleBundle(Path bundle, KeyPair key, Path inputs, BundleBuilder.Result result) {
    public static final Instant CREATED = Instant.parse("2026-01-02T03:04:05Z");
    public static final String SCRIPT = "#!/bin/cat\n# a task script, read by its interpreter\necho hello\n";

    public static SampleBundle create(Path dir) throws IOException, BundleException {
        return create(dir, Ed25519Keys.generate());
    }

    public static SampleBundle create(Path dir, KeyPair key) throws IOException, BundleException {
        Path inputs = writeInputs(dir.resolve("inputs"));
        Path out = dir.resolve("app.nojit");
        BundleBuilder.Result r = builder(inputs).build(key, out);
        return new SampleBundle(out, key, inputs, r);
    }

    /** The inputs on disk: modules from guests/, a script, files and a tree. */
    public static Path writeInputs(Path inputs) throws IOException {
        Files.createDirectories(inputs);
        for (String g : new String[] {"hello.wasm", "cat.wasm", "wc.wasm", "wali-hello.wasm"}) Guests.copy(g, inputs);
        Files.writeString(inputs.resolve("task.sh"), SCRIPT);
        Files.writeString(inputs.resolve("motd"), "welcome to the sample container\n");
        Files.writeString(inputs.resolve("empty"), "");
        Path tree = Files.createDirectories(inputs.resolve("tree/sub"));
        Files.writeString(inputs.resolve("tree/a.txt"), "alpha\n");
        Files.writeString(tree.resolve("b.txt"), "beta\n");
        Files.writeString(inputs.resolve("tree/motd-copy"), "welcome to the sample container\n", StandardCharsets.UTF_8);
        return inputs;
    }

    public static BundleBuilder builder(Path inputs) throws IOException, BundleException {
        return new BundleBuilder()
                .builderVersion("test")
                .created(CREATED)
                .executable("/bin/hello", inputs.resolve("hello.wasm"))
                .executable("/bin/cat", inputs.resolve("cat.wasm"))
                .executable("/usr/bin/wc", inputs.resolve("wc.wasm"))
                .executable("/bin/wali-hello", inputs.resolve("wali-hello.wasm"))
                .script("/opt/task.sh", inputs.resolve("task.sh"), "/bin/cat")
                .file("/etc/motd", inputs.resolve("motd"))
                .file("/etc/empty", inputs.resolve("empty"))
                .directory("/srv/tree", inputs.resolve("tree"));
    }
}
