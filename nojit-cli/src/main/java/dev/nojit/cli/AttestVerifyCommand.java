package dev.nojit.cli;

import dev.nojit.audit.attest.AttestationException;
import dev.nojit.audit.attest.AttestationFile;
import dev.nojit.audit.attest.HostLockdown;
import dev.nojit.audit.attest.RunAttestation;
import dev.nojit.bundle.keys.Ed25519Keys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.Callable;

/**
 * {@code nojit attest verify FILE --pubkey KEY.pub}: checks both statements of a run's attestation
 * file ({@link AttestationFile#read}) and prints what they state; exit 1 and one line on stderr
 * when a check fails, a missing stop statement included.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Checks a run's attestation file: the start and the stop statement, both signed by KEY, the stop one naming the start one. "
                + "Prints what they state: the container, the bundle digests, the host lockdown in force, the audit log's end.",
                "Exit status: 0 verified, 1 a check failed (also when the stop statement is missing), 2 usage."})
final class AttestVerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The attestation file (JSON Lines: start envelope, stop envelope).")
    Path file;

    @Option(names = "--pubkey", required = true, paramLabel = "KEY.pub", description = "The Ed25519 public key of --attest-key (SPKI PEM).")
    Path pubkey;

    @Override
    public Integer call() throws Exception {
        PublicKey key = Ed25519Keys.readPublic(pubkey);
        AttestationFile.AttestedRun run;
        try {
            run = AttestationFile.read(file, key);
        } catch (AttestationException e) {
            spec.commandLine().getErr().println("nojit attest verify: attestation " + file + ": " + Nojit.oneLine(e.getMessage()));
            spec.commandLine().getErr().flush();
            return ExitCodes.CHECK_FAILED;
        }
        print(spec.commandLine().getOut(), run, Ed25519Keys.keyId(key));
        return ExitCodes.OK;
    }

    private void print(PrintWriter w, AttestationFile.AttestedRun run, String keyid) {
        RunAttestation s = run.stop().statement();
        RunAttestation.Stop end = s.stop();
        HostLockdown l = s.lockdown();
        w.println("verified:     " + file + " (start and stop statements, signed by keyid " + keyid + ")");
        w.println("container:    " + AuditTable.clean(s.containerId()) + ", started " + s.startTime() + ", stopped " + end.stopTime()
                + ", exit code " + end.exitCode());
        w.println("megabinary:   sha256:" + s.megabinarySha256());
        w.println("manifest:     sha256:" + s.manifestSha256());
        w.println("nojit:        " + AuditTable.clean(s.nojitVersion()) + ", jar sha256:" + s.jarSha256());
        w.println("engine:       " + s.engine() + (s.aotExecutables().isEmpty() ? "" : " (AOT: " + String.join(" ", s.aotExecutables()) + ")"));
        w.println("lockdown:     " + l.mode());
        w.println("  seccomp:    " + filter(l.seccomp()));
        w.println("  shim:       " + filter(l.shimSeccomp()));
        w.println("  landlock:   ABI " + l.landlock().abi() + ", " + (l.landlock().enforced()
                ? "ruleset enforced, " + l.landlock().rules().size() + " rules" : "no ruleset"));
        for (HostLockdown.Rule r : l.landlock().rules()) {
            w.println("              " + AuditTable.clean(r.path()) + "  " + String.join(",", r.access()));
        }
        w.println("  no_new_privs: " + (l.noNewPrivs() ? "set" : "not set"));
        HostLockdown.NativeAccess na = l.jvm().nativeAccess();
        w.println("  native:     " + (na.sha256() == null ? "the whole class path (" + na.module() + ")"
                : "module " + AuditTable.clean(na.module()) + " only, sha256:" + na.sha256()));
        w.println("  jvm:        JIT " + l.jvm().jit() + (l.jvm().flags().isEmpty() ? "" : ", " + AuditTable.clean(String.join(" ", l.jvm().flags()))));
        w.println("  aot cache:  vkernel " + aot(l.jvm().aotCacheSha256()) + ", shim " + aot(l.jvm().shimAotCacheSha256()));
        w.println("audit log:    " + end.auditEvents() + " events, genesis " + run.genesis() + ", last hash " + end.auditLastHash());
        w.flush();
    }

    private static String aot(String sha256) {
        return sha256 == null ? "none" : "sha256:" + sha256;
    }

    private static String filter(HostLockdown.Seccomp s) {
        return s.installed() ? "filter installed, " + s.rules() + " rules, program sha256:" + s.sha256() : "no filter";
    }
}
