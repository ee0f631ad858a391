package dev.nojit.vkernel.realprograms;

import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.testing.TestContainers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real C program no one here wrote: SQLite (fetched through the npm registry and compiled by
 * guests/sqlite/build.sh) creates a database of 10,000 rows in a mounted host directory and
 * queries it under the vkernel; every line must equal what the same program prints natively,
 * and the database files must be interchangeable between the two.
 */
class SqliteTest {
    private static final Path DIR = Path.of(System.getProperty("nojit.sqlite.dir", "target/sqlite"));
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    static Path tmp;
    static VerifiedBundle bundle;
    /** What native SQLite prints creating, then reopening, a database of its own. */
    static String nativeCreate, nativeQuery;

    @BeforeAll
    static void buildBundleAndRunNatively() throws Exception {
        assertThat(DIR.resolve("sqlite-driver.wasm")).as("built by guests/sqlite/build.sh").exists();
        bundle = TestContainers.bundle(new BundleBuilder()
                .executable("/bin/sqlite-driver", DIR.resolve("sqlite-driver.wasm")), tmp);
        Path nativeDb = Files.createDirectories(tmp.resolve("native")).resolve("native.db");
        nativeCreate = nativeRun(nativeDb, "create");
        nativeQuery = nativeRun(nativeDb, "query");
        assertThat(nativeCreate).contains("count: 10000|50005000|").contains("integrity: ok")
                .contains("plan: SEARCH t USING INDEX t_name (name=?)");
    }

    /**
     * Native SQLite's answer. The locked-down test run cannot exec anything (that is the point of
     * it), so the unlocked run, which goes first, leaves its answers and database in DIR/native-oracle.
     */
    private static String nativeRun(Path db, String mode) throws Exception {
        Path oracle = DIR.resolve("native-oracle");
        if (dev.nojit.vkernel.lockdown.LockedDownTestJvm.active()) {
            if (mode.equals("create")) Files.copy(oracle.resolve("native.db"), db, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return Files.readString(oracle.resolve(mode + ".out"));
        }
        Process p = new ProcessBuilder(DIR.resolve("sqlite-driver").toString(), db.toString(), mode)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Files.createDirectories(oracle);
        if (db.getFileName().toString().equals("native.db")) {
            Files.writeString(oracle.resolve(mode + ".out"), out);
            if (mode.equals("create")) Files.copy(db, oracle.resolve("native.db"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return out;
    }

    private static TestContainers.Run run(Path hostDir, boolean readOnly, String db, String mode) {
        Container.Options options = Container.Options.defaults()
                .withMounts(List.of(new Container.Mount("/data", hostDir, readOnly)));
        TestContainers.Run r = TestContainers.run(bundle, options, "", "/bin/sqlite-driver", List.of(db, mode), TIMEOUT);
        // A real program doing real work: the policy must not see a single violation (no false positives).
        assertThat(r.violations()).as("policy violations").isEmpty();
        assertThat(r.events(dev.nojit.audit.AuditEvent.Type.EXEC)).hasSize(1);
        return r;
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void createsAndQueriesADatabaseInAMountedDirectoryLikeNativeSqlite() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));

        TestContainers.Run create = run(data, false, "/data/test.db", "create");
        assertThat(create.exitCode()).as(create.err()).isZero();
        assertThat(create.out()).isEqualTo(nativeCreate);

        // A real SQLite file on the host, and the rollback journal was deleted after the commit.
        byte[] file = Files.readAllBytes(data.resolve("test.db"));
        assertThat(new String(Arrays.copyOf(file, 16), StandardCharsets.ISO_8859_1)).isEqualTo("SQLite format 3\0");
        assertThat(names(data)).containsExactly("test.db");
        // SQLite's file format is the same on every platform, and the same work writes the same pages.
        assertThat(file).isEqualTo(Files.readAllBytes(tmp.resolve("native").resolve("native.db")));

        // Native SQLite reads what SQLite wrote under the vkernel (not in the locked-down run: no exec there).
        if (!dev.nojit.vkernel.lockdown.LockedDownTestJvm.active()) {
            assertThat(nativeRun(data.resolve("test.db"), "query")).isEqualTo(nativeQuery);
        }

        // A second container reopens the file and finds every row.
        TestContainers.Run query = run(data, false, "/data/test.db", "query");
        assertThat(query.exitCode()).as(query.err()).isZero();
        assertThat(query.out()).isEqualTo(nativeQuery);
    }

    @Test
    void readsADatabaseThatNativeSqliteWrote() throws Exception {
        Path shelf = Files.createDirectories(tmp.resolve("shelf"));
        Files.copy(tmp.resolve("native").resolve("native.db"), shelf.resolve("native.db"));

        TestContainers.Run query = run(shelf, false, "/data/native.db", "query");
        assertThat(query.exitCode()).as(query.err()).isZero();
        assertThat(query.out()).isEqualTo(nativeQuery);
        // SQLite for WASI locks with a directory next to the file (it has no fcntl locks): gone again.
        assertThat(names(shelf)).containsExactly("native.db");
    }

    @Test
    void aReadOnlyMountServesAnImmutableDatabaseAndRefusesANewOne() throws Exception {
        Path shelf = Files.createDirectories(tmp.resolve("read-only"));
        Files.copy(tmp.resolve("native").resolve("native.db"), shelf.resolve("native.db"));
        byte[] before = Files.readAllBytes(shelf.resolve("native.db"));

        // Declared immutable, the file is read without the lock directory a read-only mount cannot hold.
        TestContainers.Run immutable = run(shelf, true, "file:/data/native.db?immutable=1", "query");
        assertThat(immutable.exitCode()).as(immutable.err()).isZero();
        assertThat(immutable.out()).isEqualTo(nativeQuery);

        // Otherwise SQLite's dot-file locking needs mkdir next to the file: refused (EROFS), an I/O error.
        TestContainers.Run locked = run(shelf, true, "/data/native.db", "query");
        assertThat(locked.exitCode()).isNotZero();
        assertThat(locked.err()).contains("disk I/O error");

        TestContainers.Run create = run(shelf, true, "/data/new.db", "create");
        assertThat(create.exitCode()).isNotZero();
        assertThat(create.err()).contains("unable to open database file");
        assertThat(names(shelf)).containsExactly("native.db");
        assertThat(Files.readAllBytes(shelf.resolve("native.db"))).isEqualTo(before);
    }
}
