package dev.nojit.engine;

/**
 * Asked before a memory grows, so an embedder can count the new bytes against its own limit at
 * the moment they are allocated (memory.grow by the guest included), not after the fact.
 */
public interface GrowthBudget {
    /** True when {@code bytes} more may be allocated (they are now counted); false makes the grow fail (-1). */
    boolean reserve(long bytes);

    /** The allocation failed after {@link #reserve} said yes: give those bytes back. */
    void cancel(long bytes);
}
