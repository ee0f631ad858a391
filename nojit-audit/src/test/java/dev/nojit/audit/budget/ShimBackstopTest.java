package dev.nojit.audit.budget;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.AuditEvent.Action;
import dev.nojit.audit.AuditEvent.ProcessRef;
import dev.nojit.audit.AuditEvent.Type;
import dev.nojit.audit.AuditException;
import dev.nojit.audit.AuditLog;
import dev.nojit.audit.AuditVerifier;
import dev.nojit.audit.ContainerRef;
import dev.nojit.audit.wire.AuditRelay;
import dev.nojit.audit.wire.SocketAuditSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shim does not trust the vkernel to keep its budget: a vkernel that sends a flood straight up
 * the socket (a plain {@link SocketAuditSink}, no budget of its own) is cut off by the shim's
 * {@link BudgetedSink} in front of the file — the log ends with audit_budget_exceeded and still
 * verifies, the relay ends with the reason, and the vkernel can record nothing more.
 */
class ShimBackstopTest {
    @Test
    void aVkernelThatIgnoresTheBudgetIsCutOffByTheShim(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("log.jsonl");
        AuditLog log = AuditLog.create(file, new ContainerRef("c", "a".repeat(64), "b".repeat(64)), "0".repeat(64));
        String problem;
        long sent = 0;
        AuditException cutOff = null;
        try (AuditRelay relay = AuditRelay.listen(dir.resolve("audit.sock"), report -> new BudgetedSink(log, new AuditBudget(8 << 10, 16)))) {
            SocketAuditSink vkernel = SocketAuditSink.connect(dir.resolve("audit.sock"));
            vkernel.report(Map.of("seccomp", Map.of("installed", false)));
            for (int i = 0; i < 1_000_000 && cutOff == null; i++) {
                try {
                    vkernel.append(new AuditEvent(Type.EXEC, new ProcessRef(i, 1, "/bin/x", null, List.of("/bin/x", "A".repeat(4000))),
                            null, null, Action.ALLOWED, "listed", Map.of()), i % 100 == 99);
                    sent++;
                } catch (AuditException e) {
                    cutOff = e;
                }
            }
            problem = relay.result().get(10, TimeUnit.SECONDS);
            vkernel.close();
        }
        log.close();
        assertThat(cutOff).as("the vkernel's appends fail once the shim has stopped it").isNotNull();
        assertThat(problem).contains("the audit budget is exceeded (8k,16 per second");
        assertThat(sent).isLessThan(1_000_000);
        assertThat(AuditVerifier.verify(file).intact()).isTrue();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines.getLast()).contains("\"type\":\"audit_budget_exceeded\"", "\"action\":\"kill-container\"");
        assertThat(lines).anyMatch(l -> l.contains("\"type\":\"audit_suppressed\""));
        assertThat(Files.size(file)).as("a few burst's worth, not the flood").isLessThan(1L << 20);
    }
}
