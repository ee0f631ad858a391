package dev.nojit.host.landlock;

/**
 * What {@link Landlock#restrictCurrentThread} put in force: the ABI and the handled masks it used, and
 * the rules. {@link #describe()} is the attestation text: a header line
 * {@code landlock abi=N handled_fs=0x.. handled_net=0x.. scoped=0x..} followed by the rules' text.
 */
public record LandlockApplied(int abi, long handledFs, long handledNet, long scoped, LandlockRules rules) {
    public String describe() {
        return "landlock abi=%d handled_fs=0x%x handled_net=0x%x scoped=0x%x\n".formatted(abi, handledFs, handledNet, scoped)
                + rules.describe();
    }
}
