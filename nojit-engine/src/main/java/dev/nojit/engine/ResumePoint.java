package dev.nojit.engine;

/**
 * The call site of a host import, recorded so that a later host call on the same machine can make it return
 * again (setjmp/longjmp). It holds the frame's identity (depth and serial, so a frame that has returned is
 * recognised as dead), where to continue, and the operand values the frame had below the call.
 */
public final class ResumePoint {
    final Machine machine;
    final int depth;
    final long serial;
    final int pc;
    final int fp;
    final int sp;
    final FunctionCode fn;
    final Instance inst;
    final long[] operands;
    final FuncType hostType;

    ResumePoint(Machine machine, int depth, long serial, int pc, int fp, int sp, FunctionCode fn, Instance inst,
                long[] operands, FuncType hostType) {
        this.machine = machine;
        this.depth = depth;
        this.serial = serial;
        this.pc = pc;
        this.fp = fp;
        this.sp = sp;
        this.fn = fn;
        this.inst = inst;
        this.operands = operands;
        this.hostType = hostType;
    }

    /** Whether the frame that made the recorded call is still on the machine's stack (else unwinding to it traps). */
    public boolean live() {
        return depth <= machine.depth && machine.frameSerial[depth - 1] == serial;
    }
}
