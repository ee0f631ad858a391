package dev.nojit.audit;

import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.json.CanonicalJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.nojit.audit.SampleEvents.CONTAINER;
import static dev.nojit.audit.SampleEvents.GENESIS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditLogTest {
    @TempDir
    Path dir;

    static final Clock FIXED = Clock.fixed(Instant.parse("2026-11-29T02:30:01.123456Z"), ZoneOffset.UTC);

    static List<ObjectNode> read(Path file) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            out.add((ObjectNode) CanonicalJson.mapper().readTree(line));
        }
        return out;
    }

    @Test
    void writesCanonicalChainedLinesWithTheSpecMembersAndOcsfFields() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.create(file, CONTAINER, GENESIS, FIXED)) {
            assertThat(log.head()).isEqualTo(GENESIS);
            assertThat(log.append(SampleEvents.start(), true)).isEqualTo(1);
            assertThat(log.append(SampleEvents.exec(2), false)).isEqualTo(2);
            assertThat(log.append(SampleEvents.execDenied(2), true)).isEqualTo(3);
            assertThat(log.append(SampleEvents.mprotectDenied(3), true)).isEqualTo(4);
            assertThat(log.append(SampleEvents.exit(2, 137), false)).isEqualTo(5);
            assertThat(log.append(SampleEvents.stop(), true)).isEqualTo(6);
        }
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes[bytes.length - 1]).isEqualTo((byte) '\n');
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(6);
        for (String line : lines) assertThat(CanonicalJson.isCanonical(line.getBytes(StandardCharsets.UTF_8))).as(line).isTrue();

        List<ObjectNode> ev = read(file);
        String prev = GENESIS;
        for (int i = 0; i < ev.size(); i++) {
            ObjectNode e = ev.get(i);
            assertThat(e.get("seq").longValue()).isEqualTo(i + 1);
            assertThat(e.get("time").stringValue()).isEqualTo("2026-11-29T02:30:01.123456Z");
            assertThat(e.get("prev").stringValue()).isEqualTo(prev);
            ObjectNode without = e.deepCopy();
            without.remove("hash");
            assertThat(e.get("hash").stringValue()).isEqualTo(Sha256.hex(CanonicalJson.canonicalize(without)));
            assertThat(e.get("container").get("id").stringValue()).isEqualTo("c-1234");
            assertThat(e.get("container").get("megabinary_sha256").stringValue()).isEqualTo(SampleEvents.SHA_A);
            assertThat(e.get("container").get("manifest_sha256").stringValue()).isEqualTo(SampleEvents.SHA_B);
            assertThat(e.get("type_uid").longValue())
                    .isEqualTo(e.get("class_uid").longValue() * 100 + e.get("activity_id").longValue());
            prev = e.get("hash").stringValue();
        }

        ObjectNode start = ev.get(0);
        assertThat(start.get("type").stringValue()).isEqualTo("container_start");
        assertThat(start.has("process")).as("null members are left out").isFalse();
        assertThat(start.has("reason")).isFalse();
        assertThat(start.get("class_uid").intValue()).isEqualTo(6002);
        assertThat(start.get("activity_id").intValue()).isEqualTo(3);
        assertThat(start.get("policy").get("onViolation").stringValue()).isEqualTo("kill-process");

        ObjectNode exec = ev.get(1);
        assertThat(exec.get("class_uid").intValue()).isEqualTo(1007);
        assertThat(exec.get("category_uid").intValue()).isEqualTo(1);
        assertThat(exec.get("activity_id").intValue()).isEqualTo(1);
        assertThat(exec.get("type_uid").intValue()).isEqualTo(100701);
        assertThat(exec.get("disposition").stringValue()).isEqualTo("Allowed");
        assertThat(exec.get("disposition_id").intValue()).isEqualTo(1);
        assertThat(exec.get("severity_id").intValue()).isEqualTo(1);
        assertThat(exec.get("process").get("pid").intValue()).isEqualTo(2);
        assertThat(exec.get("process").get("argv").get(2).stringValue()).isEqualTo("echo hi");
        assertThat(exec.get("target").get("sha256").stringValue()).isEqualTo(SampleEvents.SHA_C);
        assertThat(exec.get("syscall").get("nr").intValue()).isEqualTo(221);

        ObjectNode denied = ev.get(2);
        assertThat(denied.get("action").stringValue()).isEqualTo("kill-process");
        assertThat(denied.get("disposition").stringValue()).isEqualTo("Blocked");
        assertThat(denied.get("disposition_id").intValue()).isEqualTo(2);
        assertThat(denied.get("severity_id").intValue()).isEqualTo(4);
        assertThat(denied.get("status").stringValue()).isEqualTo("Failure");
        assertThat(denied.get("reason").stringValue()).isEqualTo("not in the manifest: content hash unknown");
        assertThat(denied.get("syscall").get("args").get("path").stringValue()).isEqualTo("/tmp/payload");

        ObjectNode memory = ev.get(3);
        assertThat(memory.get("class_uid").intValue()).isEqualTo(1004);
        assertThat(memory.get("activity_id").intValue()).as("mprotect: Modify Page").isEqualTo(2);
        assertThat(memory.get("action").stringValue()).isEqualTo("kill-container");
        assertThat(memory.get("syscall").get("args").get("prot").get(1).stringValue()).isEqualTo("PROT_EXEC");

        ObjectNode exit = ev.get(4);
        assertThat(exit.get("activity_id").intValue()).as("Terminate").isEqualTo(2);
        assertThat(exit.get("exit_code").intValue()).isEqualTo(137);
        assertThat(ev.get(5).get("activity_id").intValue()).as("Stop").isEqualTo(4);

        AuditVerifier.Verification v = AuditVerifier.verify(file);
        assertThat(v.intact()).as(v.problem()).isTrue();
        assertThat(v.events()).isEqualTo(6);
        assertThat(v.genesis()).isEqualTo(GENESIS);
        assertThat(v.lastHash()).isEqualTo(prev);
    }

    @Test
    void headIsTheLastHashAndTheGenesisIsLine1sPrev() throws IOException {
        Path file = dir.resolve("a.jsonl");
        String genesis = Sha256.hex("attestation".getBytes(StandardCharsets.UTF_8));
        try (AuditLog log = AuditLog.create(file, CONTAINER, genesis)) {
            log.append(SampleEvents.start(), false);
            log.append(SampleEvents.stop(), false);
            List<ObjectNode> ev = read(file);
            assertThat(ev.get(0).get("prev").stringValue()).isEqualTo(genesis);
            assertThat(log.head()).isEqualTo(ev.get(1).get("hash").stringValue());
            assertThat(log.lastSeq()).isEqualTo(2);
        }
        assertThat(AuditVerifier.verify(file).genesis()).isEqualTo(genesis);
    }

    @Test
    void concurrentAppendersGetUniqueSeqsAndAnIntactChain() throws Exception {
        Path file = dir.resolve("concurrent.jsonl");
        int threads = 8, each = 500;
        Set<Long> seqs = ConcurrentHashMap.newKeySet();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (AuditLog log = AuditLog.create(file, CONTAINER, GENESIS)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int pid = t + 2;
                ts.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                        for (int i = 0; i < each; i++) {
                            // Every 50th event durable: concurrent fsyncs interleave with writes.
                            seqs.add(log.append(i % 2 == 0 ? SampleEvents.exec(pid) : SampleEvents.exit(pid, i), i % 50 == 0));
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            go.countDown();
            for (Thread t : ts) t.join();
        }
        assertThat(errors).isEmpty();
        assertThat(seqs).hasSize(threads * each);
        assertThat(seqs).allMatch(s -> s >= 1 && s <= threads * each);
        AuditVerifier.Verification v = AuditVerifier.verify(file);
        assertThat(v.intact()).as(v.problem()).isTrue();
        assertThat(v.events()).isEqualTo(threads * each);
        // Every thread's events are all there.
        Map<Integer, Long> perPid = new java.util.HashMap<>();
        for (ObjectNode e : read(file)) perPid.merge(e.get("process").get("pid").intValue(), 1L, Long::sum);
        assertThat(perPid.values()).containsOnly((long) each);
    }

    @Test
    void anInterruptedGuestThreadStillAppendsAndTheLogKeepsWorking() throws IOException {
        Path file = dir.resolve("interrupted.jsonl");
        try (AuditLog log = AuditLog.create(file, CONTAINER, GENESIS)) {
            Thread.currentThread().interrupt(); // as the vkernel does to deliver a signal
            try {
                log.append(SampleEvents.execDenied(2), true);
            } finally {
                assertThat(Thread.interrupted()).as("the interrupt is left for the guest's signal logic").isTrue();
            }
            log.append(SampleEvents.stop(), true);
        }
        assertThat(AuditVerifier.verify(file).events()).isEqualTo(2);
    }

    @Test
    void createsTheFileOwnerOnlyAndNeverOverwritesAnExistingLog() throws IOException {
        Path file = dir.resolve("log.jsonl");
        try (AuditLog log = AuditLog.create(file, CONTAINER, GENESIS)) {
            log.append(SampleEvents.start(), true);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> AuditLog.create(file, CONTAINER, GENESIS))
                .isInstanceOf(AuditException.class).hasMessageContaining("not empty");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);

        Path empty = Files.createFile(dir.resolve("empty.jsonl"));
        try (AuditLog log = AuditLog.create(empty, CONTAINER, GENESIS)) {
            log.append(SampleEvents.start(), true);
        }
        assertThat(AuditVerifier.verify(empty).intact()).isTrue();

        Path sub = Files.createDirectory(dir.resolve("d"));
        assertThatThrownBy(() -> AuditLog.create(sub, CONTAINER, GENESIS)).isInstanceOf(AuditException.class);
        assertThatThrownBy(() -> AuditLog.create(dir.resolve("missing/x.jsonl"), CONTAINER, GENESIS))
                .isInstanceOf(AuditException.class).hasMessageEndingWith("cannot create: its directory does not exist");
        assertThatThrownBy(() -> AuditLog.create(dir.resolve("g.jsonl"), CONTAINER, "00"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** An output that fails on the n-th write or on sync, counting what it was asked to do. */
    static final class FailingOutput implements AuditLog.LogOutput {
        final List<byte[]> written = new ArrayList<>();
        final int failOnWrite;
        final boolean failSync;
        int syncs;

        FailingOutput(int failOnWrite, boolean failSync) {
            this.failOnWrite = failOnWrite;
            this.failSync = failSync;
        }

        @Override
        public void write(byte[] line) throws IOException {
            if (written.size() + 1 == failOnWrite) throw new IOException("No space left on device");
            written.add(line);
        }

        @Override
        public void sync() throws IOException {
            syncs++;
            if (failSync) throw new IOException("Input/output error");
        }

        @Override
        public void close() {}
    }

    @Test
    void afterAWriteFailureEveryFurtherAppendIsRefused() {
        FailingOutput out = new FailingOutput(3, false);
        AuditLog log = new AuditLog(dir.resolve("x"), out, CONTAINER, GENESIS, FIXED);
        log.append(SampleEvents.start(), false);
        log.append(SampleEvents.exec(2), false);
        String head = log.head();
        assertThatThrownBy(() -> log.append(SampleEvents.execDenied(2), true))
                .isInstanceOf(AuditException.class).hasMessageContaining("No space left on device");
        assertThatThrownBy(() -> log.append(SampleEvents.stop(), false))
                .isInstanceOf(AuditException.class).hasMessageContaining("no further events");
        assertThat(out.written).hasSize(2);
        assertThat(log.head()).isEqualTo(head);
        assertThat(log.lastSeq()).isEqualTo(2);
    }

    @Test
    void anFsyncFailureFailsTheDurableAppendAndEveryLaterOne() {
        FailingOutput out = new FailingOutput(-1, true);
        AuditLog log = new AuditLog(dir.resolve("x"), out, CONTAINER, GENESIS, FIXED);
        log.append(SampleEvents.exec(2), false);
        assertThat(out.syncs).as("no fsync for a non-durable event").isZero();
        assertThatThrownBy(() -> log.append(SampleEvents.execDenied(2), true))
                .isInstanceOf(AuditException.class).hasMessageContaining("fsync failed");
        assertThatThrownBy(() -> log.append(SampleEvents.exit(2, 0), false)).isInstanceOf(AuditException.class);
    }

    @Test
    void durableAppendsFsyncAndAClosedLogRefuses() {
        FailingOutput out = new FailingOutput(-1, false);
        AuditLog log = new AuditLog(dir.resolve("x"), out, CONTAINER, GENESIS, FIXED);
        log.append(SampleEvents.execDenied(2), true);
        assertThat(out.syncs).isEqualTo(1);
        log.close();
        assertThat(out.syncs).as("close forces").isEqualTo(2);
        assertThatThrownBy(() -> log.append(SampleEvents.stop(), true))
                .isInstanceOf(AuditException.class).hasMessageContaining("closed");
    }

    @Test
    void aBadEventIsRefusedAloneAndTheLogGoesOn() throws IOException {
        Path file = dir.resolve("bad.jsonl");
        try (AuditLog log = AuditLog.create(file, CONTAINER, GENESIS)) {
            AuditEvent reserved = new AuditEvent(AuditEvent.Type.PROCESS_EXIT, SampleEvents.process(2), null, null,
                    AuditEvent.Action.ALLOWED, null, Map.of("hash", "x"));
            assertThatThrownBy(() -> log.append(reserved, false))
                    .isInstanceOf(AuditException.class).hasMessageContaining("reserved");
            AuditEvent odd = new AuditEvent(AuditEvent.Type.PROCESS_EXIT, SampleEvents.process(2), null, null,
                    AuditEvent.Action.ALLOWED, null, Map.of("thing", new Object()));
            assertThatThrownBy(() -> log.append(odd, false))
                    .isInstanceOf(AuditException.class).hasMessageContaining("unsupported value type");
            assertThat(log.append(SampleEvents.stop(), true)).isEqualTo(1);
        }
        assertThat(AuditVerifier.verify(file).intact()).isTrue();
    }

    @Test
    void valuesWithoutAnExactCanonicalFormAreKeptExactAsStrings() throws IOException {
        Path file = dir.resolve("values.jsonl");
        Map<String, Object> args = new java.util.LinkedHashMap<>();
        args.put("flags", 0xFFFF_FFFF_FFFF_FFF0L >>> 1); // above 2^53: a double would round it
        args.put("small", -1L);
        args.put("name", "lone \uD800 surrogate");
        args.put("nothing", null);
        args.put("list", java.util.Arrays.asList("a", null));
        try (AuditLog log = AuditLog.create(file, CONTAINER, GENESIS)) {
            log.append(new AuditEvent(AuditEvent.Type.MEMORY_EXEC_DENIED, SampleEvents.process(2),
                    new AuditEvent.SyscallRef("personality", 92, args), null, AuditEvent.Action.KILL_PROCESS,
                    "READ_IMPLIES_EXEC", Map.of()), true);
        }
        JsonNode a = read(file).getFirst().get("syscall").get("args");
        assertThat(a.get("flags").stringValue()).isEqualTo(Long.toString(0xFFFF_FFFF_FFFF_FFF0L >>> 1));
        assertThat(a.get("small").longValue()).isEqualTo(-1);
        assertThat(a.get("name").stringValue()).isEqualTo("lone \uFFFD surrogate");
        assertThat(a.has("nothing")).isFalse();
        assertThat(a.get("list").get(1).isNull()).isTrue();
        assertThat(read(file).getFirst().get("activity_id").intValue()).as("personality: Disable DEP").isEqualTo(5);
        assertThat(AuditVerifier.verify(file).intact()).isTrue();
    }

    @Test
    void timeIsRfc3339UtcWithMicroseconds() throws IOException {
        Path file = dir.resolve("t.jsonl");
        AtomicInteger ticks = new AtomicInteger();
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.parse("2026-01-02T03:04:05Z").plusNanos(ticks.getAndIncrement() * 1_000_500L);
            }
        };
        try (AuditLog log = AuditLog.create(file, CONTAINER, GENESIS, clock)) {
            log.append(SampleEvents.start(), false);
            log.append(SampleEvents.stop(), false);
        }
        List<ObjectNode> ev = read(file);
        assertThat(ev.get(0).get("time").stringValue()).isEqualTo("2026-01-02T03:04:05.000000Z");
        assertThat(ev.get(1).get("time").stringValue()).isEqualTo("2026-01-02T03:04:05.001000Z");
    }
}
