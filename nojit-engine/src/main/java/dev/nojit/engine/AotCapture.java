package dev.nojit.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Deoptimization for fork (AOT mode): thrown by {@link HostCall#snapshot()} when compiled frames of a module
 * translated with deoptimization sites are on the Java stack. It travels up through those frames; each one's
 * handler appends its activation ({@link AotContext#captured}: the function, the call site it is paused at, its
 * locals and the operands below the call) and rethrows; where compiled code was entered from the interpreter
 * or from {@link Machine}'s call, the engine rebuilds the activations as interpreter frames, the innermost one
 * positioned on the host call, and runs them: the host function runs again, now under interpreted frames only,
 * and its snapshot succeeds. The host function must not have done anything visible before asking for the
 * snapshot (the vkernel's fork asks first).
 *
 * <p>Generated code only catches, appends and rethrows it; it is never a guest-visible error.
 */
public final class AotCapture extends RuntimeException {
    /** One captured compiled activation, innermost first in {@link #frames}. */
    record Frame(Instance instance, int definedIndex, int site, long[] locals, long[] below, AotFrame frame,
                 int[] returnsTwiceSites) {}

    final List<Frame> frames = new ArrayList<>();
    /** The compiled frames that must append themselves (the machine's count when the capture began). */
    final int expected;
    /** The arguments of the host call to run again (set where the compiled code called the import). */
    long[] hostArgs;

    AotCapture(int expected) {
        super("deoptimization for a snapshot", null, false, false);
        this.expected = expected;
    }
}
