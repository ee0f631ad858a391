package dev.nojit.cli;

/**
 * Exit codes of every command but {@code run} (SPEC §2). {@code run} will follow
 * {@code docker run} instead (125, 126, 127, the guest's status).
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** A check failed: bad signature or hash, malformed bundle, refused module, unreadable key or input. */
    public static final int CHECK_FAILED = 1;
    /** The command line is wrong: unknown option, missing or malformed argument. */
    public static final int USAGE = 2;

    private ExitCodes() {}
}
