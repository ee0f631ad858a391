package dev.nojit.vkernel.realprograms;

import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.testing.TestContainers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real C program no one here wrote: SQLite (fetched through the npm registry and compiled by
 * guests/sqlite/build.sh) creates a database of 10,000 rows in a mounted host directory and
 * queries it under the vkernel; every line must equal what the same program prints natively.
 */
class SqliteTest {
    private static final Path DIR = Path.of(System.getProperty("nojit.sqlite.dir", "target/sqlite"));

    @TempDir
    Path tmp;

    private static String nativeRun(Path db, String mode) throws Exception {
        Process p = new ProcessBuilder(DIR.resolve("sqlite-driver").toString(), db.toString(), mode).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void createsAndQueriesADatabaseInAMountedDirectoryLikeNativeSqlite() throws Exception {
        assertThat(DIR.resolve("sqlite-driver.wasm")).as("built by guests/sqlite/build.sh").exists();
        VerifiedBundle bundle = TestContainers.bundle(new BundleBuilder()
                .executable("/bin/sqlite-driver", DIR.resolve("sqlite-driver.wasm")), tmp);
        Path data = Files.createDirectories(tmp.resolve("data"));
        Container.Options options = Container.Options.defaults()
                .withMounts(List.of(new Container.Mount("/data", data, false)));

        TestContainers.Run create = TestContainers.run(bundle, options, "", "/bin/sqlite-driver",
                List.of("/data/test.db", "create"), Duration.ofMinutes(5));
        String expected = nativeRun(tmp.resolve("native.db"), "create");
        assertThat(create.exitCode()).as(create.err()).isZero();
        assertThat(create.out()).isEqualTo(expected);
        assertThat(create.out()).contains("count: 10000|50005000|").contains("integrity: ok");

        // The database is a real SQLite file on the host.
        byte[] header = Arrays.copyOf(Files.readAllBytes(data.resolve("test.db")), 16);
        assertThat(new String(header, StandardCharsets.ISO_8859_1)).isEqualTo("SQLite format 3\0");

        // A second container reopens it and finds every row.
        TestContainers.Run query = TestContainers.run(bundle, options, "", "/bin/sqlite-driver",
                List.of("/data/test.db", "query"), Duration.ofMinutes(5));
        assertThat(query.exitCode()).as(query.err()).isZero();
        assertThat(query.out()).isEqualTo(nativeRun(tmp.resolve("native.db"), "query"));
    }
}
