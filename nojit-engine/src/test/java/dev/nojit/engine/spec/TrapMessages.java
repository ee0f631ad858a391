package dev.nojit.engine.spec;

import dev.nojit.engine.Trap;

/**
 * Whether a trap answers a script's expected message. As in the spec's reference interpreter, the engine's
 * message must start with the expected text. One allowance: where the reference interpreter appends a detail
 * the engine does not report ("uninitialized element 2"), the engine's message must still be its trap kind's
 * exact spec wording, and the expected text that wording plus a space and the detail.
 */
final class TrapMessages {
    private TrapMessages() {}

    static boolean matches(Trap trap, String expected) {
        String message = trap.getMessage() == null ? "" : trap.getMessage();
        if (message.startsWith(expected)) return true;
        String wording = trap.kind().message();
        return message.startsWith(wording) && expected.startsWith(wording + " ");
    }
}
