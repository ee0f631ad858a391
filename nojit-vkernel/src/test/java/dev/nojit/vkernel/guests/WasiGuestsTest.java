package dev.nojit.vkernel.guests;

import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.testing.Guests;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.testing.TestContainers;
import dev.nojit.vkernel.testing.TestContainers.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** WASI preview 1 programs (wasi-libc) on the vkernel: stdio, arguments, files in the image and in a mount. */
class WasiGuestsTest {
    @TempDir
    static Path dir;
    static VerifiedBundle bundle;

    @BeforeAll
    static void bundle() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path data = Files.createDirectories(in.resolve("data"));
        Files.writeString(data.resolve("poem.txt"), "one two\nthree four five\n");
        bundle = TestContainers.bundle(new BundleBuilder()
                .executable("/bin/hello", Guests.copy("hello.wasm", in))
                .executable("/bin/cat", Guests.copy("cat.wasm", in))
                .executable("/bin/wc", Guests.copy("wc.wasm", in))
                .directory("/srv/data", data), dir);
    }

    private static Run run(String stdin, Container.Options options, String path, String... args) {
        return TestContainers.run(bundle, options, stdin, path, List.of(args), Duration.ofSeconds(60));
    }

    @Test
    void helloWritesToStdout() {
        Run r = run("", Container.Options.defaults(), "/bin/hello");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("hello from a signed nojit guest\n");
    }

    @Test
    void stdinPassesThrough() {
        Run r = run("one two three\n", Container.Options.defaults(), "/bin/wc");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().trim().split("\\s+")).containsExactly("1", "3", "14");
    }

    @Test
    void filesOfTheImageAndOfAMountedDirectory() throws Exception {
        Run image = run("", Container.Options.defaults(), "/bin/cat", "/srv/data/poem.txt");
        assertThat(image.exitCode()).as(image.err()).isZero();
        assertThat(image.out()).isEqualTo("one two\nthree four five\n");

        Path host = Files.createDirectories(dir.resolve("host"));
        Files.writeString(host.resolve("notes.txt"), "a b c d\n");
        // wasi-libc keeps its own working directory, starting at "/": WASI programs are given absolute paths.
        Run mounted = run("", Container.Options.defaults().withMounts(List.of(new Container.Mount("/data", host, true))),
                "/bin/wc", "/data/notes.txt");
        assertThat(mounted.exitCode()).as(mounted.err()).isZero();
        assertThat(mounted.out()).contains("4").contains("8");

        Run missing = run("", Container.Options.defaults(), "/bin/cat", "/srv/data/none.txt");
        assertThat(missing.exitCode()).isNotZero();
    }
}
