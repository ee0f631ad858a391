package dev.nojit.cli;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.AuditException;
import dev.nojit.audit.AuditVerifier;
import dev.nojit.audit.attest.AttestationException;
import dev.nojit.audit.attest.AttestationFile;
import dev.nojit.audit.attest.HostLockdown;
import dev.nojit.audit.attest.LogBinding;
import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.BundleReader;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.keys.Ed25519Keys;
import dev.nojit.bundle.manifest.ImageEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The main job: the seed's malicious agent task, end to end, narrated. Builds and signs the embedded
 * example bundle, shows that a tampered copy is refused, runs the agent task with {@code nojit run}
 * (its own JVMs: the shim and the locked-down vkernel) while following its output and the audit log
 * live, then prints what was expected and what happened, verifies the audit log and the signed
 * attestation, and says where they are. Exit 0 only when the useful work succeeded, both attacks
 * were refused and recorded, and both records verify.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The main job: builds the embedded example bundle and runs its agent task, which does useful work with "
                + "approved tools, then runs a downloaded ELF and a script it wrote; both are refused and recorded. "
                + "Narrates each step, prints a summary, and verifies the audit log and the attestation it wrote. "
                + "--python runs the same story in Python.",
                "Exit status: 0 everything as expected, 1 something was not."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "Work directory for the keys, inputs, bundle, audit log and attestation (default: a new temporary directory).")
    Path dir;

    @Option(names = "--python", description = "Run the Python variant of the agent task (task.py under CPython built "
            + "from Debian's source): the same useful work with the standard library, then a downloaded ELF and a written "
            + "script through subprocess, and an import of a module it wrote; all refused and recorded.")
    boolean python;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "Colour: auto (when stdout is a terminal), always, never. Default: ${DEFAULT-VALUE}.")
    ColorMode color;

    @Override
    public Integer call() throws Exception {
        Narrator say = new Narrator(spec.commandLine().getOut(), color.enabled());
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("nojit-demo-");
        try (var existing = Files.list(work)) {
            if (existing.findAny().isPresent()) throw new UsageException("--dir " + work + " is not empty");
        }

        Path inputs = work.resolve("inputs");
        EmbeddedGuests.extractTo(inputs);
        say.step(1, "extracted the example's inputs (C programs compiled to WebAssembly, scripts, data) to " + inputs);

        KeyPair publisher = Ed25519Keys.generate(), attester = Ed25519Keys.generate();
        Path key = work.resolve("demo.key"), attestKey = work.resolve("attest.key");
        Ed25519Keys.write(publisher, key);
        Ed25519Keys.write(attester, attestKey);
        say.step(2, "generated two Ed25519 keys: the publisher's " + key + " and the run attester's " + attestKey);

        Path bundle = work.resolve("example.nojit");
        AgentTask task = python ? ExampleBundle.PYTHON_TASK : ExampleBundle.SHELL_TASK;
        BundleBuilder.Result built = python ? ExampleBundle.buildPython(inputs, publisher, bundle) : ExampleBundle.build(inputs, publisher, bundle);
        var policy = built.manifest().policy();
        say.step(3, "built and signed " + bundle + " (" + built.bytes() + " bytes): " + built.manifest().entries().size()
                + " image entries; policy exec " + policy.exec() + ", scripts " + policy.scripts() + ", memory " + policy.memory()
                + ", on violation " + policy.onViolation());
        try (VerifiedBundle verified = BundleReader.open(bundle, publisher.getPublic())) {
            say.detail("the only code that may run: " + String.join(", ", executables(verified)));
        }
        refuseTampered(say, bundle, work.resolve("tampered.nojit"), publisher);

        Path log = work.resolve("audit.jsonl"), attestation = work.resolve("run.attestation.jsonl");
        List<String> args = new ArrayList<>(List.of("run", bundle.toString(), "--pubkey", Ed25519Keys.publicKeyPath(key).toString(),
                "--audit-log", log.toString(), "--attest-key", attestKey.toString(), "--attestation", attestation.toString(), "--"));
        args.add(task.script());
        say.step(5, "running the agent task " + task.script() + " with nojit run (strict host lockdown); live:");
        List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
        LiveRun run = new LiveRun(args, log, line -> {
            output.add(line);
            say.taskOutput(line);
        }, say::nojitOutput, e -> narrate(say, e));
        int exit = run.run(task.timeoutSeconds());
        say.detail("nojit run exited with " + exit);

        DemoOutcome outcome = DemoOutcome.judge(task, exit, output, run.events());
        say.step(6, "what was expected and what happened:");
        outcome.print(say);

        say.step(7, "checking the records:");
        boolean recordsOk = checkRecords(say, log, attestation, Ed25519Keys.publicKeyPath(attestKey));
        say.plain("");
        say.plain("The audit log:   " + log);
        say.plain("The attestation: " + attestation);
        say.plain("Try: ./nojit audit show " + log);
        say.plain("     ./nojit attest verify " + attestation + " --pubkey " + Ed25519Keys.publicKeyPath(attestKey));
        boolean ok = outcome.allAsExpected() && recordsOk;
        say.plain(ok ? say.green("demo: everything as expected") : say.red("demo: NOT as expected (see above)"));
        return ok ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private static List<String> executables(VerifiedBundle b) {
        List<String> out = new ArrayList<>();
        for (ImageEntry e : b.manifest().entries()) {
            switch (e) {
                case ImageEntry.Executable x -> out.add(x.path());
                case ImageEntry.Script x -> out.add(x.path() + " (script for " + x.interpreter() + ")");
                default -> { }
            }
        }
        return out;
    }

    private static void refuseTampered(Narrator say, Path bundle, Path tampered, KeyPair publisher) throws java.io.IOException {
        byte[] bytes = Files.readAllBytes(bundle);
        int at = bytes.length / 2;
        bytes[at] ^= 0x01;
        Files.write(tampered, bytes);
        try (VerifiedBundle unexpected = BundleReader.open(tampered, publisher.getPublic())) {
            throw new IllegalStateException("a tampered bundle verified: " + unexpected.path());
        } catch (BundleException refused) {
            say.step(4, "verified the bundle; a copy with one bit flipped at offset " + at + " is refused:");
            say.detail(refused.getMessage());
        }
    }

    /**
     * One line per audit event worth showing while the task runs: every refusal. (Programs started are
     * counted in the summary: their events reach the log a little after the output they cause, and
     * would read out of order.)
     */
    private static void narrate(Narrator say, ObjectNode e) {
        String type = LiveRun.text(e, "type");
        String seq = "#" + LiveRun.text(e, "seq");
        var target = e.path("target");
        String sha = target.has("sha256") ? " sha256:" + target.get("sha256").asString().substring(0, 12) + "…" : "";
        if (LiveRun.isViolation(e)) {
            say.refused(seq + " " + type + " " + AuditTable.clean(target.path("path").asString("")) + sha + ": "
                    + AuditTable.clean(LiveRun.text(e, "reason")) + " -> " + LiveRun.text(e, "action"));
        } else if (type.equals(AuditEvent.Type.LOCKDOWN.json())) {
            say.detail(seq + " lockdown: " + AuditTable.clean(LiveRun.text(e, "reason")));
        } // container start/stop, execs and process exits are in the summary
    }

    private static boolean checkRecords(Narrator say, Path log, Path attestation, Path attestPub) {
        AuditVerifier.Verification v;
        try {
            v = AuditVerifier.verify(log);
        } catch (AuditException e) {
            say.refused("audit log unreadable: " + e.getMessage());
            return false;
        }
        if (!v.intact()) {
            say.refused("audit log chain BROKEN: " + v.problem());
            return false;
        }
        say.allowed("audit log: " + v.events() + " events, hash chain intact, last hash " + v.lastHash());
        try {
            AttestationFile.AttestedRun run = AttestationFile.read(attestation, Ed25519Keys.readPublic(attestPub));
            String binding = LogBinding.problem(run, v);
            if (binding != null) {
                say.refused("the audit log is not the attested run's: " + binding);
                return false;
            }
            HostLockdown l = run.start().statement().lockdown();
            say.allowed("attestation: start and stop statements signed by the attester; the log is the run's whole log "
                    + "(line 1 chained to the start statement, last hash and count in the stop statement)");
            say.detail("host lockdown in force: " + l.mode() + "; vkernel seccomp " + (l.seccomp().installed() ? "on" : "OFF")
                    + ", shim seccomp " + (l.shimSeccomp().installed() ? "on" : "OFF") + ", Landlock ABI " + l.landlock().abi()
                    + (l.landlock().enforced() ? " enforced" : " NOT enforced") + ", no_new_privs " + (l.noNewPrivs() ? "set" : "NOT set")
                    + ", native access: " + l.jvm().nativeAccess().module());
            return true;
        } catch (AttestationException | BundleException e) {
            say.refused("attestation: " + e.getMessage());
            return false;
        }
    }
}
