package dev.nojit.bench.vkernel;

import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.vkernel.Container;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Runs one program as process 1 of a fresh container of the bundle and returns what it printed. */
final class ContainerRunner {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private final VerifiedBundle bundle;

    ContainerRunner(VerifiedBundle bundle) {
        this.bundle = bundle;
    }

    /** Its stdout; an exit status other than 0 is an {@link IllegalStateException} naming the command. */
    String run(String path, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Container.Options options = Container.Options.defaults().withStdio(InputStream.nullInputStream(), out, err);
        Container.Result r;
        try (Container c = Container.create(bundle, options)) {
            r = c.run(path, List.of(args), TIMEOUT);
        }
        if (r.exitCode() != 0) {
            throw new IllegalStateException(path + " " + String.join(" ", args) + ": exit code " + r.exitCode()
                    + (r.error() == null ? "" : " (" + r.error() + ")") + "; stderr: "
                    + err.toString(StandardCharsets.UTF_8).strip());
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
