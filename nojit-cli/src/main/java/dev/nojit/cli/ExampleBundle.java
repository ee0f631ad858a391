package dev.nojit.cli;

import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.BundleException;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

/**
 * The embedded example bundle (guests/example/README): the seed's malicious agent task, a script run
 * by nojit's own shell nsh as /bin/sh, with the approved tools it uses, a listed helper script, the
 * data it works on and the "download" it tries to run; policy from example/policy.json
 * (manifest-only exec and scripts, kill-process). Built from the guests extracted by
 * {@link EmbeddedGuests#extractTo} — the same inputs and flags as the README's {@code nojit build}.
 */
final class ExampleBundle {
    /** Process 1 of the demo's run: the agent task, started through its #! line. */
    static final String TASK = "/usr/share/agent/task.sh";
    /** What the task downloads and runs, and the script it writes and runs: both must be refused. */
    static final String DOWNLOADED_ELF = "/tmp/payload", WRITTEN_SCRIPT = "/tmp/evil.sh";
    /** The useful work's result, which the task prints. */
    static final String SUMMARY_LINE = "summary of /srv/data/report.txt";

    private ExampleBundle() {}

    static BundleBuilder.Result build(Path inputs, KeyPair key, Path out) throws BundleException, IOException {
        Path example = inputs.resolve("example");
        return new BundleBuilder()
                .builderVersion(Version.get())
                .policy(BuildCommand.readPolicy(example.resolve("policy.json")))
                .executable("/bin/sh", inputs.resolve("nsh.wasm"))
                .executable("/bin/cat", inputs.resolve("cat.wasm"))
                .executable("/bin/wc", inputs.resolve("wc.wasm"))
                .executable("/bin/grep", inputs.resolve("grep.wasm"))
                .executable("/bin/chmod", inputs.resolve("chmod.wasm"))
                .script(TASK, example.resolve("usr/share/agent/task.sh"), "/bin/sh")
                .script("/usr/share/agent/summarize.sh", example.resolve("usr/share/agent/summarize.sh"), "/bin/sh")
                .file("/etc/motd", example.resolve("etc/motd"))
                .directory("/srv/data", example.resolve("srv/data"))
                .build(key, out);
    }

    /** The run's command after {@code --}. */
    static List<String> command() {
        return List.of(TASK);
    }
}
