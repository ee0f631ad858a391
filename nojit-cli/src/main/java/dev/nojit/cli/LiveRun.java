package dev.nojit.cli;

import dev.nojit.audit.AuditReader;
import dev.nojit.audit.AuditVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code nojit run ARGS} as its own process (the shim, which starts the locked-down vkernel), watched
 * while it runs: its stdout and stderr lines are handed on as they come, and the audit log it
 * writes is followed, each new complete line checked against the chain and handed on as an event.
 * The narration is live; the log is read again whole afterwards for the verdict.
 */
final class LiveRun {
    /** How often the growing log is looked at. */
    private static final long POLL_MS = 25;

    private final List<String> args;
    private final Path auditLog;
    private final Consumer<String> stdout, stderr;
    private final Consumer<ObjectNode> event;
    private final List<ObjectNode> events = new ArrayList<>();

    LiveRun(List<String> args, Path auditLog, Consumer<String> stdout, Consumer<String> stderr, Consumer<ObjectNode> event) {
        this.args = List.copyOf(args);
        this.auditLog = auditLog;
        this.stdout = stdout;
        this.stderr = stderr;
        this.event = event;
    }

    /** Runs to the end (at most {@code timeoutSeconds}); returns the exit code of {@code nojit run}. */
    int run(long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(NojitJvm.command(args)).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close(); // the task reads nothing from the terminal
        Thread out = Thread.ofPlatform().name("demo-stdout").start(() -> lines(p.getInputStream(), stdout));
        Thread err = Thread.ofPlatform().name("demo-stderr").start(() -> lines(p.getErrorStream(), stderr));
        Follower follower = new Follower();
        boolean ended;
        try {
            while (!(ended = p.waitFor(POLL_MS, TimeUnit.MILLISECONDS)) && follower.elapsedSeconds() < timeoutSeconds) {
                follower.poll();
            }
        } finally {
            if (!p.isAlive()) ended = true;
        }
        if (!ended) {
            p.destroyForcibly();
            p.waitFor();
        }
        out.join();
        err.join();
        follower.poll(); // what was written last
        if (!ended) throw new IOException("nojit run did not finish within " + timeoutSeconds + " s");
        return p.exitValue();
    }

    /** Every event seen, in order. */
    List<ObjectNode> events() {
        return List.copyOf(events);
    }

    private static void lines(InputStream in, Consumer<String> sink) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) sink.accept(line);
        } catch (IOException e) {
            sink.accept("(output lost: " + e.getMessage() + ")");
        }
    }

    /** Follows the audit log: reads complete lines beyond what it has read, checks and hands them on. */
    private final class Follower {
        private final long start = System.nanoTime();
        private final AuditVerifier verifier = new AuditVerifier();
        private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();
        private long offset, lineNumber;

        long elapsedSeconds() {
            return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        }

        void poll() throws IOException {
            if (!Files.isRegularFile(auditLog)) return;
            try (RandomAccessFile f = new RandomAccessFile(auditLog.toFile(), "r")) {
                long size = f.length();
                if (size <= offset) return;
                f.seek(offset);
                byte[] chunk = new byte[(int) Math.min(size - offset, 1 << 20)];
                f.readFully(chunk);
                offset += chunk.length;
                for (byte b : chunk) {
                    if (b != '\n') {
                        if (partial.size() < AuditReader.MAX_LINE) partial.write(b);
                        continue;
                    }
                    ObjectNode e = verifier.check(new AuditReader.Line(++lineNumber, partial.toByteArray(), true, false));
                    partial.reset();
                    if (e != null) {
                        events.add(e);
                        event.accept(e);
                    }
                }
            }
        }
    }

    /** The text of member {@code name}, or "" when absent. */
    static String text(JsonNode node, String name) {
        JsonNode v = node.path(name);
        return v.isMissingNode() || v.isNull() ? "" : v.asString();
    }
}
