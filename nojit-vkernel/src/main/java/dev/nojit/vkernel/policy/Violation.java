package dev.nojit.vkernel.policy;

import dev.nojit.audit.AuditEvent;

/**
 * Thrown by a syscall handler (or by anything it calls, such as a /proc node's open) when the
 * guest asked for something the policy forbids. It never reaches the guest as an errno: the
 * personality's dispatcher hands it to {@link Enforcer#respond}, which records it and kills the
 * offender. No stack trace: guests trigger it at will.
 *
 * @param type   memory_exec_denied, exec_denied or code_load_denied
 * @param reason one sentence for the audit log
 * @param target the file involved, or null
 */
public final class Violation extends RuntimeException {
    private final AuditEvent.Type type;
    private final AuditEvent.TargetRef target;

    public Violation(AuditEvent.Type type, String reason, AuditEvent.TargetRef target) {
        super(reason, null, false, false);
        if (!type.isViolation()) throw new IllegalArgumentException(type + " is not a violation");
        this.type = type;
        this.target = target;
    }

    public static Violation memoryExec(String reason) {
        return new Violation(AuditEvent.Type.MEMORY_EXEC_DENIED, reason, null);
    }

    public static Violation codeLoad(String reason, AuditEvent.TargetRef target) {
        return new Violation(AuditEvent.Type.CODE_LOAD_DENIED, reason, target);
    }

    public static Violation exec(String reason, AuditEvent.TargetRef target) {
        return new Violation(AuditEvent.Type.EXEC_DENIED, reason, target);
    }

    public AuditEvent.Type type() {
        return type;
    }

    public String reason() {
        return getMessage();
    }

    public AuditEvent.TargetRef target() {
        return target;
    }
}
