package dev.nojit.audit.wire;

import dev.nojit.audit.AuditException;
import dev.nojit.audit.AuditSink;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * The shim's end: listens on a Unix socket in its private directory, accepts the vkernel's one
 * connection, and appends every event it sends to the log, acking durable ones after the fsync.
 * The vkernel is not trusted: a malformed message ends the relay (and so the vkernel's ability to
 * record anything, which stops its container); {@link #result()} says why.
 */
public final class AuditRelay implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Path socket;
    private final java.util.function.Function<java.util.Map<String, Object>, AuditSink> opener;
    private AuditSink log; // opened at the first message (from the vkernel's report, or without one)
    private final CompletableFuture<String> result = new CompletableFuture<>();
    private volatile long events;
    private volatile boolean closing;
    private volatile SocketChannel connection;

    private AuditRelay(ServerSocketChannel server, Path socket, java.util.function.Function<java.util.Map<String, Object>, AuditSink> opener) {
        this.server = server;
        this.socket = socket;
        this.opener = opener;
        Thread.ofPlatform().daemon().name("nojit-audit-relay").start(this::serve);
    }

    /** Listens at {@code socket} (a path in a private directory; must not exist yet). */
    public static AuditRelay listen(Path socket, AuditSink log) {
        return listen(socket, report -> log);
    }

    /**
     * Listens at {@code socket}; the log is opened by {@code opener} when the first message
     * arrives, given the vkernel's lockdown report (or null when the first message is an event).
     * The opener may throw {@link AuditException} to refuse the run (e.g. strict lockdown not in force).
     */
    public static AuditRelay listen(Path socket, java.util.function.Function<java.util.Map<String, Object>, AuditSink> opener) {
        try {
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            s.bind(UnixDomainSocketAddress.of(socket), 1);
            return new AuditRelay(s, socket, opener);
        } catch (IOException e) {
            throw new AuditException("cannot listen at " + socket + ": " + e.getMessage(), e);
        }
    }

    private void serve() {
        try (SocketChannel ch = server.accept(); LineChannel lines = new LineChannel(ch)) {
            connection = ch;
            server.close(); // one vkernel, one connection
            if (closing) return;
            byte[] line;
            while ((line = lines.readLine()) != null) {
                EventWire.Message m;
                try {
                    m = EventWire.decode(line);
                } catch (WireException e) {
                    lines.write(EventWire.refusal(e.getMessage()));
                    result.complete("malformed event from the vkernel: " + e.getMessage());
                    return;
                }
                if (log == null) {
                    try {
                        log = opener.apply(m.report());
                    } catch (AuditException e) {
                        lines.write(EventWire.refusal(e.getMessage()));
                        result.complete(e.getMessage());
                        return;
                    }
                    if (m.isReport()) {
                        lines.write(EventWire.ack(0));
                        continue;
                    }
                } else if (m.isReport()) {
                    lines.write(EventWire.refusal("a second lockdown report"));
                    result.complete("the vkernel sent a second lockdown report");
                    return;
                }
                long seq;
                try {
                    seq = log.append(m.event(), m.durable());
                } catch (AuditException e) {
                    lines.write(EventWire.refusal(e.getMessage()));
                    result.complete("the audit log failed: " + e.getMessage());
                    return;
                }
                events++;
                if (m.durable()) lines.write(EventWire.ack(seq));
            }
            result.complete(null);
        } catch (IOException | WireException e) {
            result.complete(closing ? null : "audit relay failed: " + e.getMessage());
        }
    }

    /** Completes when the vkernel's connection ends: null when it ended cleanly, else why not. */
    public CompletableFuture<String> result() {
        return result;
    }

    /** Events relayed so far. */
    public long events() {
        return events;
    }

    /** Stops listening and ends the vkernel's connection (its later appends fail). */
    @Override
    public void close() {
        closing = true;
        try {
            server.close();
            SocketChannel c = connection;
            if (c != null) c.close();
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // the private directory is removed by its owner
        }
    }
}
