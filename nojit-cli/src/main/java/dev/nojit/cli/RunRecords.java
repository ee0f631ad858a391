package dev.nojit.cli;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.AuditException;
import dev.nojit.audit.AuditLog;
import dev.nojit.audit.ContainerRef;
import dev.nojit.audit.attest.AttestationException;
import dev.nojit.audit.attest.HostLockdown;
import dev.nojit.audit.attest.RunAttestation;
import dev.nojit.audit.attest.RunAttester;
import dev.nojit.bundle.Sha256;
import dev.nojit.host.landlock.Access;
import dev.nojit.host.landlock.LandlockApplied;
import dev.nojit.host.landlock.PathRule;
import dev.nojit.host.seccomp.ProcStatus;
import dev.nojit.host.seccomp.SeccompInstaller;
import dev.nojit.host.seccomp.SeccompPolicy;
import dev.nojit.host.spawn.HostModule;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The shim's records of one run: the start attestation (with {@code --attest-key}), the audit log
 * chained to it, and the stop attestation. The log is opened only once the vkernel's lockdown is
 * known — the start statement states what is in force, read back from the kernel
 * ({@code /proc/<vkernel>/status}) where it can be, and the log's first {@code prev} is that
 * statement's digest. Under strict lockdown a run whose filters (vkernel and shim), no_new_privs or
 * Landlock ruleset are not in force is refused: the log records why and the run stops.
 */
final class RunRecords {
    private final Path logFile;
    private final ContainerRef container;
    private final KeyPair attestKey;
    private final Path attestFile;
    private final boolean strict;
    private final Engine engine;
    private final Instant start = Instant.now();
    private final AuditLog.Reserved reserved;
    private final boolean preexisting; // an empty file was given: never deleted
    private AuditLog log;
    private RunAttester attester;

    /**
     * Creates the log file (and the attestation file, empty) now and keeps the log's descriptor
     * for the whole run: the files are placed before the vkernel exists (docs/audit.md, "Where the
     * log may lie"); the chain starts later, in {@link #open}.
     */
    /** The engine mode the attestation states: the manifest policy's {@code engine} and the executables that run AOT. */
    record Engine(String mode, List<String> aotExecutables) {
        static Engine of(dev.nojit.bundle.manifest.Manifest m) {
            return new Engine(m.policy().engine(), m.aotExecutables().stream().map(x -> x.path()).sorted().toList());
        }
    }

    RunRecords(Path logFile, ContainerRef container, Engine engine, KeyPair attestKey, Path attestFile, boolean strict) {
        this.engine = engine;
        this.logFile = logFile;
        this.container = container;
        this.attestKey = attestKey;
        this.attestFile = attestFile;
        this.strict = strict;
        this.preexisting = Files.exists(logFile, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                || attestFile != null && Files.exists(attestFile, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (attestFile != null) {
            try {
                Files.createFile(attestFile, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // an empty file, checked by the caller: used as it is (AttestationFile.writeStart checks again)
            } catch (IOException e) {
                throw new AuditException("cannot create the attestation " + attestFile + ": " + e.getMessage(), e);
            }
        }
        this.reserved = AuditLog.reserve(logFile);
    }

    /** What the shim knows when the vkernel reports: its report, its pid, the Landlock it was started under. */
    record Observed(Map<String, Object> report, long vkernelPid, LandlockApplied landlock, boolean hostJit, List<String> jvmFlags,
                    Optional<HostModule> nativeAccess, SeccompInstaller.Installed shimFilter, Optional<Path> vkernelAotCache) {}

    /** Opens the log (and writes the start statement); AuditException when strict lockdown is not in force. */
    synchronized AuditLog open(Observed seen) {
        if (log != null) return log;
        HostLockdown lockdown = lockdown(seen);
        String genesis = "0".repeat(64);
        if (attestKey != null) {
            try {
                attester = RunAttester.start(attestFile, attestKey, RunAttestation.start(container.id(), start,
                        container.megabinarySha256(), container.manifestSha256(), Version.get(), jarSha256(), engine.mode(), engine.aotExecutables(),
                        lockdown));
            } catch (IOException | AttestationException e) {
                throw new AuditException("cannot write the attestation " + attestFile + ": " + e.getMessage(), e);
            }
            genesis = attester.genesis();
        }
        log = reserved.start(container, genesis);
        String missing = strict ? missing(lockdown) : null;
        if (missing != null) {
            log.append(new AuditEvent(AuditEvent.Type.LOCKDOWN, null, null, null, AuditEvent.Action.KILL_CONTAINER,
                    "strict host lockdown not in force: " + missing, Map.of()), true);
            throw new AuditException("strict host lockdown not in force: " + missing);
        }
        if (!strict) {
            log.append(new AuditEvent(AuditEvent.Type.LOCKDOWN, null, null, null, AuditEvent.Action.ALLOWED,
                    "--host-lockdown off: the vkernel runs without seccomp and Landlock", Map.of()), false);
        }
        return log;
    }

    synchronized AuditLog log() {
        return log;
    }

    /** {@link #finish} with the exit code recorded by the container_stop event; problems as one line on {@code err}. */
    void finishQuietly(java.io.PrintWriter err) {
        try {
            finish(stopCode);
        } catch (IOException | AttestationException | AuditException e) {
            err.println("nojit run: " + Nojit.oneLine(e.getMessage()));
        }
    }

    private volatile int stopCode;

    /** The run's exit code, for the stop statement. */
    void exitCode(int code) {
        stopCode = code;
    }

    /** Closes the log and writes the stop statement. */
    synchronized void finish(int exitCode) throws IOException, AttestationException {
        if (log == null) {
            // Refused before the log started (e.g. no strict Landlock): leave no empty files behind.
            reserved.close();
            if (!preexisting) {
                deleteIfEmpty(logFile);
                if (attestFile != null && attester == null) deleteIfEmpty(attestFile);
            }
            return;
        }
        log.close();
        if (attester != null) attester.stop(Instant.now(), exitCode & 0xff, log.head(), log.lastSeq());
    }

    private static void deleteIfEmpty(Path file) throws IOException {
        if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.size(file) == 0) Files.deleteIfExists(file);
    }

    private HostLockdown lockdown(Observed seen) {
        Map<String, Object> report = seen == null ? null : seen.report();
        Object sc = report == null ? null : report.get("seccomp");
        HostLockdown.Seccomp seccomp = HostLockdown.Seccomp.none();
        if (sc instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("installed")) && m.get("sha256") instanceof String sha
                && Sha256.isHex(sha) && m.get("rules") instanceof Long rules) {
            seccomp = new HostLockdown.Seccomp(true, sha, rules.intValue());
        }
        ProcStatus status = null;
        if (seen != null && seen.vkernelPid() > 0) {
            try {
                status = ProcStatus.of(seen.vkernelPid());
            } catch (RuntimeException gone) {
                // the vkernel has already ended
            }
        }
        // The kernel's word over the vkernel's: a filter the kernel does not show is not installed.
        if (status == null || status.seccomp() != ProcStatus.SECCOMP_MODE_FILTER) seccomp = HostLockdown.Seccomp.none();
        boolean nnp = status != null && status.noNewPrivs() == 1;
        HostLockdown.Seccomp shim = HostLockdown.Seccomp.none();
        if (seen != null && seen.shimFilter() != null && ProcStatus.selfOrPrctl().filtered()) {
            shim = new HostLockdown.Seccomp(true, seen.shimFilter().sha256(), SeccompPolicy.vkernel().rules().size());
        }
        HostLockdown.Landlock landlock = seen == null || seen.landlock() == null ? HostLockdown.Landlock.none(0)
                : new HostLockdown.Landlock(seen.landlock().abi(), true, rules(seen.landlock()));
        HostLockdown.NativeAccess nativeAccess = seen == null || seen.nativeAccess().isEmpty()
                ? new HostLockdown.NativeAccess(HostLockdown.NativeAccess.CLASS_PATH, null)
                : new HostLockdown.NativeAccess(HostModule.NAME, codeSha256(seen.nativeAccess().get().location()));
        // The AOT caches change what each JVM loads: named by digest when attested (hashing costs a few ms).
        String vkernelAot = attestKey == null || seen == null ? null : seen.vkernelAotCache().map(RunRecords::codeSha256).orElse(null);
        String shimAot = attestKey == null ? null : ShimJvm.aotCache().map(RunRecords::codeSha256).orElse(null);
        HostLockdown.Jvm jvm = new HostLockdown.Jvm(seen != null && !seen.hostJit() ? "off" : "on",
                seen == null ? List.of() : seen.jvmFlags(), nativeAccess, vkernelAot, shimAot);
        return new HostLockdown(strict ? "strict" : "off", seccomp, shim, landlock, nnp, jvm);
    }

    private static List<HostLockdown.Rule> rules(LandlockApplied applied) {
        List<HostLockdown.Rule> out = new ArrayList<>();
        for (PathRule r : applied.rules().paths()) {
            List<String> names = r.rights().stream().sorted(Comparator.comparingLong(Access::bit))
                    .map(a -> a.name().toLowerCase(Locale.ROOT)).toList();
            out.add(new HostLockdown.Rule(r.path().toString(), names));
        }
        return out;
    }

    private static String missing(HostLockdown l) {
        List<String> m = new ArrayList<>();
        if (!l.seccomp().installed()) m.add("no seccomp filter on the vkernel");
        if (!l.noNewPrivs()) m.add("no_new_privs not set");
        if (!l.landlock().enforced()) m.add("no Landlock ruleset");
        if (!l.shimSeccomp().installed()) m.add("no seccomp filter on the shim");
        return m.isEmpty() ? null : String.join(", ", m);
    }

    /** The SHA-256 of nojit's own code ({@link #codeSha256} of the jar or directory this class came from). */
    static String jarSha256() {
        Path code = VkernelProcess.codeLocation();
        if (code == null) throw new IllegalStateException("cannot hash nojit's own code: its location is unknown");
        return codeSha256(code);
    }

    /**
     * The SHA-256 of code at {@code where}: of the jar, or — for a class directory (development,
     * tests) — of the sorted list of every file's relative path and SHA-256.
     */
    static String codeSha256(Path where) {
        try {
            MessageDigest d = Sha256.newDigest();
            if (Files.isRegularFile(where)) {
                try (InputStream in = Files.newInputStream(where)) {
                    byte[] buf = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buf)) > 0) d.update(buf, 0, n);
                }
            } else {
                try (Stream<Path> files = Files.walk(where)) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        d.update((where.relativize(f) + " " + Sha256.hex(Files.readAllBytes(f)) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            }
            return Sha256.toHex(d.digest());
        } catch (IOException e) {
            throw new IllegalStateException("cannot hash nojit's code at " + where + ": " + e.getMessage(), e);
        }
    }
}
