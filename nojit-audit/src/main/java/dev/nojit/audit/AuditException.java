package dev.nojit.audit;

/** The audit log cannot be written or read; the message names the file and the problem. */
public class AuditException extends RuntimeException {
    public AuditException(String message) {
        super(message);
    }

    public AuditException(String message, Throwable cause) {
        super(message, cause);
    }
}
