package dev.nojit.audit.budget;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.AuditEvent.Action;
import dev.nojit.audit.AuditEvent.ProcessRef;
import dev.nojit.audit.AuditEvent.SyscallRef;
import dev.nojit.audit.AuditEvent.TargetRef;
import dev.nojit.audit.AuditEvent.Type;
import dev.nojit.audit.AuditLog;
import dev.nojit.audit.AuditReader;
import dev.nojit.audit.AuditVerifier;
import dev.nojit.audit.ContainerRef;
import dev.nojit.audit.MemoryAuditSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The audit budget on a clock the test moves: burst, aggregation, the hard stop, violations never lost. */
class BudgetedSinkTest {
    private static final AuditBudget SMALL = new AuditBudget(8 << 10, 16);
    private final AtomicLong nanos = new AtomicLong();
    private final MemoryAuditSink memory = new MemoryAuditSink();
    private final BudgetedSink sink = new BudgetedSink(memory, SMALL, nanos::get, Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC));

    private static AuditEvent exec(int pid, int argBytes) {
        ProcessRef p = new ProcessRef(pid, 1, "/bin/x", "c".repeat(64), List.of("/bin/x", "A".repeat(argBytes)));
        return new AuditEvent(Type.EXEC, p, new SyscallRef("execve", 59, Map.of("path", "/bin/x")), new TargetRef("/bin/x", "c".repeat(64)),
                Action.ALLOWED, "listed in the manifest", Map.of());
    }

    private static AuditEvent violation(int pid) {
        return new AuditEvent(Type.MEMORY_EXEC_DENIED, new ProcessRef(pid, 1, "/bin/x", null, List.of("/bin/x")),
                new SyscallRef("mmap", 9, Map.of("prot", List.of("PROT_EXEC"))), null, Action.KILL_PROCESS, "PROT_EXEC", Map.of());
    }

    private static AuditEvent stop() {
        return new AuditEvent(Type.CONTAINER_STOP, null, null, null, Action.ALLOWED, null, Map.of("exit_code", 0L));
    }

    private long count(Type t) {
        return memory.events().stream().filter(e -> e.type() == t).count();
    }

    @SuppressWarnings("unchecked")
    private long suppressed(String type) {
        long n = 0;
        for (AuditEvent e : memory.events()) {
            if (e.type() != Type.AUDIT_SUPPRESSED) continue;
            Map<String, Object> kinds = (Map<String, Object>) e.details().get("suppressed");
            if (kinds.get(type) instanceof Map<?, ?> k) n += (Long) k.get("count");
        }
        return n;
    }

    @Test
    void withinTheRateEverythingIsWrittenForever() {
        for (int i = 0; i < 2000; i++) {
            sink.append(exec(i, 100), false);
            nanos.addAndGet(200_000_000L); // 5 events/s of ~1.4 KB (with the line's own members): under 8 KiB/s and 16/s
        }
        assertThat(memory.events()).hasSize(2000).allMatch(e -> e.type() == Type.EXEC);
    }

    @Test
    void pastTheBurstEventsAreCountedOncePerSecondThenTheFloodStopsTheContainer() {
        long attempted = 0;
        AuditBudgetExceeded stopped = null;
        for (int i = 0; i < 100_000 && stopped == null; i++) {
            try {
                attempted++;
                sink.append(exec(i, 1000), false);
            } catch (AuditBudgetExceeded e) {
                stopped = e;
            }
            nanos.addAndGet(10_000_000L); // 100 events/s of ~1.2 KB: about 15 times the budget
        }
        assertThat(stopped).isNotNull();
        assertThat(stopped.getMessage()).contains("the audit budget is exceeded (8k,16 per second");
        long written = count(Type.EXEC);
        assertThat(written).as("the burst and the rate got through").isBetween(10L, 2000L);
        assertThat(count(Type.AUDIT_SUPPRESSED)).as("at most one summary a second").isPositive().isLessThanOrEqualTo(attempted / 100 + 2); // one event each 10 ms
        assertThat(written + suppressed("exec")).as("every event offered is written or counted").isEqualTo(attempted);
        AuditEvent last = memory.events().getLast();
        assertThat(last.type()).isEqualTo(Type.AUDIT_BUDGET_EXCEEDED);
        assertThat(last.action()).isEqualTo(Action.KILL_CONTAINER);
        assertThat(last.details()).containsKeys("budget", "offered_bytes", "offered_events");
        // After the stop: ordinary events are refused (and counted), violations and the stop still written.
        assertThatThrownBy(() -> sink.append(exec(1, 10), false)).isInstanceOf(AuditBudgetExceeded.class);
        sink.append(violation(7), true);
        sink.append(stop(), true);
        List<AuditEvent> tail = memory.events().subList(memory.events().size() - 3, memory.events().size());
        assertThat(tail).extracting(AuditEvent::type).containsExactly(Type.MEMORY_EXEC_DENIED, Type.AUDIT_SUPPRESSED, Type.CONTAINER_STOP);
        assertThat(written + suppressed("exec")).isEqualTo(attempted + 1);
    }

    @Test
    void violationsAreNeverSuppressedAndAFloodOfThemStopsTheContainerToo() {
        int attempted = 0;
        boolean stopped = false;
        for (int i = 0; i < 10_000 && !stopped; i++) {
            attempted++;
            try {
                sink.append(violation(i), true);
            } catch (AuditBudgetExceeded e) {
                stopped = true;
            }
            try {
                sink.append(new AuditEvent(Type.PROCESS_EXIT, new ProcessRef(i, 1, "/bin/x", null, List.of("/bin/x")), null, null,
                        Action.ALLOWED, null, Map.of("signal", 9L)), false);
            } catch (AuditBudgetExceeded e) {
                stopped = true;
            }
            nanos.addAndGet(5_000_000L);
        }
        assertThat(stopped).isTrue();
        assertThat(count(Type.MEMORY_EXEC_DENIED)).as("every violation written in full").isEqualTo(attempted);
        assertThat(suppressed("memory_exec_denied")).isZero();
        assertThat(suppressed("process_exit")).isPositive();
        assertThat(count(Type.AUDIT_BUDGET_EXCEEDED)).isOne();
    }

    /** Through a real log: the summaries and the stop are ordinary lines of a chain that verifies. */
    @Test
    void theLogWithSummariesAndTheStopVerifies(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("a.jsonl");
        try (AuditLog log = AuditLog.create(file, new ContainerRef("c", "a".repeat(64), "b".repeat(64)), "0".repeat(64))) {
            BudgetedSink s = new BudgetedSink(log, SMALL, nanos::get, Clock.systemUTC());
            try {
                for (int i = 0; i < 100_000; i++) {
                    s.append(exec(i, 2000), false);
                    nanos.addAndGet(10_000_000L);
                }
            } catch (AuditBudgetExceeded expected) {
                s.append(stop(), true);
            }
        }
        assertThat(AuditVerifier.verify(file).intact()).isTrue();
        String text = Files.readString(file);
        assertThat(text).contains("\"type\":\"audit_suppressed\"", "\"class_uid\":1008", "\"activity_name\":\"Suppress\"",
                "\"type\":\"audit_budget_exceeded\"", "\"activity_name\":\"Budget Exceeded\"", "\"severity_id\":3");
        try (AuditReader r = AuditReader.open(file)) {
            assertThat(r.next()).isNotNull();
        }
    }

    @Test
    void theFlagParses() {
        assertThat(AuditBudget.parse("256k,256")).isEqualTo(AuditBudget.DEFAULT);
        assertThat(AuditBudget.parse(" 1m , 10 ")).isEqualTo(new AuditBudget(1 << 20, 10));
        assertThat(AuditBudget.parse("4096,1").spec()).isEqualTo("4k,1");
        for (String bad : List.of("", "1k", "1k,", "x,1", "1k,0", "10,5", "9999999999g,1", "1k,1,1")) {
            assertThatThrownBy(() -> AuditBudget.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
