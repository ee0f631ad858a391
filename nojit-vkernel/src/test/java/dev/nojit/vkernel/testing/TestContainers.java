package dev.nojit.vkernel.testing;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.MemoryAuditSink;
import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.testing.TestEngine;
import dev.nojit.bundle.BundleReader;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.vkernel.Container;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;

/** Builds signed bundles and runs them in containers, capturing stdout and stderr. */
public final class TestContainers {
    private TestContainers() {}

    /** What a run printed, how it ended, and the audit events it recorded. */
    public record Run(Container.Result result, String out, String err, List<AuditEvent> events) {
        public int exitCode() {
            return result.exitCode();
        }

        /** The policy violations recorded (exec_denied, memory_exec_denied, code_load_denied). */
        public List<AuditEvent> violations() {
            return events.stream().filter(e -> e.type().isViolation()).toList();
        }

        public List<AuditEvent> events(AuditEvent.Type type) {
            return events.stream().filter(e -> e.type() == type).toList();
        }
    }

    public static KeyPair key() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    /**
     * Signs {@code builder}'s image into {@code dir}/app.nojit and opens it verified; under the engine test profile
     * ({@code -Dnojit.test.engine=aot}, {@link TestEngine}) its executables are built in engine mode aot.
     */
    public static VerifiedBundle bundle(BundleBuilder builder, Path dir) throws Exception {
        KeyPair key = key();
        Path out = dir.resolve("app-" + System.nanoTime() + ".nojit");
        TestEngine.apply(builder).build(key, out);
        return BundleReader.open(out, key.getPublic());
    }

    public static Run run(VerifiedBundle bundle, Container.Options options, String stdin, String path, List<String> args,
                          Duration timeout) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        // Each run records into its own sink, so tests can assert on exactly its events.
        MemoryAuditSink events = new MemoryAuditSink();
        Container.Options o = options.withStdio(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out, err)
                .withAudit(events);
        try (Container c = Container.create(bundle, o)) {
            Container.Result r = c.run(path, args, timeout);
            return new Run(r, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), events.events());
        }
    }

    public static Run run(VerifiedBundle bundle, String path, String... args) {
        return run(bundle, Container.Options.defaults(), "", path, List.of(args), Duration.ofSeconds(60));
    }
}
