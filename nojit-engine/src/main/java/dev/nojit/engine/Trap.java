package dev.nojit.engine;

/**
 * A WebAssembly trap: guest execution stopped and the machine unwound to the outermost invoke. Carries no
 * Java stack trace (traps are guest behaviour, not host bugs, and hostile guests can trap at will).
 */
public final class Trap extends RuntimeException {
    private final TrapKind kind;

    public Trap(TrapKind kind) {
        this(kind, kind.message(), null);
    }

    public Trap(TrapKind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public TrapKind kind() {
        return kind;
    }
}
