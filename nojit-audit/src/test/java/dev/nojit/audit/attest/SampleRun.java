package dev.nojit.audit.attest;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.AuditEvent.Action;
import dev.nojit.audit.AuditEvent.ProcessRef;
import dev.nojit.audit.AuditEvent.SyscallRef;
import dev.nojit.audit.AuditEvent.TargetRef;
import dev.nojit.audit.AuditEvent.Type;
import dev.nojit.audit.AuditLog;
import dev.nojit.audit.ContainerRef;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A whole attested run for the tests: the attestation file and the audit log it binds, as nojit run writes them. */
record SampleRun(Path attestation, Path log, String genesis, String lastHash, RunAttestation start) {
    static final String MEGABINARY = "a".repeat(64), MANIFEST = "b".repeat(64), JAR = "c".repeat(64);
    static final Instant STARTED = Instant.parse("2026-11-29T02:30:01.123456Z");

    static HostLockdown strictLockdown() {
        return new HostLockdown("strict", new HostLockdown.Seccomp(true, "d".repeat(64), 31), new HostLockdown.Seccomp(true, "d".repeat(64), 31),
                new HostLockdown.Landlock(6, true, List.of(
                        new HostLockdown.Rule("/usr/lib/jvm/temurin-25-jdk-amd64", List.of("read_file", "read_dir")),
                        new HostLockdown.Rule("/dev/urandom", List.of("read_file")),
                        new HostLockdown.Rule("/tmp/nojit-scratch", List.of("write_file", "read_file", "read_dir", "remove_file", "make_reg")))),
                true, new HostLockdown.Jvm("on", List.of("-XX:ReservedCodeCacheSize=48m", "-XX:InitialCodeCacheSize=48m",
                "--illegal-native-access=deny"), new HostLockdown.NativeAccess("dev.nojit.host", "e".repeat(64))));
    }

    static RunAttestation startStatement(String containerId) {
        return RunAttestation.start(containerId, STARTED, MEGABINARY, MANIFEST, "0.1.0", JAR, "interpreter", strictLockdown());
    }

    /** Writes {@code name}.attestation.jsonl and {@code name}.audit.jsonl in {@code dir}: a run of {@code events} events. */
    static SampleRun write(Path dir, String name, String containerId, KeyPair key, int events) throws Exception {
        Path attestation = dir.resolve(name + ".attestation.jsonl"), logFile = dir.resolve(name + ".audit.jsonl");
        RunAttester attester = RunAttester.start(attestation, key, startStatement(containerId));
        String head;
        long seq;
        try (AuditLog log = AuditLog.create(logFile, new ContainerRef(containerId, MEGABINARY, MANIFEST), attester.genesis())) {
            log.append(new AuditEvent(Type.CONTAINER_START, null, null, null, Action.ALLOWED, null, Map.of()), true);
            ProcessRef sh = new ProcessRef(1, 0, "/bin/sh", "e".repeat(64), List.of("/bin/sh", "/task.sh"));
            for (int i = 0; i < events - 2; i++) {
                log.append(new AuditEvent(Type.EXEC, sh, new SyscallRef("execve", 59, Map.of("path", "/bin/tool" + i)),
                        new TargetRef("/bin/tool" + i, "f".repeat(64)), Action.ALLOWED, "listed in the manifest", Map.of()), false);
            }
            log.append(new AuditEvent(Type.CONTAINER_STOP, null, null, null, Action.ALLOWED, null, Map.of("exit_code", 0L)), true);
            head = log.head();
            seq = log.lastSeq();
        }
        attester.stop(STARTED.plusSeconds(3), 0, head, seq);
        return new SampleRun(attestation, logFile, attester.genesis(), head, attester.startStatement());
    }
}
