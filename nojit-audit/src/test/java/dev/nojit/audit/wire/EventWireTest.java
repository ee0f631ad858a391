package dev.nojit.audit.wire;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.AuditEvent.Action;
import dev.nojit.audit.AuditEvent.Type;
import dev.nojit.audit.AuditException;
import dev.nojit.audit.MemoryAuditSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventWireTest {
    @TempDir
    Path dir;

    static AuditEvent sample(int i) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("addr", "0x0");
        args.put("prot", List.of("PROT_READ", "PROT_EXEC"));
        args.put("length", 4096L + i);
        return new AuditEvent(Type.MEMORY_EXEC_DENIED, new AuditEvent.ProcessRef(2 + i, 1, "/bin/x", "ab".repeat(32), List.of("x", "é")),
                new AuditEvent.SyscallRef("mmap", 9, args), new AuditEvent.TargetRef("/tmp/x", null), Action.KILL_PROCESS,
                "asked for PROT_EXEC", Map.of("n", (long) i, "flag", true, "nested", Map.of("k", List.of(1L, "v"))));
    }

    @Test
    void anEventCrossesTheWireUnchanged() {
        AuditEvent e = sample(7);
        byte[] line = EventWire.encode(e, true);
        assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
        EventWire.Message m = EventWire.decode(java.util.Arrays.copyOf(line, line.length - 1));
        assertThat(m.durable()).isTrue();
        assertThat(m.event()).isEqualTo(e);
    }

    @Test
    void malformedMessagesAreRefusedNamingTheProblem() {
        assertThatThrownBy(() -> EventWire.decode("[1]".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> EventWire.decode("{\"durable\":true,\"event\":{\"type\":\"exec\",\"action\":\"allowed\",\"x\":1}}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("unknown member 'x'");
        assertThatThrownBy(() -> EventWire.decode("{\"durable\":true,\"event\":{\"type\":\"nope\",\"action\":\"allowed\"}}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("type: unknown value");
        assertThatThrownBy(() -> EventWire.decode("{\"durable\":1,\"event\":{}}".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("durable");
        String deep = "{\"durable\":false,\"event\":{\"type\":\"exec\",\"action\":\"allowed\",\"details\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(100) + "}}";
        assertThatThrownBy(() -> EventWire.decode(deep.getBytes(StandardCharsets.UTF_8))).isInstanceOf(WireException.class);
    }

    @Test
    void eventsFromManyThreadsInterruptedOrNotReachTheShimInOrderAndDurableOnesAreAcked() throws Exception {
        MemoryAuditSink log = new MemoryAuditSink();
        Path socket = dir.resolve("audit.sock");
        try (AuditRelay relay = AuditRelay.listen(socket, log)) {
            SocketAuditSink sink = SocketAuditSink.connect(socket);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int base = t * 1000;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 200; i++) {
                        // Signals interrupt guest threads at any time: the uplink must survive it.
                        if (i % 7 == 0) Thread.currentThread().interrupt();
                        long seq = sink.append(sample(base + i), i % 5 == 0);
                        if (i % 5 == 0) assertThat(seq).isPositive();
                    }
                    Thread.interrupted();
                }));
            }
            for (Thread t : threads) t.join();
            sink.close();
            assertThat(relay.result().get(10, TimeUnit.SECONDS)).isNull();
            assertThat(relay.events()).isEqualTo(800);
        }
        List<AuditEvent> got = log.events();
        assertThat(got).hasSize(800);
        for (int t = 0; t < 4; t++) {
            int base = t * 1000;
            List<Long> order = got.stream().filter(e -> e.process().pid() >= 2 + base && e.process().pid() < 2 + base + 1000)
                    .map(e -> (Long) e.details().get("n")).toList();
            assertThat(order).isSorted().hasSize(200);
        }
    }

    @Test
    void aMalformedMessageEndsTheRelayAndTheSinkThenFailsClosed() throws Exception {
        MemoryAuditSink log = new MemoryAuditSink();
        Path socket = dir.resolve("bad.sock");
        try (AuditRelay relay = AuditRelay.listen(socket, log)) {
            var ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX);
            ch.connect(java.net.UnixDomainSocketAddress.of(socket));
            ch.write(java.nio.ByteBuffer.wrap("{\"durable\":true}\n".getBytes(StandardCharsets.UTF_8)));
            assertThat(relay.result().get(10, TimeUnit.SECONDS)).contains("malformed event");
            ch.close();
        }
        assertThat(log.events()).isEmpty();
        // A sink whose holder is gone refuses instead of pretending.
        Path gone = dir.resolve("gone.sock");
        AuditRelay relay = AuditRelay.listen(gone, log);
        SocketAuditSink sink = SocketAuditSink.connect(gone);
        relay.result().thenRun(() -> { });
        sink.append(sample(1), true);
        relay.close();
        Thread.sleep(200);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) sink.append(sample(i), true);
        }).isInstanceOf(AuditException.class);
    }
}
