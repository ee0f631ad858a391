package dev.nojit.vkernel.policy;

import java.util.EnumSet;
import java.util.Set;

/**
 * Test-only: switches one {@link PolicyCheck} off for the kernels created while it is off, to show
 * that removing it lets an attack through (the mutation test of {@code nojit simulate}). Lives in
 * the test sources (nojit-vkernel's test-jar), so no shipped jar contains a way to call it.
 * Tests that use it must not run concurrently with other container tests in the same JVM.
 */
public final class PolicyMutations {
    private PolicyMutations() {}

    /** Disables {@code check} until the returned handle is closed. */
    public static synchronized AutoCloseable without(PolicyCheck check) {
        Set<PolicyCheck> off = EnumSet.of(check);
        off.addAll(PolicyChecks.testDisabled);
        PolicyChecks.testDisabled = Set.copyOf(off);
        return () -> {
            synchronized (PolicyMutations.class) {
                Set<PolicyCheck> now = EnumSet.noneOf(PolicyCheck.class);
                now.addAll(PolicyChecks.testDisabled);
                now.remove(check);
                PolicyChecks.testDisabled = Set.copyOf(now);
            }
        };
    }
}
