package dev.nojit.audit.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Newline-delimited messages over a socket channel, both ways. Reads are bounded by
 * {@link EventWire#MAX_LINE}. Only ever used from threads nobody interrupts: an interrupt
 * closes an NIO channel for every user.
 */
final class LineChannel implements AutoCloseable {
    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024).flip();

    LineChannel(SocketChannel channel) {
        this.channel = channel;
    }

    void write(byte[] line) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(line);
        while (b.hasRemaining()) channel.write(b);
    }

    /** The next line without its newline, or null at end of stream. */
    byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '\n') return line.toByteArray();
                if (line.size() >= EventWire.MAX_LINE) throw new WireException("message longer than " + EventWire.MAX_LINE + " bytes");
                line.write(b);
            }
            in.clear();
            int n = channel.read(in);
            in.flip();
            if (n < 0) {
                if (line.size() > 0) throw new WireException("the stream ended inside a message");
                return null;
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
