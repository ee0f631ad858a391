package dev.nojit.cli;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.AuditException;
import dev.nojit.audit.wire.SocketAuditSink;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A vkernel main for the audit budget test: a compromised vkernel that keeps no budget. It reports
 * no lockdown (the run must be {@code --host-lockdown off}), floods the shim with large exec events
 * until the shim stops taking them, and then does not stop: it sleeps on, as a vkernel that ignores
 * the end of its audit relay would. The shim must cut the flood off and kill it.
 */
public final class DisobedientVkernelMain {
    private DisobedientVkernelMain() {}

    public static void main(String[] args) throws Exception {
        RunSpec spec = RunSpec.await(Path.of(args[0]), VkernelMain.SPEC_WAIT);
        SocketAuditSink audit = SocketAuditSink.connect(spec.auditSocket());
        audit.report(Map.of("seccomp", Map.of("installed", false)));
        AuditEvent.ProcessRef p = new AuditEvent.ProcessRef(2, 1, "/bin/x", null, List.of("/bin/x", "A".repeat(16_000)));
        try {
            for (long i = 0; ; i++) {
                audit.append(new AuditEvent(AuditEvent.Type.EXEC, p, null, null, AuditEvent.Action.ALLOWED, "flood", Map.of()), i % 64 == 63);
            }
        } catch (AuditException cutOff) {
            System.err.println("disobedient vkernel: cut off (" + cutOff.getMessage() + "); sleeping on");
        }
        Thread.sleep(600_000);
    }
}
