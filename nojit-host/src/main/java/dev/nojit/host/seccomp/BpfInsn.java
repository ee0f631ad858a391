package dev.nojit.host.seccomp;

/**
 * One classic BPF instruction, {@code struct sock_filter { __u16 code; __u8 jt; __u8 jf; __u32 k; }}
 * (8 bytes, native = little-endian order). Only the opcodes the compiler emits are named here.
 */
public record BpfInsn(int code, int jt, int jf, int k) {
    /** BPF_LD | BPF_W | BPF_ABS: A = 32-bit word at byte offset k of struct seccomp_data. */
    public static final int LD_W_ABS = 0x20;
    /** BPF_JMP | BPF_JA: pc += k (32-bit offset: the long jump). */
    public static final int JA = 0x05;
    /** BPF_JMP | BPF_JEQ | BPF_K: pc += (A == k) ? jt : jf. */
    public static final int JEQ_K = 0x15;
    /** BPF_JMP | BPF_JGE | BPF_K: pc += (A >= k, unsigned) ? jt : jf. */
    public static final int JGE_K = 0x35;
    /** BPF_JMP | BPF_JSET | BPF_K: pc += (A & k) != 0 ? jt : jf. */
    public static final int JSET_K = 0x45;
    /** BPF_RET | BPF_K: return k. */
    public static final int RET_K = 0x06;

    /** Byte size of struct sock_filter. */
    public static final int SIZE = 8;

    public BpfInsn {
        if (code < 0 || code > 0xffff || jt < 0 || jt > 0xff || jf < 0 || jf > 0xff) {
            throw new IllegalArgumentException("bad sock_filter " + code + "/" + jt + "/" + jf);
        }
    }

    @Override
    public String toString() {
        return switch (code) {
            case LD_W_ABS -> "ld  [" + k + "]";
            case JA -> "ja  +" + Integer.toUnsignedString(k);
            case JEQ_K -> String.format("jeq #0x%x, +%d, +%d", k, jt, jf);
            case JGE_K -> String.format("jge #0x%x, +%d, +%d", k, jt, jf);
            case JSET_K -> String.format("jset #0x%x, +%d, +%d", k, jt, jf);
            case RET_K -> String.format("ret #0x%08x", k);
            default -> String.format("code 0x%x jt %d jf %d k 0x%x", code, jt, jf, k);
        };
    }
}
