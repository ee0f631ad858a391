package dev.nojit.audit.wire;

import dev.nojit.audit.AuditException;

/** A message between the vkernel and the shim is malformed or refused; the message says what. */
public final class WireException extends RuntimeException {
    public WireException(String message) {
        super(message, null, false, false);
    }

    AuditException asAudit() {
        return new AuditException(getMessage());
    }
}
