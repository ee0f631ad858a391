package dev.nojit.vkernel.guests;

import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.testing.Guests;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.KernelConfig;
import dev.nojit.vkernel.testing.TestContainers;
import dev.nojit.vkernel.testing.TestContainers.Run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A signed image holding every WALI test guest at /bin/NAME, plus data in the read-only image
 * layer: /etc/motd, /etc/data/numbers (not executable) and a directory /srv/tree. Each test
 * class builds one in its temporary directory and runs guests in fresh containers.
 */
final class WaliImage {
    static final List<String> GUESTS = List.of("wali-hello", "wali-procs", "wali-pipeline", "wali-files", "wali-memory",
            "wali-signals", "wali-forkbomb", "wali-hostile", "wali-pipes", "wali-setjmp", "wali-exec", "wali-echo",
            "wali-paths", "wali-mmap", "wali-sigmore", "wali-fixes", "wali-budget", "wali-kill", "wali-forkcopy");
    static final String MOTD = "Welcome to the container\n";

    private final VerifiedBundle bundle;
    private final java.util.Map<String, Run> runs = new java.util.concurrent.ConcurrentHashMap<>();

    private WaliImage(VerifiedBundle bundle) {
        this.bundle = bundle;
    }

    static WaliImage build(Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        BundleBuilder b = new BundleBuilder();
        for (String g : GUESTS) b.executable("/bin/" + g, Guests.copy(g + ".wasm", in));
        b.file("/etc/motd", Files.writeString(in.resolve("motd"), MOTD));
        b.file("/etc/data/numbers", Files.writeString(in.resolve("numbers"), "1\n2\n3\n"));
        Path tree = Files.createDirectories(in.resolve("tree/sub"));
        Files.writeString(tree.resolve("leaf.txt"), "leaf\n");
        Files.writeString(in.resolve("tree/top.txt"), "top\n");
        b.directory("/srv/tree", in.resolve("tree"));
        return new WaliImage(TestContainers.bundle(b, dir));
    }

    VerifiedBundle bundle() {
        return bundle;
    }

    Run run(String guest, String... args) {
        return run(Container.Options.defaults(), guest, args);
    }

    Run run(KernelConfig config, String guest, String... args) {
        return run(Container.Options.defaults().withConfig(config), guest, args);
    }

    Run run(Container.Options options, String guest, String... args) {
        return TestContainers.run(bundle, options, "", "/bin/" + guest, List.of(args), Duration.ofSeconds(60));
    }

    /** One run per distinct key, shared by the tests that look at different parts of its output. */
    Run once(String key, java.util.function.Supplier<Run> run) {
        return runs.computeIfAbsent(key, k -> run.get());
    }

    /** Every check the guest printed passed, it said so with exit code 0, and the policy saw no violation. */
    static void assertAllPassed(Run r) {
        assertThat(r.out()).as("stderr: %s", r.err()).doesNotContain("FAIL");
        assertThat(r.exitCode()).as("stdout: %s%nstderr: %s", r.out(), r.err()).isZero();
        assertThat(r.violations()).as("policy violations").isEmpty();
    }

    /** Lines of stdout that start with "ok ". */
    static List<String> okLines(Run r) {
        return r.out().lines().filter(l -> l.startsWith("ok ")).toList();
    }
}
