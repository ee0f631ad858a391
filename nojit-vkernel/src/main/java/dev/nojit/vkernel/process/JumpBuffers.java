package dev.nojit.vkernel.process;

import dev.nojit.engine.ResumePoint;
import dev.nojit.engine.Snapshot;

import java.util.HashMap;
import java.util.Map;

/**
 * setjmp/sigsetjmp records by jmp_buf address: the engine's resume point of the setjmp call,
 * and the signal mask sigsetjmp saved (or null). Bounded: a guest that calls setjmp on ever new
 * buffers cannot grow this without limit.
 */
public final class JumpBuffers {
    public record Jump(ResumePoint point, Long savedMask) {}

    private static final int MAX = 4096;
    private final Map<Long, Jump> jumps = new HashMap<>();

    public synchronized boolean record(long buffer, Jump jump) {
        if (!jumps.containsKey(buffer) && jumps.size() >= MAX) return false;
        jumps.put(buffer, jump);
        return true;
    }

    public synchronized Jump get(long buffer) {
        return jumps.get(buffer);
    }

    /** execve: the old image's buffers mean nothing any more. */
    public synchronized void clear() {
        jumps.clear();
    }

    /** fork: the same buffers, pointing into the child's copy of the machine. */
    public synchronized JumpBuffers copyFor(Snapshot snap) {
        JumpBuffers c = new JumpBuffers();
        jumps.forEach((k, v) -> c.jumps.put(k, new Jump(snap.resumePoint(v.point()), v.savedMask())));
        return c;
    }
}
