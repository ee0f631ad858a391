package dev.nojit.cli;

import dev.nojit.audit.AuditException;
import dev.nojit.audit.AuditVerifier;
import dev.nojit.audit.attest.AttestationException;
import dev.nojit.audit.attest.AttestationFile;
import dev.nojit.audit.attest.LogBinding;
import dev.nojit.bundle.keys.Ed25519Keys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code nojit audit verify FILE [--attestation FILE --pubkey KEY.pub]}: exit 0 when the chain is
 * intact (and, with an attestation, bound to that run), exit 1 and the first problem (one line, on
 * stderr) when it is not or a file cannot be read.
 *
 * <p>With {@code --attestation}, after the chain: the attestation file must verify
 * ({@link AttestationFile#read}: both statements, signed by KEY), and the log must be that run's
 * whole log ({@link LogBinding}: container and digests, line 1's prev = the start statement's
 * digest, event count and last hash = what the stop statement attests). That catches a log of
 * another run and lines cut from the end, which the chain alone cannot see.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Checks an audit log: every line canonical JSON, seq 1, 2, 3, … without a gap, each prev the previous line's hash, "
                + "each hash its own content's SHA-256, one container throughout. Names the first bad line.",
                "With --attestation and --pubkey, also proves the log is the attested run's whole log: line 1's prev is the start "
                        + "statement's digest, and the event count and last hash are what the stop statement attests (no line cut off the end).",
                "Exit status: 0 intact (and bound), 1 a problem or an unreadable file, 2 usage."})
final class AuditVerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The audit log (JSON Lines).")
    Path file;

    @Option(names = "--attestation", paramLabel = "FILE", description = "The run's attestation file (needs --pubkey).")
    Path attestation;

    @Option(names = "--pubkey", paramLabel = "KEY.pub", description = "The Ed25519 public key the attestation is signed with (SPKI PEM).")
    Path pubkey;

    @Override
    public Integer call() throws Exception {
        if ((attestation == null) != (pubkey == null)) throw new UsageException("--attestation and --pubkey go together");
        var key = pubkey == null ? null : Ed25519Keys.readPublic(pubkey);
        AuditVerifier.Verification v;
        try {
            v = AuditVerifier.verify(file);
        } catch (AuditException e) {
            return fail(e.getMessage());
        }
        if (!v.intact()) return fail("audit log " + file + ": " + v.problem());
        AttestationFile.AttestedRun run = null;
        if (attestation != null) {
            try {
                run = AttestationFile.read(attestation, key);
            } catch (AttestationException e) {
                return fail("attestation " + attestation + ": " + e.getMessage());
            }
        }
        String binding = run == null ? null : LogBinding.problem(run, v);
        if (binding != null) return fail("audit log " + file + ": " + binding);
        var out = spec.commandLine().getOut();
        out.println("audit log " + file + ": " + v.events() + " events, chain intact, last hash " + v.lastHash());
        if (run != null) {
            out.println("bound to the run attested in " + attestation + ": container " + Nojit.oneLine(AuditTable.clean(v.container().id()))
                    + ", line 1's prev is the start statement's digest, the stop statement attests these " + v.events()
                    + " events and this last hash");
        }
        return ExitCodes.OK;
    }

    private int fail(String message) {
        spec.commandLine().getErr().println("nojit audit verify: " + Nojit.oneLine(message));
        spec.commandLine().getErr().flush();
        return ExitCodes.CHECK_FAILED;
    }
}
