package dev.nojit.audit.wire;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.AuditException;
import dev.nojit.audit.AuditSink;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The vkernel's audit sink when the shim holds the log: events go up a Unix socket to the shim,
 * which writes and fsyncs them; a durable append returns only after the shim's ack, so "recorded
 * before the offender runs again" holds across the process boundary. The vkernel cannot open the
 * log itself. One I/O thread talks to the socket (guest threads are interrupted to deliver
 * signals, and an interrupted NIO call would close the channel); callers wait uninterruptibly.
 * Once the channel fails every append throws {@link AuditException}: the caller fails closed.
 */
public final class SocketAuditSink implements AuditSink {
    private record Pending(byte[] line, boolean durable, CompletableFuture<Long> done) {}

    private static final Pending STOP = new Pending(new byte[0], false, new CompletableFuture<>());
    private final LineChannel channel;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>(4096);
    private final Thread io;
    private volatile String failure;
    private long sent;

    private SocketAuditSink(SocketChannel ch) {
        this.channel = new LineChannel(ch);
        this.io = Thread.ofPlatform().daemon().name("nojit-audit-uplink").start(this::pump);
    }

    /** Connects to the shim's socket at {@code socket}. */
    public static SocketAuditSink connect(Path socket) {
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            return new SocketAuditSink(ch);
        } catch (IOException e) {
            throw new AuditException("cannot reach the audit log holder at " + socket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long append(AuditEvent event, boolean durable) {
        if (failure != null) throw new AuditException(failure);
        Pending p = new Pending(EventWire.encode(event, durable), durable, new CompletableFuture<>());
        putUninterruptibly(p);
        if (!durable) {
            synchronized (this) {
                return ++sent;
            }
        }
        return awaitUninterruptibly(p.done());
    }

    /** Sends the vkernel's lockdown report (its first message) and waits until the shim has taken it. */
    public void report(java.util.Map<String, Object> report) {
        if (failure != null) throw new AuditException(failure);
        Pending p = new Pending(EventWire.encodeReport(report), true, new CompletableFuture<>());
        putUninterruptibly(p);
        awaitUninterruptibly(p.done());
    }

    @Override
    public String head() {
        throw new UnsupportedOperationException("the chain's head is kept by the shim");
    }

    private void pump() {
        try {
            while (true) {
                Pending p = queue.take();
                if (p == STOP) break;
                channel.write(p.line());
                if (p.durable()) {
                    byte[] answer = channel.readLine();
                    if (answer == null) throw new WireException("the audit log holder went away");
                    p.done().complete(EventWire.readAck(answer));
                } else {
                    p.done().complete(0L);
                }
            }
        } catch (IOException | WireException | InterruptedException e) {
            failure = "audit uplink failed: " + e.getMessage();
            Pending p;
            while ((p = queue.poll()) != null) p.done().completeExceptionally(new AuditException(failure));
        } finally {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing after a failure or at the end: nothing left to tell
            }
        }
    }

    private void putUninterruptibly(Pending p) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(p);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private long awaitUninterruptibly(CompletableFuture<Long> f) {
        boolean interrupted = false;
        try {
            while (true) {
                if (failure != null && !f.isDone()) throw new AuditException(failure);
                try {
                    return f.get(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (java.util.concurrent.TimeoutException e) {
                    // look at the failure flag again
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof AuditException a ? a : new AuditException(String.valueOf(e.getCause()));
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** Sends what is queued, then closes the connection. */
    @Override
    public void close() {
        putUninterruptibly(STOP);
        try {
            io.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
