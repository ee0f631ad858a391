package dev.nojit.host.seccomp;

/**
 * When a {@link Rule} applies, judged on the system call's arguments.
 *
 * <p>Classic BPF reads 32 bits at a time. The conditions here read only the LOW word of an
 * argument ({@code seccomp_data.args[i]} at byte offset 16 + 8·i; x86-64 is little-endian).
 * That is exact for every rule nojit has, because the kernel itself ignores the high word of
 * those arguments or has no flag bit there: {@code personality(unsigned int)},
 * {@code shmat(..., int shmflg)}, and the {@code prot} of mmap/mprotect/pkey_mprotect whose
 * PROT_* bits are all in the low word. A condition that had to see a full 64-bit value would
 * need a new kind here (two loads).
 */
public sealed interface Condition {
    /** Byte offset of the low word of argument {@code arg} (0..5) in struct seccomp_data. */
    static int lowWordOffset(int arg) {
        if (arg < 0 || arg > 5) throw new IllegalArgumentException("argument index " + arg);
        return 16 + 8 * arg;
    }

    /** Every call. */
    record Always() implements Condition {
        @Override public String toString() { return "always"; }
    }

    /** Some bit of {@code mask} is set in the low word of argument {@code arg}. */
    record AnyBitSet(int arg, int mask) implements Condition {
        public AnyBitSet {
            lowWordOffset(arg);
            if (mask == 0) throw new IllegalArgumentException("empty mask");
        }
        @Override public String toString() { return String.format("(u32)arg%d & 0x%x", arg, mask); }
    }

    /** The low word of argument {@code arg} differs from {@code value}. */
    record LowWordNot(int arg, int value) implements Condition {
        public LowWordNot {
            lowWordOffset(arg);
        }
        @Override public String toString() { return String.format("(u32)arg%d != 0x%x", arg, value); }
    }

    Condition ALWAYS = new Always();
}
