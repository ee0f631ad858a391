package dev.nojit.cli;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.AuditException;
import dev.nojit.audit.AuditLog;
import dev.nojit.audit.AuditSink;
import dev.nojit.audit.budget.BudgetedSink;
import dev.nojit.audit.wire.AuditRelay;
import dev.nojit.host.landlock.JvmRules;
import dev.nojit.host.landlock.Landlock;
import dev.nojit.host.landlock.LandlockApplied;
import dev.nojit.host.landlock.LandlockRules;
import dev.nojit.host.seccomp.SeccompInstaller;
import dev.nojit.host.spawn.AotCache;
import dev.nojit.host.spawn.ConfinedSpawner;
import dev.nojit.host.spawn.HostModule;
import dev.nojit.host.spawn.VkernelCommand;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The shim's side of the process split: a private directory (0700) holding the run spec, a copy
 * of the publisher key and the audit socket; the vkernel JVM started with its stdio passed
 * through; the audit relay into the log the shim holds. When the vkernel dies without having
 * recorded the container's stop — killed by the host (seccomp: SIGSYS) or crashed — the shim
 * records a {@code lockdown} event and the stop itself.
 */
final class VkernelProcess {
    /**
     * How long past the container's own timeout the shim waits before killing the vkernel JVM, counted from
     * the container's start (its container_start event). The vkernel itself ends every process within
     * KillDeadline.BOUND (0.5 s) of the timeout and gives up waiting for them after Container.STOP_GRACE
     * (2 s); this is the last resort against a vkernel that is itself stuck (docs/vkernel.md).
     */
    private static final Duration BACKSTOP = Duration.ofSeconds(10);
    /** Before the container has started: time for the vkernel JVM to start and open the bundle. */
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final int SIGSYS = 31;
    /** The shim's audit budget is this many times the vkernel's (a backstop; the vkernel's own budget acts first). */
    static final int SHIM_BUDGET_FACTOR = 2;
    /** How long a vkernel whose audit relay has ended may take to stop its container before the shim kills it. */
    private static final long RELAY_GRACE_SECONDS = 5;
    /**
     * Test-only: the vkernel's main class (a test main that wraps {@link VkernelMain}); a system
     * property of the shim's own JVM, so only whoever starts nojit can set it.
     */
    static final String TEST_MAIN_PROPERTY = "nojit.test.vkernelMain";
    /**
     * Tests only: extra JVM options for the vkernel, separated by spaces (the lockdown tests open the
     * module's raw syscall package to their test main with --add-exports). Stated in the attestation.
     */
    static final String TEST_OPTIONS_PROPERTY = "nojit.test.vkernelOptions";

    /**
     * Training runs only ({@code nojit aot-cache}): the vkernel records its AOT configuration
     * ({@link AotCache#recordFlags}) in the private directory, and the shim copies it to this file
     * after the run. A system property of the shim's own JVM, like the test properties; the flags are
     * stated in the attestation like every other.
     */
    static final String AOT_RECORD_PROPERTY = "nojit.aot.recordVkernel";
    /** The variable that asks for per-run syscall counts ({@link RunCommand#writeSyscallStats}). */
    static final String SYSCALL_STATS = "NOJIT_SYSCALL_STATS";

    private static List<String> testOptions() {
        String v = System.getProperty(TEST_OPTIONS_PROPERTY, "").strip();
        return v.isEmpty() ? List.of() : List.of(v.split("\\s+"));
    }

    private VkernelProcess() {}

    /**
     * The vkernel's heap: twice the container's memory limit plus a reserve (the limit as this
     * JVM's heap allows it), so the container's host footprint follows its limit, not the host's
     * RAM (the JVM's default heap, a quarter of RAM, would let garbage pile up far past it).
     */
    static long vkernelHeap() {
        return dev.nojit.vkernel.KernelConfig.heapFor(dev.nojit.vkernel.KernelConfig.memoryLimitForHeap(Runtime.getRuntime().maxMemory()));
    }

    /**
     * The vkernel JVM, started before the shim has verified the bundle (the two JVMs' starts overlap);
     * it waits for its run spec, which the shim writes into the private directory only once the bundle
     * is verified and the records are open ({@link #run}). Until then it has no spec, no audit socket
     * and nothing to run; {@link #close} before that kills it and removes the directory. The rules and
     * the command are exactly those a later spawn would use: they depend on the command line only (the
     * bundle's path, the mounts, the evidence files), never on the bundle's content.
     */
    static final class Early implements AutoCloseable {
        private final Path priv, key, stats;
        private final Process process;
        private final LandlockApplied landlock;
        private final VkernelCommand cmd;
        private final Optional<HostModule> hostModule;
        private final Optional<Path> aotCache;
        private final String recordAot;
        private final boolean hostJit, strict;
        private final List<EvidencePlacement.Evidence> evidence;
        private final List<Path> rulePaths;
        private boolean handedOver;

        private Early(Path priv, Path key, Path stats, Process process, LandlockApplied landlock, VkernelCommand cmd,
                      Optional<HostModule> hostModule, Optional<Path> aotCache, String recordAot, boolean hostJit, boolean strict,
                      List<EvidencePlacement.Evidence> evidence, List<Path> rulePaths) {
            this.priv = priv;
            this.key = key;
            this.stats = stats;
            this.process = process;
            this.landlock = landlock;
            this.cmd = cmd;
            this.hostModule = hostModule;
            this.aotCache = aotCache;
            this.recordAot = recordAot;
            this.hostJit = hostJit;
            this.strict = strict;
            this.evidence = List.copyOf(evidence);
            this.rulePaths = List.copyOf(rulePaths);
        }

        /** Runs the container in the waiting vkernel ({@link VkernelProcess#run}); once only. */
        int run(RunSpec template, RunRecords records, PrintWriter err) throws IOException, InterruptedException {
            if (handedOver) throw new IllegalStateException("the vkernel was handed its spec already");
            handedOver = true;
            try {
                // The log and the attestation exist now (the caller created them after this spawn): the ruleset is
                // checked again on the created files, as a spawn after their creation checks it.
                EvidencePlacement.inRuleset(evidence, rulePaths).ifPresent(why -> {
                    throw new UsageException(why);
                });
                return VkernelProcess.run(this, template, records, err);
            } catch (IOException | InterruptedException | RuntimeException | Error e) {
                process.destroyForcibly(); // ended already, or never to run anything
                throw e;
            } finally {
                removePrivate(priv);
            }
        }

        /** A vkernel never handed its spec is killed (it has run nothing) and its directory removed. */
        @Override
        public void close() throws IOException {
            if (handedOver) return;
            handedOver = true;
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                removePrivate(priv);
            }
        }
    }

    /**
     * Starts the vkernel JVM, confined, waiting for its spec ({@link Early}). Throws what the spawn threw;
     * the caller then has nothing to clean up.
     *
     * @param bundle the bundle's absolute path, as the spec will name it
     * @param stats the user's NOJIT_SYSCALL_STATS file ({@link #syscallStatsFile}), or null
     */
    static Early start(Path bundle, List<RunSpec.MountSpec> mounts, Path pubkeyFile, List<EvidencePlacement.Evidence> evidence,
                       boolean hostJit, boolean strict, Path stats) throws IOException {
        if (strict) requireStrictLandlock();
        Path priv = Files.createTempDirectory("nojit-run-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        boolean started = false;
        try {
            Optional<HostModule> hostModule = HostModule.find();
            String recordAot = System.getProperty(AOT_RECORD_PROPERTY);
            Optional<Path> aotCache = recordAot != null ? Optional.empty() : vkernelAotCache();
            Path key = Files.copy(pubkeyFile, priv.resolve(PUBLIC_KEY));
            VkernelCommand cmd = new VkernelCommand(VkernelCommand.currentJava(), System.getProperty("java.class.path"), hostModule, hostJit,
                    Runtime.getRuntime().availableProcessors(), vkernelHeap(), testOptions(),
                    System.getProperty(TEST_MAIN_PROPERTY, VkernelMain.class.getName()), List.of(priv.resolve(SPEC).toString()))
                    .withAot(recordAot != null ? AotCache.recordFlags(priv.resolve("vkernel.aotconf"))
                            : aotCache.map(AotCache::useFlags).orElse(List.of()));
            ProcessBuilder builder = new ProcessBuilder(cmd.toList()).inheritIO();
            // The vkernel cannot write outside its private directory: it counts there, the shim appends to the user's file.
            if (stats != null) builder.environment().put(SYSCALL_STATS, priv.resolve("syscall-stats.txt").toString());
            Process p;
            LandlockApplied landlock = null;
            List<Path> rulePaths = List.of();
            if (strict) {
                LandlockRules rules = rules(bundle, mounts, priv, cmd, evidence, aotCache);
                rulePaths = rules.paths().stream().map(dev.nojit.host.landlock.PathRule::path).toList();
                ConfinedSpawner.Confined c = ConfinedSpawner.start(builder, rules);
                landlock = c.landlock();
                p = c.process();
            } else {
                p = builder.start();
            }
            StartupTrace.mark("shim", "spawned");
            started = true;
            return new Early(priv, key, stats, p, landlock, cmd, hostModule, aotCache, recordAot, hostJit, strict, evidence, rulePaths);
        } finally {
            if (!started) removePrivate(priv);
        }
    }

    /** The run spec's name in the private directory; the vkernel waits until it is there ({@link RunSpec#await}). */
    static final String SPEC = "spec.json";
    /** The publisher key's copy beside it (the vkernel cannot read the user's file). */
    static final String PUBLIC_KEY = "pubkey.pem";

    /**
     * @param stats the user's NOJIT_SYSCALL_STATS file ({@link #syscallStatsFile}), or null
     */
    static int run(RunSpec template, Path pubkeyFile, RunRecords records, List<EvidencePlacement.Evidence> evidence, boolean hostJit,
                   boolean strict, Path stats, PrintWriter err)
            throws IOException, InterruptedException {
        try (Early early = start(template.bundle(), template.mounts(), pubkeyFile, evidence, hostJit, strict, stats)) {
            return early.run(template, records, err);
        }
    }

    /** The hand-over: the audit relay, the shim's own lockdown, then the spec; then the wait for the vkernel. */
    private static int run(Early early, RunSpec template, RunRecords records, PrintWriter err) throws IOException, InterruptedException {
        Path priv = early.priv;
        Process p = early.process;
        boolean hostJit = early.hostJit, strict = early.strict;
        Path stats = early.stats;
        StopWatch watched = new StopWatch();
        // The log opens when the vkernel reports its lockdown (its first message) and the shim has
        // locked itself down, so that the start attestation states what is really in force.
        CompletableFuture<Spawned> spawned = new CompletableFuture<>();
        Optional<HostModule> hostModule = early.hostModule;
        Optional<Path> aotCache = early.aotCache;
        Function<Map<String, Object>, RunRecords.Observed> observe = report -> {
            Spawned s = spawnedWithin(spawned, 60);
            // The kernel's word: the cache counts as used when the vkernel has it mapped.
            Optional<Path> usedCache = aotCache.filter(c -> s.pid() > 0 && AotCache.mappedIn(s.pid(), c));
            return new RunRecords.Observed(report, s.pid(), s.landlock(), hostJit, s.jvmFlags(), hostModule, s.shimFilter(), usedCache);
        };
        // The shim keeps its own budget, twice the vkernel's: a backstop for a vkernel that does not obey.
        AuditRelay relayed = AuditRelay.listen(priv.resolve("audit.sock"),
                report -> {
                    StartupTrace.mark("shim", "report");
                    return watched.to(new BudgetedSink(records.open(observe.apply(report)), template.auditBudget().times(SHIM_BUDGET_FACTOR)));
                });
        try (AuditRelay relay = relayed) {
            RunSpec spec = new RunSpec(template.bundle(), early.key, template.megabinarySha256(), template.manifestSha256(),
                    template.containerId(), priv.resolve("audit.sock"), template.mounts(), template.env(), template.workdir(),
                    template.timeout(), template.path(), template.args(), strict, template.auditBudget());
            SeccompInstaller.Installed shimFilter = null;
            try {
                // Locked down before the vkernel has anything to run.
                if (strict) shimFilter = lockDownShim(p);
            } finally {
                // Without the shim's filter (it failed) the run is refused as not locked down.
                spawned.complete(new Spawned(p.pid(), early.landlock, early.cmd.jvmFlags(), shimFilter));
            }
            // Written whole under another name, then renamed: the vkernel never reads a partial spec.
            Path partial = Files.createFile(priv.resolve(SPEC + ".part"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            spec.write(partial);
            Files.move(partial, priv.resolve(SPEC), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            StartupTrace.mark("shim", "handed");
            // A relay that ended on a problem (a malformed message, the log failed, the shim's budget) leaves the
            // vkernel unable to record anything: it must stop; if it does not within the grace, it is killed.
            Process vkernel = p;
            relay.result().thenAccept(problem -> {
                if (problem != null) stopAfterGrace(vkernel);
            });
            boolean ended = template.timeout() == null ? waitFor(p) : waitWithBackstop(p, template.timeout(), watched);
            if (!ended) {
                p.destroyForcibly();
                p.waitFor();
            }
            int code = p.exitValue();
            String relayProblem = null;
            try {
                relayProblem = relay.result().get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                relayProblem = "the audit relay did not finish";
            }
            if (!watched.stopped) {
                // The vkernel ended without recording the stop: it was killed or crashed.
                String why = !ended ? "the vkernel did not end within its timeout; killed by the shim"
                        : code == 128 + SIGSYS ? "the vkernel was killed by the host's seccomp filter (SIGSYS)"
                        : "the vkernel ended unexpectedly (exit " + code + ")";
                if (relayProblem != null) why += "; " + relayProblem;
                AuditLog log = records.log();
                if (log == null) {
                    try {
                        log = records.open(observe.apply(null));
                    } catch (AuditException e) {
                        log = records.log(); // opened, and the refusal recorded; null if the log itself failed
                    }
                }
                if (log != null) record(log, AuditEvent.Type.LOCKDOWN, AuditEvent.Action.KILL_CONTAINER, why, Map.of("vkernel_exit", (long) code));
                if (log != null) record(log, AuditEvent.Type.CONTAINER_STOP, AuditEvent.Action.ALLOWED, null, Map.of("exit_code", (long) code, "error", why));
                err.println("nojit run: " + why);
                if (code == 0) code = RunCommand.NOJIT_FAILED; // never report success for a run that did not end cleanly
            }
            if (stats != null) appendSyscallStats(priv.resolve("syscall-stats.txt"), stats, err);
            if (early.recordAot != null) copyAotConfiguration(priv.resolve("vkernel.aotconf"), Path.of(early.recordAot));
            return code;
        }
    }

    private static void removePrivate(Path priv) throws IOException {
        try (var files = Files.walk(priv)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }

    /** The vkernel's AOT cache: {@value AotCache#VKERNEL} beside the jar nojit runs from, if there. */
    static Optional<Path> vkernelAotCache() {
        return AotCache.disabled() ? Optional.empty() : AotCache.beside(codeLocation(), AotCache.VKERNEL);
    }

    /** The jar (or class directory) nojit's own classes come from; null if unknown. */
    static Path codeLocation() {
        try {
            var source = VkernelMain.class.getProtectionDomain().getCodeSource();
            return source == null ? null : Path.of(source.getLocation().toURI());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /**
     * NOJIT_SYSCALL_STATS=FILE of the shim, as an absolute path (a relative one is relative to where
     * {@code nojit run} was started), checked now: the shim creates it if needed and must be able to
     * append to it. Null when unset. A problem is refused before anything runs, in one line.
     */
    static Path syscallStatsFile() {
        String v = System.getenv(SYSCALL_STATS);
        if (v == null || v.isEmpty()) return null;
        Path file = Path.of(v).toAbsolutePath();
        try (var ignored = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND, java.nio.file.StandardOpenOption.WRITE)) {
            return file;
        } catch (IOException | RuntimeException e) {
            throw new UsageException(SYSCALL_STATS + "=" + v + ": cannot append to it: " + Nojit.oneLine(
                    e instanceof java.nio.file.AccessDeniedException ? "permission denied" : String.valueOf(e.getMessage())));
        }
    }

    /** The most the shim takes from the vkernel's count file: one line per run is a few KiB. */
    private static final int MAX_STATS = 1 << 20;

    /**
     * What the vkernel counted (in the private directory) goes to the user's NOJIT_SYSCALL_STATS file,
     * after the vkernel has ended. The vkernel could have put anything there: a symbolic link is not
     * followed, and more than {@link #MAX_STATS} bytes is refused.
     */
    private static void appendSyscallStats(Path counted, Path to, PrintWriter err) {
        try {
            if (!Files.isRegularFile(counted, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return; // the container did not get that far
            byte[] line;
            try (var in = Files.newInputStream(counted, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                line = in.readNBytes(MAX_STATS + 1);
            }
            if (line.length > MAX_STATS) throw new IOException("the vkernel's counts exceed " + MAX_STATS + " bytes");
            Files.write(to, line, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            err.println("nojit run: cannot write " + SYSCALL_STATS + " file " + to + ": " + Nojit.oneLine(e.getMessage()));
        }
    }

    /** A training run's recorded configuration, out of the private directory before it is removed. */
    private static void copyAotConfiguration(Path recorded, Path to) throws IOException {
        if (Files.isRegularFile(recorded, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.copy(recorded, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** Strict lockdown needs Landlock ABI {@value Landlock#STRICT_MIN_ABI} or later: refused up front (usage error) otherwise. */
    static void requireStrictLandlock() {
        Optional<String> missing = Landlock.probe().require(Landlock.STRICT_MIN_ABI);
        if (missing.isPresent()) throw new UsageException("--host-lockdown strict: " + missing.get() + " (use --host-lockdown off to run without it)");
    }

    /**
     * The shim's own filter, once the vkernel is running: the same table (no new executable
     * memory, no exec, no namespace or kernel-code calls); what the shim still does — relay,
     * write and fsync the log, sign, wait for and kill the vkernel, read its /proc status —
     * needs none of that. If it cannot be installed the vkernel is stopped: fail closed.
     */
    private static SeccompInstaller.Installed lockDownShim(Process vkernel) {
        try {
            return SeccompInstaller.installVkernelFilter();
        } catch (RuntimeException e) {
            vkernel.destroyForcibly();
            throw new UsageException("--host-lockdown strict: cannot install the shim's seccomp filter: " + e.getMessage());
        }
    }

    /**
     * What the spawn established: the vkernel's pid, the Landlock ruleset it was started under, its
     * JVM flags, and the shim's own filter (null when the shim could not install it, or not strict).
     */
    private record Spawned(long pid, LandlockApplied landlock, List<String> jvmFlags, SeccompInstaller.Installed shimFilter) {
        static final Spawned NOTHING = new Spawned(-1, null, List.of(), null);
    }

    /** The spawn's result once it is known; {@link Spawned#NOTHING} if not within {@code seconds}. */
    private static Spawned spawnedWithin(CompletableFuture<Spawned> spawned, long seconds) {
        try {
            return spawned.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return Spawned.NOTHING;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Spawned.NOTHING;
        }
    }

    /**
     * The vkernel's Landlock rules: the JDK and the class path to read, the bundle to read, the
     * read-only mounts to read, the private directory and the writable mounts to read and write;
     * nothing else (no /proc, no /etc, no home directory, no audit log).
     */
    static LandlockRules rules(Path bundle, List<RunSpec.MountSpec> mounts, Path priv, VkernelCommand cmd, List<EvidencePlacement.Evidence> evidence,
                               Optional<Path> aotCache) {
        List<Path> read = new java.util.ArrayList<>(List.of(bundle));
        aotCache.ifPresent(read::add); // the JVM maps it at start
        List<Path> readWrite = new java.util.ArrayList<>(List.of(priv));
        for (RunSpec.MountSpec m : mounts) (m.readOnly() ? read : readWrite).add(m.host());
        LandlockRules rules = JvmRules.forChildJvm(Path.of(System.getProperty("java.home")), cmd.codeLocations(), read, readWrite);
        // The ruleset never names the log, the attestation or a directory above them (issue 15).
        EvidencePlacement.inRuleset(evidence, rules.paths().stream().map(dev.nojit.host.landlock.PathRule::path).toList())
                .ifPresent(why -> {
                    throw new UsageException(why);
                });
        return rules;
    }

    private static void stopAfterGrace(Process vkernel) {
        try {
            if (!vkernel.waitFor(RELAY_GRACE_SECONDS, TimeUnit.SECONDS)) vkernel.destroyForcibly();
        } catch (InterruptedException e) {
            vkernel.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static boolean waitFor(Process p) throws InterruptedException {
        p.waitFor();
        return true;
    }

    /** Waits for the vkernel until {@link #BACKSTOP} past the container's timeout; false if it is still running then. */
    private static boolean waitWithBackstop(Process p, Duration timeout, StopWatch watched) throws InterruptedException {
        long spawned = System.nanoTime();
        while (true) {
            Long started = watched.startedNanos;
            long from = started != null ? started : spawned + STARTUP.toNanos();
            long left = from + timeout.toNanos() + BACKSTOP.toNanos() - System.nanoTime();
            if (left <= 0) return false;
            if (p.waitFor(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS)) return true;
        }
    }

    private static void record(AuditLog log, AuditEvent.Type type, AuditEvent.Action action, String reason, Map<String, Object> details) {
        try {
            log.append(new AuditEvent(type, null, null, null, action, reason, new LinkedHashMap<>(details)), true);
        } catch (AuditException ignored) {
            // the log itself failed; the caller reports the exit code it has
        }
    }

    /** Passes events to the log and notes whether the container's stop was recorded. */
    private static final class StopWatch implements AuditSink {
        private AuditSink log;
        volatile boolean stopped;
        volatile Long startedNanos; // when the container_start event came: the container's timeout runs from about then

        StopWatch to(AuditSink log) {
            this.log = log;
            return this;
        }

        @Override
        public long append(AuditEvent event, boolean durable) {
            long seq = log.append(event, durable);
            if (event.type() == AuditEvent.Type.CONTAINER_START) startedNanos = System.nanoTime();
            if (event.type() == AuditEvent.Type.CONTAINER_STOP) stopped = true;
            return seq;
        }

        @Override
        public String head() {
            return log.head();
        }

        @Override
        public void close() {
            // the log belongs to the shim's caller
        }
    }
}
