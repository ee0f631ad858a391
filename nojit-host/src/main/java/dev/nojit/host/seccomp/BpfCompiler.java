package dev.nojit.host.seccomp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.nojit.host.seccomp.BpfInsn.JA;
import static dev.nojit.host.seccomp.BpfInsn.JEQ_K;
import static dev.nojit.host.seccomp.BpfInsn.JGE_K;
import static dev.nojit.host.seccomp.BpfInsn.JSET_K;
import static dev.nojit.host.seccomp.BpfInsn.LD_W_ABS;
import static dev.nojit.host.seccomp.BpfInsn.RET_K;

/**
 * Compiles a {@link SeccompPolicy} to classic BPF. The shape, straight-line and forward only:
 * <pre>
 *   ld [4]; jeq #arch, +1, +0; ret otherArch
 *   ld [0]; jge #X32_SYSCALL_BIT, +0, +1; ret x32
 *   for each system call with rules (in order of first appearance in the table):
 *     jeq #nr, +0, +len(block)      -- or, when len(block) > 255: jeq #nr, +1, +0; ja +len(block)
 *     block: for each rule: [ld arg; test;] ret action
 *            ret otherwise
 *     ld [0]                         -- only after a block that loaded an argument into A
 *   ret otherwise
 * </pre>
 * Every conditional jump inside a block skips at most one instruction; only the skip over a
 * whole block can be long, and then it goes through BPF_JA (32-bit offset). The output depends
 * only on the policy, so the same table always gives the same bytes and hash.
 */
public final class BpfCompiler {
    /** Offsets in struct seccomp_data { int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]; }. */
    static final int NR_OFFSET = 0, ARCH_OFFSET = 4;

    private BpfCompiler() {}

    public static BpfProgram compile(SeccompPolicy policy) {
        List<BpfInsn> out = new ArrayList<>();
        out.add(ld(ARCH_OFFSET));
        out.add(new BpfInsn(JEQ_K, 1, 0, policy.arch()));
        out.add(ret(policy.otherArch()));
        out.add(ld(NR_OFFSET));
        out.add(new BpfInsn(JGE_K, 0, 1, SeccompPolicy.X32_SYSCALL_BIT));
        out.add(ret(policy.x32()));

        Map<Integer, List<Rule>> bySyscall = new LinkedHashMap<>();
        for (Rule r : policy.rules()) bySyscall.computeIfAbsent(r.nr(), n -> new ArrayList<>()).add(r);

        boolean accHoldsNr = true;
        for (Map.Entry<Integer, List<Rule>> e : bySyscall.entrySet()) {
            List<BpfInsn> block = block(e.getValue(), policy.otherwise());
            if (!accHoldsNr) out.add(ld(NR_OFFSET));
            if (block.size() <= 255) {
                out.add(new BpfInsn(JEQ_K, 0, block.size(), e.getKey()));
            } else {
                out.add(new BpfInsn(JEQ_K, 1, 0, e.getKey()));
                out.add(new BpfInsn(JA, 0, 0, block.size()));
            }
            out.addAll(block);
            accHoldsNr = block.stream().noneMatch(i -> i.code() == LD_W_ABS);
        }
        out.add(ret(policy.otherwise()));
        return new BpfProgram(out);
    }

    /** The rules of one system call, each ending in its ret, then the default. */
    private static List<BpfInsn> block(List<Rule> rules, Action otherwise) {
        List<BpfInsn> b = new ArrayList<>();
        for (Rule r : rules) {
            switch (r.when()) {
                case Condition.Always a -> { }
                case Condition.AnyBitSet c -> {
                    b.add(ld(Condition.lowWordOffset(c.arg())));
                    b.add(new BpfInsn(JSET_K, 0, 1, c.mask()));
                }
                case Condition.LowWordNot c -> {
                    b.add(ld(Condition.lowWordOffset(c.arg())));
                    b.add(new BpfInsn(JEQ_K, 1, 0, c.value()));
                }
            }
            b.add(ret(r.action()));
            if (r.when() instanceof Condition.Always) return b; // later rules of this call are unreachable
        }
        b.add(ret(otherwise));
        return b;
    }

    private static BpfInsn ld(int offset) {
        return new BpfInsn(LD_W_ABS, 0, 0, offset);
    }

    private static BpfInsn ret(Action a) {
        return new BpfInsn(RET_K, 0, 0, a.seccompRet());
    }
}
