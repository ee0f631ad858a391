package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The container's stdin, stdout and stderr: the host's streams passed through. Host input is
 * pumped by a daemon thread into a pipe (started on first use), so guest reads block
 * interruptibly and poll works on it like on any pipe.
 */
public final class HostStreams {
    private HostStreams() {}

    /** A read end fed from {@code in}; EOF when {@code in} ends. */
    public static FileHandle input(InputStream in) {
        Pipe pipe = new Pipe();
        FileHandle writeEnd = pipe.writeEnd();
        FileHandle readEnd = pipe.readEnd();
        return new FileHandle() {
            private boolean started;

            private synchronized void start() {
                if (started) return;
                started = true;
                Thread t = new Thread(() -> pump(in, writeEnd), "nojit-stdin");
                t.setDaemon(true);
                t.start();
            }

            @Override
            public int read(long pos, byte[] buf, int off, int len) {
                start();
                return readEnd.read(pos, buf, off, len);
            }

            @Override
            public int write(long pos, byte[] buf, int off, int len) {
                throw new SyscallError(Errno.EBADF);
            }

            @Override
            public boolean seekable() {
                return false;
            }

            @Override
            public int poll() {
                start();
                return readEnd.poll();
            }
        };
    }

    private static void pump(InputStream in, FileHandle writeEnd) {
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) writeEnd.write(0, buf, 0, n);
        } catch (IOException | SyscallError e) {
            // host input failed or nobody reads any more: the guest sees end of file
        } finally {
            writeEnd.close();
        }
    }

    /** A write-only handle onto {@code out}, flushed after every write so output interleaves as it happens. */
    public static FileHandle output(OutputStream out) {
        return new FileHandle() {
            @Override
            public int read(long pos, byte[] buf, int off, int len) {
                throw new SyscallError(Errno.EBADF);
            }

            @Override
            public int write(long pos, byte[] buf, int off, int len) {
                synchronized (out) {
                    try {
                        out.write(buf, off, len);
                        out.flush();
                    } catch (IOException e) {
                        throw new SyscallError(Errno.EPIPE);
                    }
                }
                return len;
            }

            @Override
            public boolean seekable() {
                return false;
            }

            @Override
            public int poll() {
                return Poll.POLLOUT;
            }
        };
    }
}
