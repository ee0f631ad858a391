package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * /dev/null, /dev/zero, /dev/full (reads zeros, every write ENOSPC), /dev/urandom (and
 * /dev/random, which never blocks on Linux either).
 */
final class DeviceNode extends MemNode {
    enum Kind { NULL(1, 3), ZERO(1, 5), FULL(1, 7), URANDOM(1, 9), RANDOM(1, 8);
        final int major, minor;
        Kind(int major, int minor) { this.major = major; this.minor = minor; }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Kind kind;

    DeviceNode(Kind kind) {
        super(0666);
        this.kind = kind;
    }

    @Override
    public FileType type() {
        return FileType.CHAR_DEVICE;
    }

    @Override
    public Stat stat() {
        Stat s = super.stat();
        return new Stat(s.dev(), s.ino(), s.nlink(), s.mode(), s.uid(), s.gid(), ((long) kind.major << 8) | kind.minor,
                0, s.atimeNanos(), s.mtimeNanos(), s.ctimeNanos());
    }

    @Override
    public FileHandle open(int flags) {
        return new FileHandle() {
            @Override
            public int read(long pos, byte[] buf, int off, int len) {
                switch (kind) {
                    case NULL -> { return 0; }
                    case ZERO, FULL -> Arrays.fill(buf, off, off + len, (byte) 0);
                    default -> {
                        byte[] r = new byte[len];
                        RANDOM.nextBytes(r);
                        System.arraycopy(r, 0, buf, off, len);
                    }
                }
                return len;
            }

            @Override
            public int write(long pos, byte[] buf, int off, int len) {
                if (kind == Kind.FULL) throw new SyscallError(Errno.ENOSPC);
                return len;
            }

            @Override
            public boolean seekable() {
                return false;
            }
        };
    }
}
