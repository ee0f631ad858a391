package dev.nojit.audit;

/**
 * Where a container's events go. The vkernel only ever sees this interface: in one JVM it is
 * the log file itself, with the shim/vkernel split a pipe to the shim that holds the file.
 */
public interface AuditSink extends AutoCloseable {
    /**
     * Appends {@code event} to the chain and returns its {@code seq}. With {@code durable} the
     * call returns only once the event (and every earlier one) is on stable storage (fsync):
     * a violation's event is recorded before the offender runs again or dies.
     *
     * @throws AuditException when the event cannot be recorded; the caller must then fail closed
     */
    long append(AuditEvent event, boolean durable);

    /** The hash of the last event appended (the chain's head), or the genesis value before any. */
    String head();

    @Override
    void close();
}
