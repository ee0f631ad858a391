package dev.nojit.vkernel.realprograms;

import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.testing.Guests;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.testing.TestContainers;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nojit's C library (Debian's musl with the project's wasm32 WALI layer, docs/toolchain.md) against
 * glibc: each program of toolchain/tests, built with nojit-cc, must print under the vkernel exactly
 * what the same source built with gcc printed on this machine, and end with the same status
 * (toolchain/build-userland.sh records the native run at build time; the locked-down test JVM could
 * not start it).
 */
class LibcTestsTest {
    private static final String DIR = "userland/libc-tests/";

    @TempDir
    static Path tmp;

    private static List<String> programs() {
        String index = new String(Guests.bytes("INDEX"), StandardCharsets.UTF_8);
        return index.lines().filter(l -> l.startsWith(DIR) && l.endsWith(".wasm"))
                .map(l -> l.substring(DIR.length(), l.length() - ".wasm".length())).toList();
    }

    @TestFactory
    Stream<DynamicTest> eachProgramPrintsWhatItsNativeBuildPrints() throws Exception {
        List<String> programs = programs();
        assertThat(programs).as("toolchain/tests built into the guests jar").contains("stdio", "procs", "signals", "sigjump");
        BundleBuilder b = new BundleBuilder();
        for (String p : programs) b.executable("/bin/" + p, Guests.copy(DIR + p + ".wasm", tmp));
        VerifiedBundle bundle = TestContainers.bundle(b, tmp);
        Container.Options options = Container.Options.defaults().withEnv(List.of("GREETING=hi"));
        return programs.stream().map(p -> DynamicTest.dynamicTest(p, () -> {
            String expected = new String(Guests.bytes(DIR + p + ".out"), StandardCharsets.UTF_8);
            int status = Integer.parseInt(new String(Guests.bytes(DIR + p + ".status"), StandardCharsets.UTF_8).strip());
            TestContainers.Run r = TestContainers.run(bundle, options, "", "/bin/" + p, List.of(), Duration.ofSeconds(60));
            assertThat(r.out()).as("stdout of %s (stderr: %s)", p, r.err()).isEqualTo(expected);
            assertThat(r.exitCode()).as("exit status of %s", p).isEqualTo(status);
            assertThat(r.violations()).as("a real program sees no violation").isEmpty();
        }));
    }
}
