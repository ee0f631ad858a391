package dev.nojit.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer that writes the encodings of the WebAssembly binary format. */
final class WasmBytes {
    private byte[] buf;
    private int size;

    WasmBytes() {
        this(256);
    }

    WasmBytes(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    WasmBytes u8(int b) {
        if (size == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
        buf[size++] = (byte) b;
        return this;
    }

    /** Unsigned LEB128 of a u32. */
    WasmBytes u32(long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) throw new IllegalArgumentException("not a u32: " + v);
        do {
            int b = (int) (v & 0x7F);
            v >>>= 7;
            u8(v != 0 ? b | 0x80 : b);
        } while (v != 0);
        return this;
    }

    /** Signed LEB128; the encoding of an i32 value is that of the same value as an i64. */
    WasmBytes s64(long v) {
        while (true) {
            int b = (int) (v & 0x7F);
            v >>= 7;
            boolean last = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
            if (last) return u8(b);
            u8(b | 0x80);
        }
    }

    WasmBytes s32(int v) {
        return s64(v);
    }

    WasmBytes raw(byte[] bytes) {
        return raw(bytes, bytes.length);
    }

    WasmBytes raw(WasmBytes other) {
        return raw(other.buf, other.size);
    }

    private WasmBytes raw(byte[] bytes, int len) {
        if (size + len > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + len));
        System.arraycopy(bytes, 0, buf, size, len);
        size += len;
        return this;
    }

    /** A name: its UTF-8 length, then its bytes. */
    WasmBytes name(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u32(b.length);
        return raw(b);
    }

    /** A section: id, byte length, content. */
    WasmBytes section(int id, WasmBytes content) {
        u8(id);
        u32(content.size);
        return raw(content);
    }
}
