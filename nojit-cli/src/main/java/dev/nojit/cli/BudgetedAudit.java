package dev.nojit.cli;

import dev.nojit.audit.AuditSink;
import dev.nojit.audit.budget.AuditBudget;
import dev.nojit.audit.budget.BudgetedSink;
import dev.nojit.vkernel.policy.PolicyCheck;
import dev.nojit.vkernel.policy.PolicyChecks;

/**
 * Puts a container's audit sink behind its {@link AuditBudget} ({@link BudgetedSink}); the one
 * place that asks whether {@link PolicyCheck#AUDIT_BUDGET} is on (always, outside the mutation
 * test of {@code nojit simulate}).
 */
public final class BudgetedAudit {
    private BudgetedAudit() {}

    public static AuditSink wrap(AuditSink sink, AuditBudget budget) {
        return PolicyChecks.forNewKernel().on(PolicyCheck.AUDIT_BUDGET) ? new BudgetedSink(sink, budget) : sink;
    }
}
