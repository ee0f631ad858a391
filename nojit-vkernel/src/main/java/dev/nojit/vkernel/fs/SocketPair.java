package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

/**
 * socketpair(AF_UNIX, SOCK_STREAM): two connected ends, each reading what the other writes —
 * two pipes crossed. Local IPC only; there is no networking in the vkernel.
 */
public final class SocketPair {
    private SocketPair() {}

    public static FileHandle[] create(java.util.function.Supplier<Pipe> pipes) {
        Pipe ab = pipes.get(), ba;
        try {
            ba = pipes.get();
        } catch (SyscallError e) {
            ab.readEnd().close();
            ab.writeEnd().close();
            throw e;
        }
        return new FileHandle[]{new End(ba.readEnd(), ab.writeEnd()), new End(ab.readEnd(), ba.writeEnd())};
    }

    private static final class End implements FileHandle, Pipe.PipeEnd {
        private final FileHandle in, out;

        End(FileHandle in, FileHandle out) {
            this.in = in;
            this.out = out;
        }

        @Override
        public int read(long pos, byte[] buf, int off, int len) {
            return in.read(pos, buf, off, len);
        }

        @Override
        public int write(long pos, byte[] buf, int off, int len) {
            return out.write(pos, buf, off, len);
        }

        @Override
        public int readNonBlocking(byte[] buf, int off, int len) {
            return ((Pipe.PipeEnd) in).readNonBlocking(buf, off, len);
        }

        @Override
        public int writeNonBlocking(byte[] buf, int off, int len) {
            return ((Pipe.PipeEnd) out).writeNonBlocking(buf, off, len);
        }

        @Override
        public int available() {
            return ((Pipe.PipeEnd) in).available();
        }

        @Override
        public boolean seekable() {
            return false;
        }

        @Override
        public int poll() {
            int r = in.poll() & (Poll.POLLIN | Poll.POLLHUP);
            int w = out.poll();
            if ((w & Poll.POLLERR) != 0) r |= Poll.POLLHUP;
            return r | (w & Poll.POLLOUT);
        }

        @Override
        public void close() {
            in.close();
            out.close();
        }

        @Override
        public void truncate(long length) {
            throw new SyscallError(Errno.EINVAL);
        }
    }
}
