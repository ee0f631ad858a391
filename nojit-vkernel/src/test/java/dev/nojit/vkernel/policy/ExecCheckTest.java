package dev.nojit.vkernel.policy;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.AuditEvent.Type;
import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.manifest.InterpreterSpec;
import dev.nojit.bundle.manifest.Policy;
import dev.nojit.bundle.testing.Guests;
import dev.nojit.vkernel.testing.TestContainers;
import dev.nojit.vkernel.testing.TestContainers.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The interpreter hooks of issue 16 from a real guest (wali-execcheck): execveat with
 * AT_EXECVE_CHECK answers whether the gate would let a file in as code, and the exec securebits,
 * under both {@code scripts} settings. A listed executable or script gives 0, a file that is not
 * regular EACCES as Linux, an unlisted file EACCES under via-interpreter and a violation (an
 * exec_denied event, the asking process killed) under manifest-only.
 */
class ExecCheckTest {
    private static final String LISTED = "#!/bin/wali-echo\necho listed\n";
    private static final String OWN = "echo a script listed for wali-execcheck itself, no #! line\n";
    private static final InterpreterSpec BASH = InterpreterSpec.profile("bash").orElseThrow();

    @TempDir
    static Path dir;
    static VerifiedBundle viaInterpreter, manifestOnly;

    @BeforeAll
    static void bundles() throws Exception {
        viaInterpreter = bundle(Policy.defaults());
        manifestOnly = bundle(Policy.defaults().with("scripts", "manifest-only")
                .withInterpreters(Map.of("/bin/wali-echo", BASH, "/bin/wali-execcheck", BASH)));
    }

    private static VerifiedBundle bundle(Policy policy) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in-" + System.nanoTime()));
        BundleBuilder b = new BundleBuilder().policy(policy);
        for (String g : List.of("wali-execcheck", "wali-hello", "wali-echo")) b.executable("/bin/" + g, Guests.copy(g + ".wasm", in));
        b.script("/opt/listed.sh", Files.writeString(in.resolve("listed.sh"), LISTED), "/bin/wali-echo");
        b.script("/opt/own.sh", Files.writeString(in.resolve("own.sh"), OWN), "/bin/wali-execcheck");
        b.file("/etc/motd", Files.writeString(in.resolve("motd"), "data\n"));
        Path payload = Files.createDirectories(in.resolve("payload"));
        Files.move(Guests.copy("wali-marker-evil.wasm", payload), payload.resolve("evil-x"));
        Files.setPosixFilePermissions(payload.resolve("evil-x"), PosixFilePermissions.fromString("rwxr-xr-x"));
        b.directory("/opt/payload", payload);
        return TestContainers.bundle(b, dir);
    }

    /** The answers both settings share: allowed files, files that are not regular, malformed calls. */
    private static void assertCommonAnswers(Run r) {
        assertThat(r.out()).as(r.err()).contains(
                "check listed-exe-fd ret=0\n",
                "check listed-exe-path ret=0\n",
                "check listed-script ret=0\n",
                "check own-script ret=0\n",
                "check directory ret=-13\n",
                "check pipe ret=-13\n",
                "check device ret=-13\n",
                "check listed-no-x ret=-13\n",
                "check unknown-flag ret=-22\n",
                "check top-flag-bit ret=-22\n",
                "check empty-path-without-flag ret=-2\n",
                "checks done\n");
        assertThat(r.exitCode()).isZero();
        // A passing check starts nothing: the only exec is process 1's own.
        assertThat(r.events(Type.EXEC)).hasSize(1);
    }

    @Test
    void underViaInterpreterAnUnlistedFileIsEaccesAndNothingIsRecorded() {
        Run r = TestContainers.run(viaInterpreter, "/bin/wali-execcheck", "/opt/own.sh", "checks");
        assertCommonAnswers(r);
        assertThat(r.out()).contains("check unlisted-text ret=-13\n", "child unlisted-text exited 0\n",
                "check unlisted-module ret=-13\n", "child unlisted-module exited 0\n");
        assertThat(r.violations()).isEmpty();
    }

    @Test
    void underManifestOnlyAnUnlistedFileIsAViolationThatKillsTheAskingProcess() {
        Run r = TestContainers.run(manifestOnly, "/bin/wali-execcheck", "/opt/own.sh", "checks");
        assertCommonAnswers(r);
        assertThat(r.out()).contains("child unlisted-text killed 9\n", "child unlisted-module killed 9\n")
                .doesNotContain("check unlisted-text", "check unlisted-module");
        List<AuditEvent> v = r.violations();
        assertThat(v).hasSize(2).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(Type.EXEC_DENIED);
            assertThat(e.syscall().name()).isEqualTo("execveat");
            assertThat(e.syscall().args().get("flags")).asString().contains("AT_EMPTY_PATH", "AT_EXECVE_CHECK");
            assertThat(e.action()).isEqualTo(AuditEvent.Action.KILL_PROCESS);
            assertThat(e.process().exe()).isEqualTo("/bin/wali-execcheck");
        });
        assertThat(v.get(0).target()).isEqualTo(new AuditEvent.TargetRef("/tmp/notes.sh",
                Sha256.hex("echo pwned\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertThat(v.get(1).target()).isEqualTo(new AuditEvent.TargetRef("/opt/payload/evil-x",
                Sha256.hex(Guests.bytes("wali-marker-evil.wasm"))));
    }

    @Test
    void underViaInterpreterTheExecBitsStartClearAndAGuestMaySetAndLockThem() {
        Run r = TestContainers.run(viaInterpreter, "/bin/wali-execcheck", "/opt/own.sh", "bits");
        assertThat(r.out()).as(r.err()).contains(
                "bits start ret=0\n",
                "bits clear ret=0\n",          // root may write the value it has
                "bits unknown-bit ret=-1\n",
                "bits high-word ret=-1\n",     // arg2 is read at full width
                "bits set-exec-locked ret=0\n",
                "bits unlock ret=-1\n",        // a lock, once set, stays
                "bits now ret=3856\n",         // 0xf10
                "bits child ret=3856\n",       // inherited over fork
                "bits after-exec ret=3840\n"); // kept over execve, but SECBIT_KEEP_CAPS cleared, as Linux does
        assertThat(r.exitCode()).isZero();
        assertThat(r.violations()).isEmpty();
    }

    @Test
    void underManifestOnlyEveryProcessStartsWithTheExecBitsSetAndLocked() {
        Run r = TestContainers.run(manifestOnly, "/bin/wali-execcheck", "/opt/own.sh", "bits");
        assertThat(r.out()).as(r.err()).contains(
                "bits start ret=3840\n",       // SECBIT_EXEC_RESTRICT_FILE | _LOCKED | SECBIT_EXEC_DENY_INTERACTIVE | _LOCKED
                "bits clear ret=-1\n",         // EPERM: the bits are locked
                "bits unknown-bit ret=-1\n",
                "bits high-word ret=-1\n",
                "bits set-exec-locked ret=0\n",
                "bits unlock ret=-1\n",
                "bits now ret=3856\n",
                "bits child ret=3856\n",
                "bits after-exec ret=3840\n");
        assertThat(r.exitCode()).isZero();
        assertThat(r.violations()).isEmpty();
        assertThat(r.events(Type.EXEC)).hasSize(2); // process 1, and its execve of itself
    }
}
