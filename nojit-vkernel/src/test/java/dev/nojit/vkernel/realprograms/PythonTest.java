package dev.nojit.vkernel.realprograms;

import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.manifest.InterpreterSpec;
import dev.nojit.bundle.manifest.Policy;
import dev.nojit.bundle.testing.Guests;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.KernelConfig;
import dev.nojit.vkernel.testing.TestContainers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CPython 3.11 built from Debian's source with nojit-cc (toolchain/userland/python, docs/python.md)
 * as an agent's script meets it: the standard library from the image's zip (json, csv, re,
 * pathlib, zlib, gzip, sqlite3 in memory and in a file two processes share), processes through BusyBox's sh (subprocess, os.system), a signal
 * handler, select on a pipe, time.sleep; and what the build leaves out failing cleanly: a thread
 * start is RuntimeError (pthread_create is EAGAIN), ctypes is ImportError (no dlopen), deep
 * recursion is RecursionError.
 *
 * <p>The open_code hook of our patch: under {@code scripts: manifest-only} (securebits set and
 * locked) every file Python loads as code is checked with AT_EXECVE_CHECK on the descriptor it reads.
 * An unlisted module written to /tmp at run time — as source, as a bare .pyc, in a zip on sys.path, or
 * run with runpy — is
 * a violation (exec_denied in execveat naming the file, Python killed, nothing of it run), while a
 * listed script, a listed module beside it and the stdlib zip (listed for the interpreter) run.
 */
class PythonTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String PYTHON = "/usr/bin/python3.11";
    private static final String UNLISTED_RAN = InterpreterHooksTest.UNLISTED_RAN;

    @TempDir
    static Path tmp;
    static VerifiedBundle viaInterpreter, manifestOnly;

    private static final String SMOKE = """
            import json, csv, io, re, pathlib, zlib, gzip, sqlite3, os, sys, signal, select, time
            print(json.dumps({"b": [1, 2.5, None], "a": "x"}, sort_keys=True))
            out = io.StringIO(); csv.writer(out, lineterminator="\\n").writerow(["x", "y,z", 3]); print(out.getvalue(), end="")
            print(re.sub(r"(\\d+)", r"<\\1>", "a1b22c"))
            print(pathlib.PurePosixPath("/data/report.csv").with_suffix(".json"))
            print(zlib.crc32(b"nojit"), zlib.decompress(zlib.compress(b"hello" * 100)) == b"hello" * 100)
            print(gzip.decompress(gzip.compress(b"gzipped")))
            db = sqlite3.connect(":memory:")
            db.execute("create table t (k text, v integer)")
            db.executemany("insert into t values (?, ?)", [("a", 1), ("b", 2), ("a", 3)])
            print(db.execute("select k, sum(v) from t group by k order by k").fetchall())
            import subprocess
            print(subprocess.run(["/bin/sh", "-c", "echo hi; exit 3"], capture_output=True))
            sys.stdout.flush()
            print("system:", os.system("echo from-system") >> 8)
            got = []
            signal.signal(signal.SIGUSR1, lambda s, f: got.append(s))
            os.kill(os.getpid(), signal.SIGUSR1)
            print("handled:", got == [signal.SIGUSR1])
            r, w = os.pipe()
            print("select empty:", select.select([r], [], [], 0.05)[0])
            os.write(w, b"x")
            print("select ready:", select.select([r], [], [], 5)[0] == [r], os.read(r, 1))
            t0 = time.monotonic(); time.sleep(0.2); print("slept:", time.monotonic() - t0 >= 0.2)
            import threading
            try:
                threading.Thread(target=print, args=("THREAD RAN",)).start()
            except RuntimeError as e:
                print("thread:", type(e).__name__, e)
            try:
                import ctypes
            except ImportError as e:
                print("ctypes:", type(e).__name__, e)
            def down(n):
                return down(n + 1)
            try:
                down(0)
            except RecursionError as e:
                print("recursion:", e)
            print("writes bytecode:", not sys.dont_write_bytecode)
            """;

    /** The scripts of the hook cases, each listed for the interpreter. */
    private static final Map<String, String> SCRIPTS = Map.of(
            "/opt/py/smoke.py", SMOKE,
            "/opt/py/listed.py", """
                    import json, csv, re, pathlib, sqlite3, sys
                    import helper
                    print(helper.NAME, json.dumps([re.escape("a.b")]), sqlite3.connect(":memory:").execute("select 6*7").fetchone())
                    print("writes bytecode:", not sys.dont_write_bytecode)
                    """,
            "/opt/py/helper.py", "NAME = 'helper from a listed file'\n",
            "/opt/py/sqlite-file.py", """
                    import os, sqlite3
                    db = sqlite3.connect("/tmp/agent.db")
                    db.execute("create table notes (n integer)")
                    db.executemany("insert into notes values (?)", [(i,) for i in range(100)])
                    db.commit()
                    ready_r, ready_w = os.pipe()
                    go_r, go_w = os.pipe()
                    pid = os.fork()
                    if pid == 0:
                        child = sqlite3.connect("/tmp/agent.db", isolation_level=None)
                        child.execute("begin immediate")
                        child.execute("insert into notes values (1000)")
                        os.write(ready_w, b"1")
                        os.read(go_r, 1)
                        child.execute("commit")
                        child.close()
                        os._exit(0)
                    os.read(ready_r, 1)
                    try:
                        sqlite3.connect("/tmp/agent.db", timeout=0).execute("insert into notes values (-1)")
                        print("second writer: ran")
                    except sqlite3.OperationalError as e:
                        print("second writer:", e)
                    print("reader sees:", db.execute("select count(*), sum(n) from notes").fetchone())
                    os.write(go_w, b"1")
                    print("child exit:", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
                    db.execute("insert into notes values (2000)")
                    db.commit()
                    print("after the child committed:", sqlite3.connect("/tmp/agent.db").execute("select count(*), max(n) from notes").fetchone())
                    print("files:", sorted(f for f in os.listdir("/tmp") if f.startswith("agent.db")))
                    """,
            "/opt/py/loop.py", "print('looping', flush=True)\nwhile True: pass\n",
            "/opt/py/grow.py", """
                    import sys
                    hoard = []
                    print("allocating", flush=True)
                    try:
                        while True:
                            hoard.append(bytearray(1 << 20))
                    except MemoryError:
                        n = len(hoard)
                        hoard = None
                        print("MemoryError after", "many" if n > 32 else n, "MiB", flush=True)
                        sys.exit(3)
                    """,
            "/opt/py/import-unlisted.py", """
                    import sys
                    with open("/tmp/umod.py", "w") as f:
                        f.write("print('%s')\\n")
                    sys.path.insert(0, "/tmp")
                    import umod
                    print("after")
                    """.formatted(UNLISTED_RAN),
            "/opt/py/pyc-unlisted.py", """
                    import os, sys, importlib.util
                    from importlib._bootstrap_external import _code_to_timestamp_pyc
                    code = compile("print('%s')", "upyc", "exec")
                    os.makedirs("/tmp/pyc", exist_ok=True)
                    with open("/tmp/pyc/upyc.pyc", "wb") as f:
                        f.write(_code_to_timestamp_pyc(code))
                    sys.path.insert(0, "/tmp/pyc")
                    import upyc
                    print("after")
                    """.formatted(UNLISTED_RAN),
            "/opt/py/zip-unlisted.py", """
                    import sys, zipfile
                    with zipfile.ZipFile("/tmp/m.zip", "w") as z:
                        z.writestr("zmod.py", "print('%s')\\n")
                    sys.path.insert(0, "/tmp/m.zip")
                    import zmod
                    print("after")
                    """.formatted(UNLISTED_RAN),
            "/opt/py/runpy-unlisted.py", """
                    import runpy
                    with open("/tmp/run.py", "w") as f:
                        f.write("print('%s')\\n")
                    runpy.run_path("/tmp/run.py")
                    print("after")
                    """.formatted(UNLISTED_RAN));

    @BeforeAll
    static void buildBundles() throws Exception {
        viaInterpreter = bundle(Policy.defaults());
        manifestOnly = bundle(Policy.defaults().with("scripts", "manifest-only").withInterpreters(Map.of(PYTHON, InterpreterSpec.profile("python").orElseThrow().normalized())));
    }

    /**
     * The image as build-userland.sh lays it out: the interpreter, its standard library as one zip
     * (listed as a script for the interpreter, so its imports pass the check), and the empty
     * lib-dynload directory CPython's path search expects beside it.
     */
    private static VerifiedBundle bundle(Policy policy) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "bundle");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        BundleBuilder b = new BundleBuilder().policy(policy)
                .executable(PYTHON, Guests.copy("userland/python/python3.11", dir))
                .script("/usr/lib/python311.zip", Guests.copy("userland/python/lib/python311.zip", dir), PYTHON)
                .directory("/usr/lib/python3.11/lib-dynload", empty)
                .executable("/bin/sh", Guests.copy("userland/busybox/sh", dir));
        for (var s : SCRIPTS.entrySet()) {
            Path f = dir.resolve("s" + Integer.toHexString(s.getKey().hashCode()));
            Files.writeString(f, s.getValue());
            b.script(s.getKey(), f, PYTHON);
        }
        return TestContainers.bundle(b, dir);
    }

    private static TestContainers.Run python(VerifiedBundle bundle, String script) {
        return TestContainers.run(bundle, Container.Options.defaults(), "", PYTHON, List.of(script), TIMEOUT);
    }

    @Test
    void theStandardLibraryProcessesSignalsAndSelectWorkAndWhatIsLeftOutFailsCleanly() {
        TestContainers.Run r = python(viaInterpreter, "/opt/py/smoke.py");
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("""
                {"a": "x", "b": [1, 2.5, null]}
                x,"y,z",3
                a<1>b<22>c
                /data/report.json
                628290137 True
                b'gzipped'
                [('a', 4), ('b', 2)]
                CompletedProcess(args=['/bin/sh', '-c', 'echo hi; exit 3'], returncode=3, stdout=b'hi\\n', stderr=b'')
                from-system
                system: 0
                handled: True
                select empty: []
                select ready: True b'x'
                slept: True
                thread: RuntimeError can't start new thread
                ctypes: ModuleNotFoundError No module named '_ctypes'
                recursion: maximum recursion depth exceeded
                writes bytecode: True
                """);
        assertThat(r.exitCode()).isZero();
        assertThat(r.violations()).isEmpty();
    }

    /**
     * A database in a file, shared by two processes: SQLite's unix VFS takes fcntl record locks, so
     * a second writer while another process holds a write transaction gets "database is locked"
     * (what native Debian python3.11 prints for the same script), a reader is not blocked, and the
     * writes of both land.
     */
    @Test
    void aSqliteDatabaseFileIsSharedSafelyBetweenProcesses() {
        TestContainers.Run r = python(viaInterpreter, "/opt/py/sqlite-file.py");
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("""
                second writer: database is locked
                reader sees: (100, 4950)
                child exit: 0
                after the child committed: (102, 2000)
                files: ['agent.db']
                """);
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void aScriptThatLoopsForeverIsKilledAtTheTimeout() {
        TestContainers.Run r = TestContainers.run(viaInterpreter, Container.Options.defaults(), "", PYTHON,
                List.of("/opt/py/loop.py"), Duration.ofSeconds(20));
        assertThat(r.out()).as("the interpreter was in the loop, not still starting").isEqualTo("looping\n");
        assertThat(r.result().timedOut()).isTrue();
        assertThat(r.exitCode()).isEqualTo(137);
    }

    /**
     * Allocation without bound meets the container's memory limit (64 MiB here): memory.grow is
     * refused, musl's malloc returns NULL, and CPython raises MemoryError, which the script catches.
     */
    @Test
    void allocationWithoutBoundIsAMemoryErrorAtTheContainerLimit() {
        Container.Options limited = Container.Options.defaults()
                .withConfig(KernelConfig.defaults().withMemoryLimit(64L << 20));
        TestContainers.Run r = TestContainers.run(viaInterpreter, limited, "", PYTHON, List.of("/opt/py/grow.py"), TIMEOUT);
        assertThat(r.out()).isEqualTo("allocating\nMemoryError after many MiB\n");
        assertThat(r.exitCode()).isEqualTo(3);
    }

    @Test
    void underManifestOnlyImportingAnUnlistedModuleFileIsRefusedAndRecorded() {
        InterpreterHooksTest.assertRefused(python(manifestOnly, "/opt/py/import-unlisted.py"), "/tmp/umod.py");
    }

    @Test
    void underManifestOnlyABareUnlistedPycIsRefusedToo() {
        InterpreterHooksTest.assertRefused(python(manifestOnly, "/opt/py/pyc-unlisted.py"), "/tmp/pyc/upyc.pyc");
    }

    @Test
    void underManifestOnlyAnUnlistedZipOnSysPathIsRefused() {
        InterpreterHooksTest.assertRefused(python(manifestOnly, "/opt/py/zip-unlisted.py"), "/tmp/m.zip");
    }

    @Test
    void underManifestOnlyRunpyOfAnUnlistedFileIsRefused() {
        InterpreterHooksTest.assertRefused(python(manifestOnly, "/opt/py/runpy-unlisted.py"), "/tmp/run.py");
    }

    @Test
    void underManifestOnlyAListedScriptImportsTheStdlibAndAListedModule() {
        TestContainers.Run r = python(manifestOnly, "/opt/py/listed.py");
        assertThat(r.err()).isEmpty();
        // under the bit our patch writes no .pyc (it would be unlisted code for the next import)
        assertThat(r.out()).isEqualTo("helper from a listed file [\"a\\\\.b\"] (42,)\nwrites bytecode: False\n");
        assertThat(r.exitCode()).isZero();
        assertThat(r.violations()).isEmpty();
    }

    @Test
    void underViaInterpreterTheBitsAreClearAndAnUnlistedModuleImports() {
        TestContainers.Run r = python(viaInterpreter, "/opt/py/import-unlisted.py");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(UNLISTED_RAN + "\nafter\n");
        assertThat(r.violations()).isEmpty();
    }
}
