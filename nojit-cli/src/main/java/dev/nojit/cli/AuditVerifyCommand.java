package dev.nojit.cli;

import dev.nojit.audit.AuditException;
import dev.nojit.audit.AuditVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code nojit audit verify FILE}: exit 0 and one line when the chain is intact, exit 1 and the
 * first problem (one line, on stderr) when it is not or the file cannot be read.
 *
 * <p>The binding to a run ({@code --attestation FILE --pubkey KEY.pub}, SPEC §2) comes with the
 * attestation: it will compare {@link AuditVerifier.Verification#genesis()} and
 * {@link AuditVerifier.Verification#lastHash()} with what the attestation states, in
 * {@link #checkBinding} — the chain check here stays as it is.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Checks an audit log: every line canonical JSON, seq 1, 2, 3, … without a gap, each prev the previous line's hash, "
                + "each hash its own content's SHA-256, one container throughout. Names the first bad line.",
                "Exit status: 0 intact, 1 a problem or an unreadable file."})
final class AuditVerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The audit log (JSON Lines).")
    Path file;

    @Override
    public Integer call() {
        AuditVerifier.Verification v;
        try {
            v = AuditVerifier.verify(file);
        } catch (AuditException e) {
            return fail(e.getMessage());
        }
        if (!v.intact()) return fail("audit log " + file + ": " + v.problem());
        String binding = checkBinding(v);
        if (binding != null) return fail("audit log " + file + ": " + binding);
        spec.commandLine().getOut().println("audit log " + file + ": " + v.events() + " events, chain intact, last hash " + v.lastHash());
        return ExitCodes.OK;
    }

    /** What is wrong with the chain's ends against a signed statement of them, or null; nothing to compare yet. */
    private String checkBinding(AuditVerifier.Verification v) {
        return null;
    }

    private int fail(String message) {
        spec.commandLine().getErr().println("nojit audit verify: " + Nojit.oneLine(message));
        spec.commandLine().getErr().flush();
        return ExitCodes.CHECK_FAILED;
    }
}
