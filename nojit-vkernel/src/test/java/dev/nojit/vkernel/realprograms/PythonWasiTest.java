package dev.nojit.vkernel.realprograms;

import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.testing.TestContainers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CPython 3.11 from Debian's source, built for WASI preview 1 with Debian's wasi-libc and with
 * zlib and SQLite linked in (toolchain/userland/python-wasi, docs/python-wasi.md), under the
 * vkernel's WASI personality: the interpreter is the image's only module, the standard library a
 * read-only host mount at its compiled-in prefix. Each run starts a whole interpreter (seconds
 * under the engine), so the checks are grouped into few runs.
 */
class PythonWasiTest {
    private static final Path DIR = Path.of(System.getProperty("nojit.python.wasi.dir", "target/python-wasi"));
    private static final String PYTHON = "/usr/local/bin/python3.11";

    @TempDir
    static Path tmp;
    static VerifiedBundle bundle;
    static Container.Options options;

    @BeforeAll
    static void image() throws Exception {
        assertThat(DIR.resolve("bin/python.wasm")).as("built by toolchain/build-python-wasi.sh").exists();
        bundle = TestContainers.bundle(new BundleBuilder().executable(PYTHON, DIR.resolve("bin/python.wasm")), tmp);
        options = Container.Options.defaults().withMounts(List.of(
                new Container.Mount("/usr/local/lib/python3.11", DIR.resolve("lib/python3.11").toRealPath(), true)));
    }

    private static TestContainers.Run python(String code, Duration timeout) {
        return TestContainers.run(bundle, options, "", PYTHON, List.of("-c", code), timeout);
    }

    @Test
    void theStandardLibraryWorksWithZlibAndSqliteLinkedIn() {
        TestContainers.Run r = python("""
                import csv, gzip, io, json, re, sqlite3, sys, zipfile, zlib
                doc = {"name": "nojit", "langs": ["c", "python"], "n": 3, "ok": True, "pi": 3.25}
                s = json.dumps(doc, sort_keys=True)
                print(s, json.loads(s) == doc)
                print(re.findall(r"[a-z]+(\\d+)", "ab12 cd345 e6"), re.sub(r"(\\w+)@(\\w+)", r"\\2 at \\1", "me@host"))
                print(list(csv.reader(io.StringIO('a,b\\n1,"x,y"\\n'))))
                data = b"nojit " * 1000
                z = zlib.compress(data, 9)
                print(len(data), len(z), zlib.decompress(z) == data, hex(zlib.crc32(data)))
                g = gzip.compress(data, mtime=0)
                print(len(g), gzip.decompress(g) == data)
                buf = io.BytesIO()
                with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
                    zf.writestr("a.txt", data)
                with zipfile.ZipFile(buf) as zf:
                    i = zf.getinfo("a.txt")
                    print(i.compress_type, i.file_size, i.compress_size, zf.read("a.txt") == data)
                db = sqlite3.connect(":memory:")
                db.execute("create table t(k integer primary key, v text)")
                db.executemany("insert into t(v) values (?)", [(str(i * i),) for i in range(100)])
                print(db.execute("select count(*), sum(length(v)), max(k), group_concat(v) from t where k % 25 = 0").fetchone())
                print(sqlite3.sqlite_version_info >= (3, 40), sys.platform)
                """, Duration.ofMinutes(3));
        assertThat(r.err()).isEmpty();
        // What Debian's native python3.11 prints for the same code, but for sys.platform (linux there).
        assertThat(r.out()).isEqualTo("""
                {"langs": ["c", "python"], "n": 3, "name": "nojit", "ok": true, "pi": 3.25} True
                ['12', '345', '6'] host at me
                [['a', 'b'], ['1', 'x,y']]
                6000 40 True 0x78beed78
                52 True
                8 6000 34 True
                (4, 15, 100, '576,2401,5476,9801')
                True wasi
                """);
        assertThat(r.exitCode()).isZero();
        assertThat(r.violations()).isEmpty();
    }

    @Test
    void processesThreadsAndCtypesAreRefusedCleanly() {
        TestContainers.Run r = python("""
                import os, subprocess
                try:
                    subprocess.run(["/bin/true"])
                except OSError as e:
                    print("subprocess:", type(e).__name__, e)
                print("os.system:", hasattr(os, "system"), "os.fork:", hasattr(os, "fork"))
                try:
                    import ctypes
                except ImportError as e:
                    print("ctypes:", e)
                try:
                    import threading
                    threading.Thread(target=print).start()
                except RuntimeError as e:
                    print("thread:", e)
                """, Duration.ofMinutes(3));
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("""
                subprocess: OSError [Errno 58] wasi does not support processes.
                os.system: False os.fork: False
                ctypes: No module named '_ctypes'
                thread: can't start new thread
                """);
        assertThat(r.exitCode()).isZero();
        // Nothing was executed, so nothing was refused: WASI has no call that could start a process.
        assertThat(r.events(dev.nojit.audit.AuditEvent.Type.EXEC)).hasSize(1);
        assertThat(r.violations()).isEmpty();
    }

    @Test
    void deepRecursionIsARecursionErrorAndPastTheLimitAGuestCrashNeverAHostOne() {
        TestContainers.Run r = python("""
                import json, sys
                def f(n): return f(n + 1)
                try:
                    f(0)
                except RecursionError as e:
                    print("python:", e)
                l = []
                for _ in range(100000):
                    l = [l]
                try:
                    repr(l)
                except RecursionError as e:
                    print("repr:", e)
                try:
                    json.loads("[" * 100000 + "]" * 100000)
                except RecursionError as e:
                    print("json:", e)
                print(sys.getrecursionlimit(), flush=True)
                sys.setrecursionlimit(10 ** 6)
                repr(l)
                print("not reached")
                """, Duration.ofMinutes(3));
        // CPython's own limit (600 on WASI) stops Python and C recursion alike.
        assertThat(r.out()).isEqualTo("""
                python: maximum recursion depth exceeded
                repr: maximum recursion depth exceeded while getting the repr of an object
                json: maximum recursion depth exceeded while decoding a JSON array from a unicode string
                600
                """);
        // Raised past what the 512 KiB C stack holds, the stack (first in memory, --stack-first)
        // runs below address 0: the engine traps, the process dies of SIGSEGV, the host is untouched.
        assertThat(r.exitCode()).isEqualTo(139);
        assertThat(r.err()).contains("trap: out of bounds memory access");
    }

    @Test
    void aScriptThatLoopsForeverIsKilledAtTheTimeout() {
        TestContainers.Run r = python("print('looping', flush=True)\nwhile True: pass", Duration.ofSeconds(12));
        assertThat(r.out()).as("the interpreter was in the loop, not still starting").isEqualTo("looping\n");
        assertThat(r.result().timedOut()).isTrue();
        assertThat(r.exitCode()).isEqualTo(137);
    }
}
