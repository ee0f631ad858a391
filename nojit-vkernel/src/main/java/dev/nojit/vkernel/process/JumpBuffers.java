package dev.nojit.vkernel.process;

import dev.nojit.engine.ResumePoint;
import dev.nojit.engine.Snapshot;

import java.util.HashMap;
import java.util.Map;

/**
 * setjmp/sigsetjmp records. setjmp writes a token into the guest's jmp_buf and keeps the
 * engine's resume point (and the mask sigsetjmp saved) under that token; longjmp reads the
 * token back. Keeping the key in the buffer, not its address, is what makes programs that copy
 * jmp_bufs around (bash saves and restores its top level with memcpy) work. Records whose frame
 * has returned are dropped when the table grows, so a program calling setjmp in a loop (lua, on
 * every protected call) does not grow it without bound.
 */
public final class JumpBuffers {
    public record Jump(ResumePoint point, Long savedMask) {}

    private static final int PRUNE_AT = 1024;
    private static final int MAX = 1 << 16;
    private final Map<Integer, Jump> jumps = new HashMap<>();
    private int nextToken = 1;
    private int pruneAt = PRUNE_AT;

    /** Records a jump and returns its token (to store in the jmp_buf), or 0 when too many frames hold live ones. */
    public synchronized int record(Jump jump) {
        if (jumps.size() >= pruneAt) {
            jumps.values().removeIf(j -> !j.point().live());
            pruneAt = Math.max(PRUNE_AT, jumps.size() * 2);
            if (jumps.size() >= MAX) return 0;
        }
        int token = nextToken;
        nextToken = nextToken == Integer.MAX_VALUE ? 1 : nextToken + 1;
        jumps.put(token, jump);
        return token;
    }

    public synchronized Jump get(int token) {
        return jumps.get(token);
    }

    /** execve: the old image's buffers mean nothing any more. */
    public synchronized void clear() {
        jumps.clear();
    }

    /** fork: the same tokens, pointing into the child's copy of the machine. */
    public synchronized JumpBuffers copyFor(Snapshot snap) {
        JumpBuffers c = new JumpBuffers();
        c.nextToken = nextToken;
        c.pruneAt = pruneAt;
        jumps.forEach((k, v) -> {
            if (v.point().live()) c.jumps.put(k, new Jump(snap.resumePoint(v.point()), v.savedMask()));
        });
        return c;
    }
}
