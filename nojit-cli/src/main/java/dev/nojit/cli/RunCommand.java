package dev.nojit.cli;

import dev.nojit.audit.AuditException;
import dev.nojit.audit.AuditLog;
import dev.nojit.audit.ContainerRef;
import dev.nojit.audit.budget.AuditBudget;
import dev.nojit.bundle.BundleReader;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.keys.Ed25519Keys;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.KernelConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code nojit run}: verifies the bundle, builds the container and runs PATH as its process 1
 * with the host's stdin, stdout and stderr. Exit codes follow {@code docker run}: process 1's
 * status, 128+N for signal N, 125 when nojit itself fails, 126 when PATH may not be
 * executed, 127 when it is not in the image.
 */
@Command(name = RunCommand.NAME, mixinStandardHelpOptions = true,
        description = "Runs PATH from a verified bundle as process 1 of a new container; stdin, stdout and stderr pass through.")
final class RunCommand implements Callable<Integer> {
    static final String NAME = "run";
    static final int NOJIT_FAILED = 125;

    @Spec
    CommandSpec spec;

    /** The whole command line ({@code run ...}) and the error stream: from picocli's spec, or set by {@link RunArgs}. */
    List<String> originalArgs;
    java.io.PrintWriter err;

    @Parameters(index = "0", paramLabel = "APP.nojit", description = "The bundle.")
    Path bundle;

    @Parameters(index = "1", paramLabel = "PATH", description = "The executable in the image to start.")
    String path;

    @Parameters(index = "2..*", paramLabel = "ARG", description = "Its arguments (after --).")
    List<String> args = new ArrayList<>();

    @Option(names = "--pubkey", required = true, paramLabel = "KEY.pub", description = "The publisher's Ed25519 public key (SPKI PEM).")
    Path pubkey;

    @Option(names = "--mount", paramLabel = "PATH=HOSTDIR[:ro]", description = "Mounts a host directory into the container (repeatable).")
    List<String> mounts = new ArrayList<>();

    @Option(names = "--env", paramLabel = "K=V", description = "Sets an environment variable of process 1 (repeatable).")
    List<String> env = new ArrayList<>();

    @Option(names = "--workdir", paramLabel = "PATH", description = "Working directory of process 1 (created if missing; default /).")
    String workdir = "/";

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Kills the container after this long (e.g. 30s, 5m, 1h, 250ms).")
    String timeout;

    enum Lockdown { strict, off }

    enum OnOff { on, off }

    @Option(names = "--host-lockdown", paramLabel = "strict|off", defaultValue = "strict",
            description = "strict: the vkernel runs as a separate, locked-down process (default); off: without the host lockdown, said so in the log.")
    Lockdown hostLockdown;

    @Option(names = "--host-jit", paramLabel = "on|off", defaultValue = "on",
            description = "off runs the vkernel JVM with -Xint: no host code generation at all (slower).")
    OnOff hostJit;

    @Option(names = "--single-jvm", hidden = true,
            description = "Runs the vkernel inside this JVM (development and benchmarks; no process split, no lockdown).")
    boolean singleJvm;

    @Option(names = "--attest-key", paramLabel = "KEY", description = "Signs the run's attestation with this Ed25519 private key (with --attestation).")
    Path attestKey;

    @Option(names = "--attestation", paramLabel = "FILE", description = "Writes the signed start and stop statements of the run here (with --attest-key; never overwritten).")
    Path attestation;

    @Option(names = "--audit-log", paramLabel = "FILE",
            description = "Where the audit log goes (JSON Lines, hash-chained; never overwritten). Default: nojit-audit-ID.jsonl in the current directory.")
    Path auditLog;

    @Option(names = "--audit-budget", paramLabel = "BYTES,EVENTS",
            description = "The audit log's budget per second: bytes (k, m, g suffixes) and events; past a 4 s burst ordinary events are "
                    + "counted instead of written, and a flood 30 s over the budget stops the container. Default: 256k,256.")
    String auditBudget;

    @Override
    public Integer call() throws Exception {
        StartupTrace.mark("shim", "parsed");
        if (spec != null) {
            originalArgs = spec.commandLine().getParseResult().originalArgs();
            err = spec.commandLine().getErr();
        }
        // A restarted shim must not outlive the JVM that started it (and whose exit code the user sees).
        if (ShimJvm.restarted()) dev.nojit.host.ProcessGuards.dieWithParent();
        boolean strictSplit = hostLockdown == Lockdown.strict && !singleJvm;
        if (strictSplit && !ShimJvm.filterSafe()) {
            if (ShimJvm.restarted()) throw new UsageException("--host-lockdown strict: the shim JVM has no fixed-size code cache even after a restart");
            // The shim locks itself down after the spawn; its JVM needs a code cache that never grows.
            return ShimJvm.restart(originalArgs);
        }
        Duration limit = timeout == null ? null : parseDuration(timeout);
        AuditBudget budget;
        try {
            budget = auditBudget == null ? AuditBudget.DEFAULT : AuditBudget.parse(auditBudget);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--audit-budget " + auditBudget + ": " + e.getMessage());
        }
        List<Container.Mount> parsedMounts = new ArrayList<>();
        for (String m : mounts) {
            try {
                parsedMounts.add(Container.parseMount(m));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        for (String e : env) {
            if (e.indexOf('=') <= 0) throw new UsageException("--env " + e + ": expected NAME=VALUE");
        }
        if (!workdir.startsWith("/")) throw new UsageException("--workdir " + workdir + ": must be an absolute path");
        Path stats = VkernelProcess.syscallStatsFile(); // refused now, in one line, if it cannot be written
        String id = containerId();
        Path logFile = auditLog != null ? auditLog : Path.of("nojit-audit-" + id + ".jsonl");
        List<RunSpec.MountSpec> mountSpecs = parsedMounts.stream()
                .map(m -> new RunSpec.MountSpec(m.containerPath(), m.hostDir().toAbsolutePath(), m.readOnly())).toList();
        VkernelProcess.Early early = null;
        if (!singleJvm) {
            // The vkernel JVM starts now and waits for its spec while this one checks the bundle (the two starts
            // overlap). If it cannot start, the run goes on as before: the spawn after the checks tries again
            // and reports the problem at its usual place.
            try {
                early = VkernelProcess.start(bundle.toAbsolutePath(), mountSpecs, pubkey, EvidencePlacement.ofRun(logFile, auditLog == null, attestation),
                        hostJit == OnOff.on, strictSplit, stats);
            } catch (java.io.IOException | RuntimeException e) {
                early = null;
            }
        }
        try (VkernelProcess.Early vkernel = early;
             VerifiedBundle b = BundleReader.open(bundle, Ed25519Keys.readPublic(pubkey))) {
            StartupTrace.mark("shim", "verified");
            refuseExisting("--audit-log", logFile);
            if ((attestKey == null) != (attestation == null)) throw new UsageException("--attest-key and --attestation go together");
            java.security.KeyPair signer = null;
            if (attestKey != null) {
                refuseExisting("--attestation", attestation);
                signer = Ed25519Keys.readPrivate(attestKey);
            }
            List<EvidencePlacement.Evidence> evidence = EvidencePlacement.ofRun(logFile, auditLog == null, attestation);
            List<EvidencePlacement.Exposed> exposed = new ArrayList<>();
            for (int i = 0; i < parsedMounts.size(); i++) {
                exposed.add(new EvidencePlacement.Exposed(mounts.get(i), parsedMounts.get(i).hostDir(), parsedMounts.get(i).readOnly()));
            }
            refusePlacement(evidence, exposed);
            RunRecords records;
            try {
                records = new RunRecords(logFile, new ContainerRef(id, b.megabinarySha256(), b.manifestSha256()), RunRecords.Engine.of(b.manifest()),
                        signer, attestation, strictSplit);
            } catch (AuditException e) {
                throw new UsageException(e.getMessage());
            }
            // Again on the files now created and held: a directory swapped in between is caught here.
            try {
                refusePlacement(evidence, exposed);
            } catch (UsageException e) {
                records.finishQuietly(err);
                throw e;
            }
            int code;
            try {
                if (singleJvm) {
                    code = runHere(b, BudgetedAudit.wrap(records.open(null), budget), parsedMounts, limit, err);
                } else {
                    RunSpec run = new RunSpec(bundle.toAbsolutePath(), null, b.megabinarySha256(), b.manifestSha256(), id, null,
                            mountSpecs, env, workdir, limit, path, args, strictSplit, budget);
                    err.flush();
                    code = vkernel != null ? vkernel.run(run, records, err)
                            : VkernelProcess.run(run, pubkey, records, evidence, hostJit == OnOff.on, strictSplit, stats, err);
                }
                records.exitCode(code);
            } catch (AuditException e) {
                throw new UsageException(e.getMessage());
            } finally {
                records.finishQuietly(err);
            }
            StartupTrace.mark("shim", "ended");
            AuditLog log = records.log();
            if (log != null) err.println("nojit run: audit log " + logFile + " (" + log.lastSeq() + " events)");
            if (attestation != null) err.println("nojit run: attestation " + attestation);
            err.flush();
            return code;
        }
    }

    /** The log and the attestation must be out of the guest's reach ({@link EvidencePlacement}): refused before anything runs. */
    private static void refusePlacement(List<EvidencePlacement.Evidence> evidence, List<EvidencePlacement.Exposed> exposed) {
        EvidencePlacement.refusal(evidence, exposed).ifPresent(why -> {
            throw new UsageException(why);
        });
    }

    /** Evidence is never overwritten: an existing non-empty file is refused before anything runs. */
    private static void refuseExisting(String option, Path file) {
        try {
            if (java.nio.file.Files.exists(file) && java.nio.file.Files.size(file) > 0) {
                throw new UsageException(option + " " + file + ": exists and is not empty (never overwritten)");
            }
        } catch (java.io.IOException e) {
            throw new UsageException(option + " " + file + ": " + e.getMessage());
        }
    }

    /** The container in this JVM (no process split). */
    private int runHere(VerifiedBundle b, dev.nojit.audit.AuditSink log, List<Container.Mount> parsedMounts, Duration limit, java.io.PrintWriter err) {
        Container.Options options = new Container.Options(KernelConfig.defaults(), parsedMounts, env, workdir,
                new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out),
                new FileOutputStream(FileDescriptor.err), log);
        Container container;
        try {
            container = Container.create(b, options);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Container.Result r;
        try (container) {
            r = container.run(path, args, limit);
            writeSyscallStats(path, container, r, System.err);
        }
        if (r.error() != null) err.println("nojit run: " + Nojit.oneLine(r.error()));
        if (r.policyStop() != null) err.println("nojit run: the policy stopped the container: " + Nojit.oneLine(r.policyStop()));
        return r.exitCode();
    }

    /** A fresh container id: 16 hex digits from a secure random source (names the run in its log and file). */
    static String containerId() {
        byte[] b = new byte[8];
        new java.security.SecureRandom().nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    /**
     * A debugging aid for compatibility runs: with NOJIT_SYSCALL_STATS=FILE, appends one line per
     * run to FILE — process 1's exit code and the calls made per syscall, unimplemented ones marked —
     * so a test harness can tell that a guest really ran. In the split the vkernel writes the line to
     * its private directory (the only place its Landlock rules let it write) and the shim appends it to
     * the user's FILE, which it checked before the run ({@link VkernelProcess#syscallStatsFile}).
     */
    static void writeSyscallStats(String path, Container container, Container.Result r, java.io.PrintStream err) {
        String file = System.getenv("NOJIT_SYSCALL_STATS");
        if (file == null || file.isEmpty()) return;
        StringBuilder sb = new StringBuilder();
        sb.append("path=").append(path).append(" exit=").append(r.exitCode()).append(" calls=");
        container.kernel().callCounts().forEach((k, v) -> sb.append(k).append(':').append(v).append(','));
        sb.append(" enosys=");
        container.kernel().unimplementedCounts().forEach((k, v) -> sb.append(k).append(':').append(v).append(','));
        sb.append('\n');
        try {
            java.nio.file.Files.writeString(Path.of(file), sb, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            err.println("nojit run: cannot write NOJIT_SYSCALL_STATS file " + file + ": " + e.getMessage());
        }
    }

    /** 30s, 5m, 1h, 250ms, a bare number of seconds, or ISO-8601 (PT30S). */
    static Duration parseDuration(String s) {
        try {
            if (s.startsWith("P") || s.startsWith("p")) return positive(Duration.parse(s), s);
            String t = s.strip().toLowerCase();
            long n;
            if (t.endsWith("ms")) return positive(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2))), s);
            char unit = t.charAt(t.length() - 1);
            if (Character.isDigit(unit)) return positive(Duration.ofSeconds(Long.parseLong(t)), s);
            n = Long.parseLong(t.substring(0, t.length() - 1));
            return positive(switch (unit) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new UsageException("--timeout " + s + ": expected a duration like 30s, 5m, 1h or 250ms");
            }, s);
        } catch (NumberFormatException | java.time.format.DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new UsageException("--timeout " + s + ": expected a duration like 30s, 5m, 1h or 250ms");
        }
    }

    private static Duration positive(Duration d, String s) {
        if (d.isNegative() || d.isZero()) throw new UsageException("--timeout " + s + ": must be positive");
        return d;
    }
}
