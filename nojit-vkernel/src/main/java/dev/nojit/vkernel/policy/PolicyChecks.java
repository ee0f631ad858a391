package dev.nojit.vkernel.policy;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which {@link PolicyCheck}s a kernel enforces: in production, always all of them. A kernel takes
 * its set once, when it is created ({@link #forNewKernel}).
 *
 * <p>The only way to switch a check off is {@link #testDisabled}, a package-private field: no
 * option, environment variable, system property or public method reaches it, so neither the CLI
 * nor a bundle nor a guest can. It exists for the mutation test of {@code nojit simulate}
 * (issue 7: "removing any one policy check makes at least one row fail"), which sets it through
 * {@code dev.nojit.vkernel.policy.PolicyMutations} — a class in nojit-vkernel's <em>test</em>
 * sources (its test-jar), never in a shipped jar. A disabled check behaves as a kernel without
 * it would: the call goes on as Linux would run it, as far as the vkernel can.
 */
public final class PolicyChecks {
    /** Checks switched off for kernels created from now on; set only by test code in this package. */
    static volatile Set<PolicyCheck> testDisabled = Set.of();

    private static final PolicyChecks ALL = new PolicyChecks(Set.of());

    private final Set<PolicyCheck> disabled;

    private PolicyChecks(Set<PolicyCheck> disabled) {
        this.disabled = disabled.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(disabled));
    }

    /** The checks a kernel created now enforces. */
    public static PolicyChecks forNewKernel() {
        Set<PolicyCheck> off = testDisabled;
        return off.isEmpty() ? ALL : new PolicyChecks(off);
    }

    /** Whether {@code check} is enforced (always, outside a mutation test). */
    public boolean on(PolicyCheck check) {
        return !disabled.contains(check);
    }

    /** The checks switched off (empty outside a mutation test). */
    public Set<PolicyCheck> disabled() {
        return disabled;
    }
}
