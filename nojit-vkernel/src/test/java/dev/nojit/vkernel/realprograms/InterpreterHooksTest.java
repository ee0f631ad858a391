package dev.nojit.vkernel.realprograms;

import dev.nojit.audit.AuditEvent;
import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.manifest.Compat;
import dev.nojit.bundle.manifest.InterpreterSpec;
import dev.nojit.bundle.manifest.Policy;
import dev.nojit.bundle.testing.Guests;
import dev.nojit.vkernel.Container;
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
 * The interpreter hooks of issue 16 in the real interpreters built from Debian's sources with
 * nojit-cc (toolchain/userland: BusyBox's ash, bash and Lua, each with a small patch of ours): before
 * one reads a file as code — ash's and bash's {@code .}/{@code source}, Lua's {@code dofile},
 * {@code loadfile} and {@code require} — it asks with {@code execveat(fd, "", AT_EMPTY_PATH |
 * AT_EXECVE_CHECK)} when its securebits carry SECBIT_EXEC_RESTRICT_FILE. Under {@code scripts:
 * manifest-only} (bits set and locked) an unlisted file is a violation: exec_denied in execveat with
 * the file's path, the interpreter killed, nothing of the file run; a listed one runs. Under
 * {@code via-interpreter} the bits are clear and both run, as before the hooks.
 */
class InterpreterHooksTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String UNLISTED_RAN = "UNLISTED RAN";

    @TempDir
    static Path tmp;
    static VerifiedBundle manifestOnly, viaInterpreter;

    /** Each interpreter's test scripts, listed for it: a runner per case, and the files they load. */
    private static final Map<String, String> SH_SCRIPTS = Map.of(
            "/opt/sh/dot-unlisted", "#!/bin/sh\necho 'echo " + UNLISTED_RAN + "' > /tmp/unlisted.sh\n. /tmp/unlisted.sh\necho \"after: $?\"\n",
            "/opt/sh/dot-listed", "#!/bin/sh\n. /opt/sh/lib.sh\necho \"dot: $LIBVAR\"\n",
            "/opt/sh/lib.sh", "LIBVAR=from-the-listed-file\n");
    private static final Map<String, String> BASH_SCRIPTS = Map.of(
            "/opt/bash/source-unlisted", "#!/bin/bash\necho 'echo " + UNLISTED_RAN + "' > /tmp/unlisted.bash\n"
                    + "source /tmp/unlisted.bash\necho \"after: $?\"\n",
            "/opt/bash/dot-unlisted", "#!/bin/bash\necho 'echo " + UNLISTED_RAN + "' > /tmp/unlisted.bash\n"
                    + ". /tmp/unlisted.bash\necho \"after: $?\"\n",
            "/opt/bash/listed", "#!/bin/bash\n. /opt/bash/lib.bash\necho \"dot: $LIBVAR\"\nLIBVAR=\n"
                    + "source /opt/bash/lib.bash\necho \"source: $LIBVAR\"\n",
            "/opt/bash/lib.bash", "LIBVAR=from-the-listed-file\n");
    private static final Map<String, String> LUA_SCRIPTS = Map.of(
            "/opt/lua/dofile-unlisted", "#!/bin/lua\nlocal f = assert(io.open('/tmp/u.lua', 'w'))\n"
                    + "f:write(\"print('" + UNLISTED_RAN + "')\")\nf:close()\ndofile('/tmp/u.lua')\nprint('after')\n",
            "/opt/lua/require-unlisted", "#!/bin/lua\nlocal f = assert(io.open('/tmp/umod.lua', 'w'))\n"
                    + "f:write(\"print('" + UNLISTED_RAN + "') return {}\")\nf:close()\npackage.path = '/tmp/?.lua'\n"
                    + "require('umod')\nprint('after')\n",
            "/opt/lua/listed", "#!/bin/lua\nprint('dofile: ' .. dofile('/opt/lua/lib.lua'))\n"
                    + "package.path = '/opt/lua/?.lua'\nprint('require: ' .. require('listedmod').name)\n",
            "/opt/lua/lib.lua", "return 'from-the-listed-file'\n",
            "/opt/lua/listedmod.lua", "return { name = 'listedmod' }\n");

    @BeforeAll
    static void buildBundles() throws Exception {
        manifestOnly = bundle(Policy.defaults().with("scripts", "manifest-only").withInterpreters(Map.of(
                "/bin/sh", InterpreterSpec.profile("bash").orElseThrow(),
                "/bin/bash", InterpreterSpec.profile("bash").orElseThrow(),
                "/bin/lua", InterpreterSpec.profile("lua").orElseThrow())));
        viaInterpreter = bundle(Policy.defaults());
    }

    private static VerifiedBundle bundle(Policy policy) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "bundle");
        BundleBuilder b = new BundleBuilder().policy(policy)
                .executable("/bin/sh", Guests.copy("userland/busybox/sh", dir))
                .executable("/bin/bash", Guests.copy("userland/bash/bash", dir))
                .compat("/bin/bash", Compat.LENIENT_CALL_INDIRECT) // bash calls through mistyped function pointers
                .executable("/bin/lua", Guests.copy("userland/lua/lua", dir));
        add(b, dir, SH_SCRIPTS, "/bin/sh");
        add(b, dir, BASH_SCRIPTS, "/bin/bash");
        add(b, dir, LUA_SCRIPTS, "/bin/lua");
        return TestContainers.bundle(b, dir);
    }

    private static void add(BundleBuilder b, Path dir, Map<String, String> scripts, String interpreter) throws Exception {
        for (var s : scripts.entrySet()) {
            Path f = dir.resolve("s" + Integer.toHexString(s.getKey().hashCode()));
            Files.writeString(f, s.getValue());
            b.script(s.getKey(), f, interpreter);
        }
    }

    private static TestContainers.Run run(VerifiedBundle bundle, String script) {
        return TestContainers.run(bundle, Container.Options.defaults(), "", script, List.of(), TIMEOUT);
    }

    /** The refusal: one exec_denied in execveat naming {@code file}, the interpreter killed, nothing of the file run. */
    static void assertRefused(TestContainers.Run r, String file) {
        assertThat(r.out()).doesNotContain(UNLISTED_RAN, "after");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(137);
        assertThat(r.violations()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(AuditEvent.Type.EXEC_DENIED);
            assertThat(e.syscall().name()).isEqualTo("execveat");
            assertThat(e.target().path()).isEqualTo(file);
            assertThat(e.action()).isEqualTo(AuditEvent.Action.KILL_PROCESS);
        });
    }

    /** Under manifest-only, a listed runner that reads listed files prints {@code out}, with no violation. */
    private static void assertReadListed(String script, String out) {
        TestContainers.Run r = run(manifestOnly, script);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(out);
        assertThat(r.violations()).isEmpty();
    }

    private static void assertRanUnlisted(TestContainers.Run r) {
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains(UNLISTED_RAN, "after");
        assertThat(r.violations()).isEmpty();
    }

    @Test
    void ashRefusesToDotAnUnlistedFileUnderManifestOnly() {
        assertRefused(run(manifestOnly, "/opt/sh/dot-unlisted"), "/tmp/unlisted.sh");
    }

    @Test
    void ashDotsAListedFile() {
        assertReadListed("/opt/sh/dot-listed", "dot: from-the-listed-file\n");
    }

    @Test
    void bashRefusesToSourceOrDotAnUnlistedFileUnderManifestOnly() {
        assertRefused(run(manifestOnly, "/opt/bash/source-unlisted"), "/tmp/unlisted.bash");
        assertRefused(run(manifestOnly, "/opt/bash/dot-unlisted"), "/tmp/unlisted.bash");
    }

    @Test
    void bashSourcesAListedFile() {
        assertReadListed("/opt/bash/listed", "dot: from-the-listed-file\nsource: from-the-listed-file\n");
    }

    @Test
    void luaRefusesDofileAndRequireOfUnlistedFilesUnderManifestOnly() {
        assertRefused(run(manifestOnly, "/opt/lua/dofile-unlisted"), "/tmp/u.lua");
        assertRefused(run(manifestOnly, "/opt/lua/require-unlisted"), "/tmp/umod.lua");
    }

    @Test
    void luaLoadsListedFilesWithDofileAndRequire() {
        assertReadListed("/opt/lua/listed", "dofile: from-the-listed-file\nrequire: listedmod\n");
    }

    @Test
    void underViaInterpreterTheBitsAreClearAndTheInterpretersReadAnyFile() {
        assertRanUnlisted(run(viaInterpreter, "/opt/sh/dot-unlisted"));
        assertRanUnlisted(run(viaInterpreter, "/opt/bash/source-unlisted"));
        assertRanUnlisted(run(viaInterpreter, "/opt/lua/dofile-unlisted"));
        assertRanUnlisted(run(viaInterpreter, "/opt/lua/require-unlisted"));
    }
}
