package dev.nojit.host.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A compiled classic BPF program: the instructions, their bytes as the kernel reads them
 * (an array of struct sock_filter, little-endian) and the SHA-256 of those bytes, which the
 * attestation states as the filter's identity.
 */
public record BpfProgram(List<BpfInsn> instructions) {
    /** BPF_MAXINSNS: the kernel refuses longer programs. */
    public static final int MAX_INSNS = 4096;

    public BpfProgram {
        instructions = List.copyOf(instructions);
        if (instructions.isEmpty() || instructions.size() > MAX_INSNS) {
            throw new IllegalArgumentException("program of " + instructions.size() + " instructions");
        }
    }

    public int size() {
        return instructions.size();
    }

    /** The program as struct sock_filter[size()]: u16 code, u8 jt, u8 jf, u32 k, little-endian. */
    public byte[] bytes() {
        ByteBuffer b = ByteBuffer.allocate(size() * BpfInsn.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (BpfInsn i : instructions) {
            b.putShort((short) i.code()).put((byte) i.jt()).put((byte) i.jf()).putInt(i.k());
        }
        return b.array();
    }

    /** Lower-case hex SHA-256 of {@link #bytes()}. */
    public String sha256Hex() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One numbered instruction a line. */
    public String listing() {
        StringBuilder sb = new StringBuilder();
        for (int pc = 0; pc < size(); pc++) sb.append(String.format("%4d  %s%n", pc, instructions.get(pc)));
        return sb.toString();
    }
}
