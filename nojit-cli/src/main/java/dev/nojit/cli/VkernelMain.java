package dev.nojit.cli;

import dev.nojit.audit.AuditException;
import dev.nojit.audit.wire.SocketAuditSink;
import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.BundleReader;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.keys.Ed25519Keys;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.KernelConfig;
import dev.nojit.host.ProcessGuards;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The vkernel process: {@code java -cp nojit.jar dev.nojit.cli.VkernelMain SPEC.json}, started by
 * the shim ({@link VkernelProcess}) with its stdin, stdout and stderr passed through. It
 * reopens the bundle (the file is opened again here, so the signature is checked again, the
 * manifest must be the one the shim verified, and every blob is hashed when read), connects to the shim's audit socket — it
 * cannot open the audit log itself — runs the container and exits with its docker-style code.
 */
public final class VkernelMain {
    private VkernelMain() {}

    /**
     * Runs right after the vkernel's own lockdown, before the container starts. Only tests set it
     * (a test main that then calls {@link #main}), to try host-level attacks from inside a real,
     * locked-down vkernel; nothing in a container can reach it.
     */
    static Runnable afterLockdown = () -> { };

    /**
     * The longest the vkernel waits for its spec: the shim starts it before it verifies the bundle (a
     * large bundle is hashed whole first) and kills it if the run does not go ahead.
     */
    static final java.time.Duration SPEC_WAIT = java.time.Duration.ofMinutes(10);

    public static void main(String[] args) {
        StartupTrace.mark("vkernel", "main");
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
        if (args.length != 1) {
            err.println("nojit vkernel: usage: VkernelMain SPEC.json (started by nojit run)");
            System.exit(RunCommand.NOJIT_FAILED);
        }
        // While this thread sets up its process guards (native calls) and waits for the spec (the shim is still
        // checking the bundle), in the order the run needs them: the bundle check's classes and the publisher key
        // the shim copied beside the spec (the reopen), the WALI and WASI tables (each a class's one-time
        // initialization: the container), the seccomp program (the lockdown), the audit wire (a report and an
        // event encoded and decoded in memory: the report).
        Path specFile = Path.of(args[0]).toAbsolutePath();
        Warmup.inBackground("nojit-warmup", Warmup::bundleCheck, Warmup.signatureCheck(specFile.resolveSibling(VkernelProcess.PUBLIC_KEY)),
                Warmup.initialize("dev.nojit.vkernel.syscall.Syscalls"), Warmup.initialize("dev.nojit.vkernel.wasi.WasiPersonality"),
                Warmup::seccompProgram, Warmup::auditWire);
        dieWithTheShim();
        StartupTrace.mark("vkernel", "guarded");
        int code;
        try {
            RunSpec spec = RunSpec.await(Path.of(args[0]), SPEC_WAIT);
            StartupTrace.mark("vkernel", "spec");
            code = run(spec, err);
        } catch (Exception | Error e) {
            err.println("nojit run: vkernel failed: " + Nojit.oneLine(String.valueOf(e.getMessage() == null ? e : e.getMessage())));
            if ("1".equals(System.getenv("NOJIT_DEBUG"))) e.printStackTrace(err);
            code = RunCommand.NOJIT_FAILED;
        }
        err.flush();
        System.out.flush();
        Runtime.getRuntime().halt(code); // no shutdown hooks: guest threads are daemons and the log is the shim's
    }

    /**
     * The vkernel must not outlive the shim that holds its audit log: the kernel kills it when the
     * shim's spawning thread ends (PR_SET_PDEATHSIG), and a watchdog halts it if the parent is
     * gone anyway (it may have died before the prctl).
     */
    private static void dieWithTheShim() {
        ProcessGuards.dieWithParent();
        ProcessGuards.haltWhenOrphaned(137); // getppid(2), not ProcessHandle: a confined vkernel cannot read /proc
    }

    /**
     * The vkernel's own lockdown, once everything it loads natively is loaded: no core dumps and
     * no same-user ptrace (PR_SET_DUMPABLE 0), then the seccomp filter on every thread (TSYNC): no
     * new executable memory, no exec, no namespace or kernel-code calls. Fails closed: a filter
     * that cannot be installed ends the run.
     */
    private static java.util.Map<String, Object> lockDown(PrintStream err) {
        ProcessGuards.notDumpable();
        var installed = dev.nojit.host.seccomp.SeccompInstaller.installVkernelFilter();
        if (System.getenv("NOJIT_DEBUG") != null) {
            err.println("nojit: seccomp filter " + installed.sha256() + " (" + installed.instructions() + " instructions)");
        }
        return java.util.Map.of("installed", true, "sha256", installed.sha256(), "instructions", (long) installed.instructions(),
                "rules", (long) dev.nojit.host.seccomp.SeccompPolicy.vkernel().rules().size());
    }

    static int run(RunSpec spec, PrintStream err) throws BundleException, java.io.IOException {
        // The shim verified the whole bundle; the vkernel checks the signature and that the manifest is
        // the same, and hashes each blob when it reads it (BundleReader.reopen), not the whole file again.
        try (VerifiedBundle b = BundleReader.reopen(spec.bundle(), Ed25519Keys.readPublic(spec.pubkey()), spec.manifestSha256(),
                spec.megabinarySha256())) {
            StartupTrace.mark("vkernel", "reopened");
            SocketAuditSink audit;
            try {
                audit = SocketAuditSink.connect(spec.auditSocket());
            } catch (AuditException e) {
                err.println("nojit run: " + Nojit.oneLine(e.getMessage()));
                return RunCommand.NOJIT_FAILED;
            }
            try (audit) {
                List<Container.Mount> mounts = spec.mounts().stream()
                        .map(m -> new Container.Mount(m.path(), m.host(), m.readOnly())).toList();
                Container.Options options = new Container.Options(KernelConfig.defaults(), mounts, spec.env(), spec.workdir(),
                        new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out),
                        new FileOutputStream(FileDescriptor.err), BudgetedAudit.wrap(audit, spec.auditBudget()));
                try (Container container = Container.create(b, options)) {
                    StartupTrace.mark("vkernel", "created");
                    // The first message up the audit socket: what this process locked down on itself.
                    audit.report(java.util.Map.of("seccomp", spec.strict() ? lockDown(err) : java.util.Map.of("installed", false)));
                    afterLockdown.run();
                    StartupTrace.mark("vkernel", "lockeddown");
                    Container.Result r = container.run(spec.path(), spec.args(), spec.timeout());
                    StartupTrace.mark("vkernel", "exited");
                    RunCommand.writeSyscallStats(spec.path(), container, r, err);
                    if (r.error() != null) err.println("nojit run: " + Nojit.oneLine(r.error()));
                    if (r.policyStop() != null) err.println("nojit run: the policy stopped the container: " + Nojit.oneLine(r.policyStop()));
                    return r.exitCode();
                }
            }
        }
    }
}
