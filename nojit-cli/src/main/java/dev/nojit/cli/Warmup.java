package dev.nojit.cli;

import java.security.GeneralSecurityException;

/**
 * Class loading and initialization that the start of {@code nojit run} needs next, done on a second
 * thread while the first does something else (the shim: picocli's parse; the vkernel: its process
 * guards and the run spec). Only class initialization and provider lookups, nothing with an effect
 * a later step could observe: a step that fails here fails again, and is reported, where it is really
 * used. The thread is a daemon and ends on its own.
 */
final class Warmup {
    private Warmup() {}

    /** Runs {@code steps} in order on a daemon thread; a failing step is skipped silently. */
    static void inBackground(String name, Runnable... steps) {
        Thread.ofPlatform().daemon().name(name).start(() -> {
            for (Runnable step : steps) {
                try {
                    step.run();
                } catch (RuntimeException | LinkageError ignored) {
                    // the real use reports it
                }
            }
        });
    }

    /** What checking a bundle needs: the strict JSON mapper, Ed25519 and SHA-256. */
    static void bundleCheck() {
        try {
            dev.nojit.bundle.json.CanonicalJson.mapper().readTree("{\"a\":[1,\"b\"]}");
            java.security.KeyFactory.getInstance("Ed25519");
            java.security.Signature.getInstance("Ed25519");
            java.security.MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException ignored) {
            // the real use reports it
        }
    }

    /**
     * What reopening the bundle needs next in the vkernel, while it waits for its spec: the publisher key the
     * shim copied beside the spec decoded, and one Ed25519 verification run (of an all-zero signature, which
     * fails; only the code is warmed). Nothing is kept: the reopen reads and checks the key itself.
     */
    static Runnable signatureCheck(java.nio.file.Path publicKey) {
        return () -> {
            try {
                java.security.PublicKey key = dev.nojit.bundle.keys.Ed25519Keys.readPublic(publicKey);
                java.security.Signature s = java.security.Signature.getInstance("Ed25519");
                s.initVerify(key);
                s.update(new byte[32]);
                s.verify(new byte[64]);
            } catch (GeneralSecurityException | dev.nojit.bundle.BundleException ignored) {
                // the real use reports it
            }
        };
    }

    /** The vkernel's seccomp program compiled once (a pure function of the policy; the lockdown compiles it again). */
    static void seccompProgram() {
        dev.nojit.host.seccomp.BpfCompiler.compile(dev.nojit.host.seccomp.SeccompPolicy.vkernel()).sha256Hex();
    }

    /**
     * The audit wire's first use: a lockdown report and an event like the first ones of a run, encoded and
     * decoded again (Jackson builds its serializers by reflection the first time, about 100 classes). Bytes
     * in memory only; nothing is sent.
     */
    static void auditWire() {
        byte[] report = dev.nojit.audit.wire.EventWire.encodeReport(java.util.Map.of("seccomp", java.util.Map.of("installed", true,
                "sha256", "0".repeat(64), "instructions", 1L, "rules", 1L)));
        var process = new dev.nojit.audit.AuditEvent.ProcessRef(1, 0, "/bin/x", null, java.util.List.of("/bin/x"));
        byte[] event = dev.nojit.audit.wire.EventWire.encode(new dev.nojit.audit.AuditEvent(dev.nojit.audit.AuditEvent.Type.EXEC, process,
                null, null, dev.nojit.audit.AuditEvent.Action.ALLOWED, null, java.util.Map.of("exit_code", 0L)), true);
        dev.nojit.audit.wire.EventWire.decode(java.util.Arrays.copyOf(report, report.length - 1));
        dev.nojit.audit.wire.EventWire.decode(java.util.Arrays.copyOf(event, event.length - 1));
        dev.nojit.audit.wire.EventWire.readAck(dev.nojit.audit.wire.EventWire.ack(1));
    }

    /** Initializes {@code className} (its static state) if it is on the class path. */
    static Runnable initialize(String className) {
        return () -> {
            try {
                Class.forName(className, true, Warmup.class.getClassLoader());
            } catch (ClassNotFoundException ignored) {
                // the real use reports it
            }
        };
    }
}
