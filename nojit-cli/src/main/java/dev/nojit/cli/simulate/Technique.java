package dev.nojit.cli.simulate;

import dev.nojit.vkernel.policy.PolicyCheck;

/**
 * One attack of the simulation: run {@code /bin/attack-<program> <name>} in its own container
 * of the bundle for {@code profile}, and compare what happened with {@code expected}.
 *
 * @param entry  the syscall or path it goes through (the ENTRY POINT column)
 * @param why    one sentence: what the attack hopes for and why the answer is right (docs/simulate.md)
 * @param check  the policy check that stops it, or null when no policy check is involved (an
 *               ordinary errno, a control): the mutation test switches that check off and expects
 *               this technique to fail
 */
public record Technique(String name, String program, Profile profile, String entry, Expectation expected, String why,
                        PolicyCheck check) {
    /** The bundle (its signed policy) a technique runs in. */
    public enum Profile {
        /** onViolation kill-process, scripts via-interpreter: the defaults. */
        KILL_PROCESS("kill-process"),
        /** onViolation kill-container. */
        KILL_CONTAINER("kill-container"),
        /** scripts manifest-only, with an interpreter spec (bash profile) for /bin/wali-echo. */
        MANIFEST_ONLY("manifest-only");

        private final String label;

        Profile(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public String path() {
        return "/bin/attack-" + program;
    }
}
