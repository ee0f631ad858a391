package dev.nojit.audit.budget;

import dev.nojit.audit.AuditException;

/** The container's audit budget is exhausted: the event was not recorded, and the container must stop. */
public final class AuditBudgetExceeded extends AuditException {
    public AuditBudgetExceeded(String message) {
        super(message);
    }
}
