package dev.nojit.audit.attest;

import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.manifest.Policy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

import static dev.nojit.audit.attest.HostLockdown.require;

/**
 * What one attestation statement says about a run (SPEC §6). A run has two: the start statement,
 * made once the lockdown is in force and before the audit log's first event, and the stop
 * statement, made after the log's last event. The stop statement repeats everything the start one
 * says and {@linkplain Stop adds} the start statement's digest, the stop time, the exit code and
 * the audit log's end. {@link AttestationCodec} has the JSON form; docs/attestation.md the chain.
 *
 * @param containerId      the run's container id, as in every audit event's {@code container.id}
 * @param startTime        when the container started; kept to microseconds (the JSON form's precision)
 * @param megabinarySha256 the bundle's SHA-256 (subject {@code megabinary})
 * @param manifestSha256   the signed manifest payload's SHA-256 (subject {@code manifest})
 * @param nojitVersion     the nojit version that ran it
 * @param jarSha256        SHA-256 of the nojit jar that ran it
 * @param engine           the engine mode: the manifest policy's {@code engine}, {@code interpreter} or {@code aot}
 * @param aotExecutables   the container paths of the executables that run AOT classes, sorted; empty exactly when
 *                         {@code engine} is {@code interpreter}
 * @param lockdown         the host lockdown in force
 * @param stop             null in the start statement; what the stop statement adds
 */
public record RunAttestation(String containerId, Instant startTime, String megabinarySha256, String manifestSha256,
                             String nojitVersion, String jarSha256, String engine, List<String> aotExecutables,
                             HostLockdown lockdown, Stop stop) {

    /**
     * What the stop statement adds.
     *
     * @param startSha256   the start statement's digest ({@link Attestations#digest}), which is also the audit log's genesis
     * @param stopTime      when the container stopped (microseconds)
     * @param exitCode      {@code nojit run}'s exit status for the run (process 1's status, 128+N for signal N, …)
     * @param auditLastHash the {@code hash} of the audit log's last event
     * @param auditEvents   how many events the log holds (its last {@code seq})
     */
    public record Stop(String startSha256, Instant stopTime, int exitCode, String auditLastHash, long auditEvents) {
        public Stop {
            require(Sha256.isHex(startSha256), "start.sha256 must be 64 lowercase hex digits");
            stopTime = micros(Objects.requireNonNull(stopTime, "stopTime"));
            require(exitCode >= 0 && exitCode <= 255, "exitCode must be 0..255, not " + exitCode);
            require(Sha256.isHex(auditLastHash), "audit.lastHash must be 64 lowercase hex digits");
            require(auditEvents >= 1, "audit.events must be at least 1 (the log holds container_start and container_stop)");
        }
    }

    public RunAttestation {
        require(containerId != null && !containerId.isEmpty(), "container.id must not be empty");
        startTime = micros(Objects.requireNonNull(startTime, "startTime"));
        require(Sha256.isHex(megabinarySha256), "the megabinary digest must be 64 lowercase hex digits");
        require(Sha256.isHex(manifestSha256), "the manifest digest must be 64 lowercase hex digits");
        require(nojitVersion != null && !nojitVersion.isEmpty(), "nojit.version must not be empty");
        require(Sha256.isHex(jarSha256), "nojit.jarSha256 must be 64 lowercase hex digits");
        require(Policy.allowed("engine").contains(engine), "engine must be one of " + Policy.allowed("engine") + ", not " + engine);
        aotExecutables = List.copyOf(aotExecutables);
        require(aotExecutables.isEmpty() == engine.equals("interpreter"), "aotExecutables must list the AOT executables exactly when engine is aot");
        require(aotExecutables.equals(aotExecutables.stream().distinct().sorted().toList()), "aotExecutables must be sorted and distinct");
        for (String path : aotExecutables) require(path.startsWith("/"), "aotExecutables holds '" + path + "', not a container path");
        Objects.requireNonNull(lockdown, "lockdown");
        if (stop != null) require(!stop.stopTime().isBefore(startTime), "stopTime is before container.startTime");
    }

    /** A start statement of a container whose executables all run on the interpreter. */
    public static RunAttestation start(String containerId, Instant startTime, String megabinarySha256, String manifestSha256,
                                       String nojitVersion, String jarSha256, String engine, HostLockdown lockdown) {
        return start(containerId, startTime, megabinarySha256, manifestSha256, nojitVersion, jarSha256, engine, List.of(), lockdown);
    }

    /** A start statement. */
    public static RunAttestation start(String containerId, Instant startTime, String megabinarySha256, String manifestSha256,
                                       String nojitVersion, String jarSha256, String engine, List<String> aotExecutables,
                                       HostLockdown lockdown) {
        return new RunAttestation(containerId, startTime, megabinarySha256, manifestSha256, nojitVersion, jarSha256, engine,
                aotExecutables, lockdown, null);
    }

    /** The stop statement that follows this start statement. */
    public RunAttestation stopped(Stop stop) {
        if (this.stop != null) throw new IllegalStateException("this is already a stop statement");
        return new RunAttestation(containerId, startTime, megabinarySha256, manifestSha256, nojitVersion, jarSha256, engine,
                aotExecutables, lockdown, Objects.requireNonNull(stop, "stop"));
    }

    public Phase phase() {
        return stop == null ? Phase.START : Phase.STOP;
    }

    /** This statement without what the stop statement adds: equal to the start statement it follows. */
    public RunAttestation asStart() {
        return stop == null ? this : start(containerId, startTime, megabinarySha256, manifestSha256, nojitVersion, jarSha256,
                engine, aotExecutables, lockdown);
    }

    public enum Phase {
        START("start"), STOP("stop");

        private final String json;

        Phase(String json) {
            this.json = json;
        }

        public String json() {
            return json;
        }
    }

    private static Instant micros(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS);
    }
}
