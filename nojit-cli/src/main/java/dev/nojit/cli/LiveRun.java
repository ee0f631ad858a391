package dev.nojit.cli;

import dev.nojit.audit.AuditEvent;
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
 * while it runs: its output lines are handed on as they come, and the audit log it writes is followed, each new complete line checked against the chain and handed on as an event.
 * The narration is live; the log is read again whole afterwards for the verdict.
 */
final class LiveRun {
    /** How often the growing log is looked at. */
    private static final long POLL_MS = 10;

    private final List<String> args;
    private final Path auditLog;
    private final Consumer<String> taskLine, nojitLine;
    private final Consumer<ObjectNode> event;
    private final List<ObjectNode> events = new ArrayList<>();

    /**
     * @param taskLine  each line the task printed (stdout and stderr, in order)
     * @param nojitLine each line nojit printed (they start with "nojit")
     * @param event     each audit event, checked against the chain, as it reaches the log
     */
    LiveRun(List<String> args, Path auditLog, Consumer<String> taskLine, Consumer<String> nojitLine, Consumer<ObjectNode> event) {
        this.args = List.copyOf(args);
        this.auditLog = auditLog;
        this.taskLine = taskLine;
        this.nojitLine = nojitLine;
        this.event = event;
    }

    /** Runs to the end (at most {@code timeoutSeconds}); returns the exit code of {@code nojit run}. */
    int run(long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(NojitJvm.command(args)).redirectErrorStream(true).start();
        p.getOutputStream().close(); // the task reads nothing from the terminal
        Follower follower = new Follower();
        // One pipe for stdout and stderr keeps their lines in the order they were written. A violation is
        // in the log (fsynced) before the vkernel reports the kill: reading the log before each line puts
        // the event before the line that reports it.
        Thread reader = Thread.ofPlatform().name("demo-output").start(() -> lines(p.getInputStream(), line -> {
            follower.pollQuietly();
            boolean fromNojit = line.startsWith("nojit");
            if (fromNojit && line.contains("by policy")) follower.releaseViolation();
            (fromNojit ? nojitLine : taskLine).accept(line);
        }));
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
        reader.join();
        follower.poll(); // what was written last
        follower.releaseAll();
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

        /**
         * Violations wait for the line in which the vkernel reports them ("... by policy ..."): the
         * reader may be behind the process, and the log already hold the next one. Events after a
         * held violation wait with it, so the order stays the log's.
         */
        private final java.util.ArrayDeque<ObjectNode> heldViolations = new java.util.ArrayDeque<>();

        synchronized void releaseViolation() {
            boolean released = false;
            while (!heldViolations.isEmpty()) {
                ObjectNode next = heldViolations.peekFirst();
                boolean violation = isViolation(next);
                if (violation && released) break;
                event.accept(heldViolations.pollFirst());
                released |= violation;
            }
        }

        synchronized void releaseAll() {
            while (!heldViolations.isEmpty()) event.accept(heldViolations.pollFirst());
        }

        void pollQuietly() {
            try {
                poll();
            } catch (IOException e) {
                // the main loop reads it again and reports a failure there
            }
        }

        synchronized void poll() throws IOException {
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
                        if (isViolation(e)) heldViolations.add(e);
                        else if (heldViolations.isEmpty()) event.accept(e);
                        else heldViolations.add(e);
                    }
                }
            }
        }
    }

    /** Whether an event of the log records a policy violation ({@link AuditEvent.Type#isViolation} of its type). */
    static boolean isViolation(JsonNode event) {
        String type = text(event, "type");
        for (AuditEvent.Type t : AuditEvent.Type.values()) if (t.isViolation() && t.json().equals(type)) return true;
        return false;
    }

    /** The text of member {@code name}, or "" when absent. */
    static String text(JsonNode node, String name) {
        JsonNode v = node.path(name);
        return v.isMissingNode() || v.isNull() ? "" : v.asString();
    }
}
