package dev.nojit.host.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A classic BPF interpreter for seccomp programs, written for the tests from the kernel's
 * semantics, not from the compiler: it decodes the raw struct sock_filter bytes and knows only
 * the opcodes a nojit filter may contain (ld w abs, ja, jeq/jge/jset k, ret k); anything else,
 * a jump out of the program, an unaligned or out-of-range load, or running off the end is an
 * error, as the kernel's checker would refuse it.
 */
final class ClassicBpfInterpreter {
    /** struct seccomp_data: nr, arch, instruction_pointer, args[6] (64 bytes, little-endian). */
    record SeccompData(int nr, int arch, long... args) {
        SeccompData {
            if (args.length > 6) throw new IllegalArgumentException("six arguments at most");
            args = java.util.Arrays.copyOf(args, 6);
        }

        /** The 32-bit word at byte offset {@code off}, as BPF_LD|BPF_W|BPF_ABS reads it. */
        int word(int off) {
            ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(nr).putInt(arch).putLong(0x7fff_1234_5678L);
            for (long a : args) b.putLong(a);
            if (off < 0 || off > 60 || off % 4 != 0) throw new IllegalStateException("load at offset " + off);
            return b.getInt(off);
        }
    }

    private final int[] code, jt, jf, k;

    ClassicBpfInterpreter(byte[] program) {
        if (program.length == 0 || program.length % 8 != 0) throw new IllegalArgumentException("length " + program.length);
        int n = program.length / 8;
        code = new int[n]; jt = new int[n]; jf = new int[n]; k = new int[n];
        ByteBuffer b = ByteBuffer.wrap(program).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            code[i] = Short.toUnsignedInt(b.getShort());
            jt[i] = Byte.toUnsignedInt(b.get());
            jf[i] = Byte.toUnsignedInt(b.get());
            k[i] = b.getInt();
        }
    }

    int length() {
        return code.length;
    }

    /** Runs the program over {@code d}; the 32-bit value it returns. */
    int run(SeccompData d) {
        int a = 0;
        int pc = 0;
        for (int steps = 0; steps <= code.length; steps++) {
            if (pc < 0 || pc >= code.length) throw new IllegalStateException("pc " + pc + " outside the program");
            int c = code[pc];
            switch (c) {
                case 0x20 -> { a = d.word(k[pc]); pc++; }                      // ld w abs
                case 0x05 -> pc = jump(pc, Integer.toUnsignedLong(k[pc]));     // ja
                case 0x15 -> pc = jump(pc, a == k[pc] ? jt[pc] : jf[pc]);        // jeq k
                case 0x35 -> pc = jump(pc, Integer.compareUnsigned(a, k[pc]) >= 0 ? jt[pc] : jf[pc]); // jge k
                case 0x45 -> pc = jump(pc, (a & k[pc]) != 0 ? jt[pc] : jf[pc]);  // jset k
                case 0x06 -> { return k[pc]; }                                  // ret k
                default -> throw new IllegalStateException(String.format("opcode 0x%x at %d not allowed", c, pc));
            }
        }
        throw new IllegalStateException("no ret: ran past the end");
    }

    private int jump(int pc, long offset) {
        long target = pc + 1 + offset;
        if (target >= code.length) throw new IllegalStateException("jump from " + pc + " to " + target + " outside the program");
        return (int) target;
    }
}
