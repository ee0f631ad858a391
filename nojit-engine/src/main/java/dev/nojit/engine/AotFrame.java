package dev.nojit.engine;

/**
 * The identity of one activation of a compiled function that has returns-twice call sites (setjmp): resume
 * points recorded at those sites name it, and an unwind to one of them is caught by that activation only. Generated
 * code wraps the function's body in a handler for {@link RuntimeException}: {@link #resumeFor} says whether the
 * exception is an unwind to this activation (then the code restores its values and continues after the call
 * site) or not (then it calls {@link #close} and rethrows). {@link #close} also runs before each normal return.
 */
public final class AotFrame {
    AotFrame() {}

    /** The resume this exception asks of this activation, or null when it is not an unwind to it. */
    public AotResume resumeFor(RuntimeException e) { throw new UnsupportedOperationException("AOT runtime not yet built"); }

    /** The activation has ended: unwinding to it later traps ("unwind target is no longer on the stack"). */
    public void close() { throw new UnsupportedOperationException("AOT runtime not yet built"); }
}
