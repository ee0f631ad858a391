package dev.nojit.audit.attest;

import dev.nojit.audit.AuditVerifier;
import dev.nojit.audit.ContainerRef;

/**
 * Whether an intact audit log belongs to an attested run, whole: the chain runs start statement →
 * line 1's {@code prev} → … → the last line's {@code hash} → the stop statement. Checked in this
 * order, the first mismatch named:
 * <ol>
 *   <li>the log's {@code container} (id, megabinary and manifest digests) is the attested run's;</li>
 *   <li>line 1's {@code prev} is the start statement's digest (the log was started for this attestation);</li>
 *   <li>the log holds as many events as the stop statement attests (lines cut from the end, or added after the stop);</li>
 *   <li>the last line's {@code hash} is the one the stop statement attests (the chain rewritten from some line on).</li>
 * </ol>
 * Only meaningful for a log whose chain is intact ({@link AuditVerifier.Verification#intact()}).
 */
public final class LogBinding {
    private LogBinding() {}

    /** What is wrong, as one line, or null when the log is the attested run's whole log. */
    public static String problem(AttestationFile.AttestedRun run, AuditVerifier.Verification log) {
        if (!log.intact()) throw new IllegalArgumentException("the binding is checked only for an intact chain");
        RunAttestation s = run.stop().statement();
        ContainerRef c = log.container();
        if (!c.id().equals(s.containerId())) {
            return "the log is for container " + c.id() + ", the attestation for container " + s.containerId() + " (a log of another run?)";
        }
        if (!c.megabinarySha256().equals(s.megabinarySha256())) return "the log names another megabinary than the attestation";
        if (!c.manifestSha256().equals(s.manifestSha256())) return "the log names another manifest than the attestation";
        if (!log.genesis().equals(run.genesis())) {
            return "line 1's prev is not the start statement's digest " + run.genesis() + " (a log of another run?)";
        }
        long attested = run.end().auditEvents();
        if (log.events() < attested) {
            return "the log holds " + log.events() + " events but the stop statement attests " + attested + " (truncated: lines removed from the end)";
        }
        if (log.events() > attested) {
            return "the log holds " + log.events() + " events but the stop statement attests " + attested + " (lines added after the stop)";
        }
        if (!log.lastHash().equals(run.end().auditLastHash())) {
            return "the last hash " + log.lastHash() + " is not the one the stop statement attests, " + run.end().auditLastHash()
                    + " (the log was rewritten)";
        }
        return null;
    }
}
