package dev.nojit.host.landlock;

import java.util.Optional;

/**
 * What {@code landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION)} said: the ABI version
 * (1 and up) or 0 with the errno (ENOSYS 38: kernel built without Landlock; EOPNOTSUPP 95: built in but
 * not enabled at boot, i.e. missing from the {@code lsm=} list).
 */
public record LandlockProbe(int abi, int errno) {
    public static final int ENOSYS = 38, EOPNOTSUPP = 95;

    public boolean available() {
        return abi > 0;
    }

    /** A line for logs and the attestation, e.g. "Landlock ABI 7" or "Landlock absent (ENOSYS: ...)". */
    public String describe() {
        if (available()) return "Landlock ABI " + abi;
        return "Landlock absent, ABI 0 (" + switch (errno) {
            case ENOSYS -> "ENOSYS: the kernel has no Landlock";
            case EOPNOTSUPP -> "EOPNOTSUPP: Landlock is built in but disabled (not in the lsm= boot list)";
            default -> "errno " + errno;
        } + ")";
    }

    /**
     * For {@code --host-lockdown strict}: empty when ABI {@code minAbi} or newer is there, otherwise the
     * refusal message naming what is missing and the ABI found.
     */
    public Optional<String> require(int minAbi) {
        if (abi >= minAbi) return Optional.empty();
        return Optional.of("host lockdown needs Landlock ABI " + minAbi + " or newer; found: " + describe());
    }
}
