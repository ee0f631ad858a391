package dev.nojit.audit.attest;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Objects;

/**
 * Attests one run into its {@code --attestation} file, in the order the chain needs:
 *
 * <pre>{@code
 * RunAttester attester = RunAttester.start(attestationFile, key, RunAttestation.start(...));  // line 1, fsynced
 * AuditLog log = AuditLog.create(auditFile, container, attester.genesis());                   // line 1's prev
 * ... the run appends its events, the last one container_stop ...
 * log.close();
 * attester.stop(Instant.now(), exitCode, log.head(), log.lastSeq());                           // line 2, fsynced
 * }</pre>
 *
 * The start statement is signed and on disk before the log's first event, so the log can only
 * chain to a statement that exists; the stop statement is made after the log's last event, so
 * it states the log's real end.
 */
public final class RunAttester {
    private final Path file;
    private final KeyPair key;
    private final RunAttestation start;
    private final String genesis;
    private boolean stopped;

    private RunAttester(Path file, KeyPair key, RunAttestation start) {
        this.file = file;
        this.key = key;
        this.start = start;
        this.genesis = Attestations.digest(start);
    }

    /**
     * Signs the start statement and writes it as line 1 of {@code file} (created 0600, fsynced;
     * an existing file with content is refused).
     */
    public static RunAttester start(Path file, KeyPair key, RunAttestation start) throws IOException, AttestationException {
        Objects.requireNonNull(key, "key");
        if (start.phase() != RunAttestation.Phase.START) throw new IllegalArgumentException("not a start statement");
        RunAttester a = new RunAttester(file, key, start);
        AttestationFile.writeStart(file, Attestations.sign(start, key));
        return a;
    }

    /** The start statement's digest: the genesis to pass to {@code AuditLog.create}. */
    public String genesis() {
        return genesis;
    }

    public RunAttestation startStatement() {
        return start;
    }

    public Path file() {
        return file;
    }

    /**
     * Signs the stop statement and appends it as line 2 (fsynced). Call once, after the audit
     * log is closed.
     *
     * @param auditLastHash the log's last {@code hash} ({@code AuditLog.head()})
     * @param auditEvents   its last {@code seq} ({@code AuditLog.lastSeq()})
     * @return the stop statement written
     */
    public synchronized RunAttestation stop(Instant stopTime, int exitCode, String auditLastHash, long auditEvents)
            throws IOException, AttestationException {
        if (stopped) throw new IllegalStateException("the stop statement is already written");
        RunAttestation stop = start.stopped(new RunAttestation.Stop(genesis, stopTime, exitCode, auditLastHash, auditEvents));
        AttestationFile.appendStop(file, Attestations.sign(stop, key));
        stopped = true;
        return stop;
    }
}
