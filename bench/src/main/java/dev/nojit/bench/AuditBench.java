package dev.nojit.bench;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.AuditEvent.Action;
import dev.nojit.audit.AuditEvent.ProcessRef;
import dev.nojit.audit.AuditEvent.SyscallRef;
import dev.nojit.audit.AuditEvent.TargetRef;
import dev.nojit.audit.AuditEvent.Type;
import dev.nojit.audit.AuditLog;
import dev.nojit.audit.ContainerRef;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The cost of recording one audit event (bench/audit): {@code append} without fsync (every
 * exec and process exit) and with fsync (every violation, container start and stop), beside
 * the bare I/O of the same line (one write; one write + fsync), so the difference is what the
 * log itself costs: encoding, canonical JSON, SHA-256, the lock. The event is a realistic
 * exec_denied (about 1 KB as a line). Files go to {@code -Dnojit.bench.auditDir} (default: the
 * JVM's temporary directory): put it on the disk you care about. A new file every iteration,
 * deleted after it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AuditBench {
    private static final ContainerRef CONTAINER = new ContainerRef("bench-1", "a".repeat(64), "b".repeat(64));

    private Path dir;
    private Path file;
    private AuditLog log;
    private FileOutputStream raw;
    private AuditEvent event;
    private byte[] line;

    @Setup(Level.Trial)
    public void setupTrial() throws IOException {
        Path base = Path.of(System.getProperty("nojit.bench.auditDir", System.getProperty("java.io.tmpdir")));
        dir = Files.createTempDirectory(base, "nojit-audit-bench");
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("path", "/tmp/payload");
        args.put("argv", List.of("/tmp/payload", "--fast"));
        args.put("envc", 12);
        event = new AuditEvent(Type.EXEC_DENIED,
                new ProcessRef(42, 7, "/usr/bin/python3", "c".repeat(64), List.of("/usr/bin/python3", "agent.py", "--task", "build")),
                new SyscallRef("execve", 221, args), new TargetRef("/tmp/payload", "d".repeat(64)), Action.KILL_PROCESS,
                "not in the manifest: no listed executable has this content hash", Map.of());
    }

    @Setup(Level.Iteration)
    public void open() throws IOException {
        file = dir.resolve("audit-" + System.nanoTime() + ".jsonl");
        log = AuditLog.create(file, CONTAINER, "0".repeat(64));
        log.append(event, false);
        line = Files.readAllBytes(file); // one real line, for the bare-I/O baselines
        raw = new FileOutputStream(dir.resolve("raw-" + System.nanoTime()).toFile(), true);
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        log.close();
        raw.close();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) Files.delete(p);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(dir);
    }

    /** An event that need not be durable: encoded, chained, hashed and written (page cache). */
    @Benchmark
    public long append() {
        return log.append(event, false);
    }

    /** A violation's event: the same, then fsync before returning. */
    @Benchmark
    public long appendDurable() {
        return log.append(event, true);
    }

    /** Baseline: one write(2) of a line of the same size. */
    @Benchmark
    public int writeLine() throws IOException {
        raw.write(line);
        return line.length;
    }

    /** Baseline: one write(2) and one fsync of a line of the same size. */
    @Benchmark
    public int writeLineAndFsync() throws IOException {
        raw.write(line);
        raw.getFD().sync();
        return line.length;
    }
}
