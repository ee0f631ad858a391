package dev.nojit.vkernel.syscall;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.AuditSink;
import dev.nojit.audit.MemoryAuditSink;

/** The real audit log (to verify its chain) and an in-memory copy of its events (to check them one by one). */
final class TeeAuditSink implements AuditSink {
    private final AuditSink log;
    final MemoryAuditSink copy = new MemoryAuditSink();

    TeeAuditSink(AuditSink log) {
        this.log = log;
    }

    @Override
    public synchronized long append(AuditEvent event, boolean durable) {
        long seq = log.append(event, durable);
        copy.append(event, durable);
        return seq;
    }

    @Override
    public String head() {
        return log.head();
    }

    @Override
    public void close() {
        log.close();
    }
}
