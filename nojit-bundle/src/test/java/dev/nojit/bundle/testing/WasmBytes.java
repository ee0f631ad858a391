package dev.nojit.bundle.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-assembled WebAssembly binaries for tests that need a module the C toolchain would not make. */
public final class WasmBytes {
    public static final byte I32 = 0x7f, I64 = 0x7e, F32 = 0x7d;
    private final ByteArrayOutputStream types = new ByteArrayOutputStream();
    private final ByteArrayOutputStream imports = new ByteArrayOutputStream();
    private final ByteArrayOutputStream funcs = new ByteArrayOutputStream();
    private final ByteArrayOutputStream code = new ByteArrayOutputStream();
    private int typeCount, importCount, funcCount;

    /** Adds a function type and returns its index. */
    public int type(byte[] params, byte[] results) {
        types.write(0x60);
        vec(types, params);
        vec(types, results);
        return typeCount++;
    }

    public WasmBytes importFunction(String module, String name, int type) {
        name(imports, module);
        name(imports, name);
        imports.write(0x00);
        leb(imports, type);
        importCount++;
        return this;
    }

    public WasmBytes importMemory(String module, String name) {
        name(imports, module);
        name(imports, name);
        imports.write(0x02);
        imports.write(0x00);
        leb(imports, 1);
        importCount++;
        return this;
    }

    /** A defined function of {@code type} with no locals and the given body (without the final 'end'). */
    public WasmBytes function(int type, byte... body) {
        leb(funcs, type);
        funcCount++;
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x00); // no local declarations
        f.writeBytes(body);
        f.write(0x0b);
        leb(code, f.size());
        code.writeBytes(f.toByteArray());
        return this;
    }

    /**
     * A valid module whose one function uses SIMD: {@code v128.const 0} then
     * {@code i32x4.extract_lane 0}, returning an i32. The engine does not implement SIMD.
     */
    public static byte[] usingSimd() {
        WasmBytes m = new WasmBytes();
        byte[] body = new byte[2 + 16 + 3];
        body[0] = (byte) 0xfd; // SIMD prefix
        body[1] = 0x0c;        // v128.const, then 16 zero bytes
        body[18] = (byte) 0xfd;
        body[19] = 0x1b;       // i32x4.extract_lane
        body[20] = 0x00;       // lane 0
        return m.function(m.type(new byte[] {}, new byte[] {I32}), body).bytes();
    }

    public byte[] bytes() {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.writeBytes(new byte[] {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00});
        section(m, 1, typeCount, types);
        section(m, 2, importCount, imports);
        section(m, 3, funcCount, funcs);
        section(m, 10, funcCount, code);
        return m.toByteArray();
    }

    private static void section(ByteArrayOutputStream m, int id, int count, ByteArrayOutputStream body) {
        if (count == 0) return;
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        leb(s, count);
        s.writeBytes(body.toByteArray());
        m.write(id);
        leb(m, s.size());
        m.writeBytes(s.toByteArray());
    }

    private static void vec(ByteArrayOutputStream out, byte[] items) {
        leb(out, items.length);
        out.writeBytes(items);
    }

    private static void name(ByteArrayOutputStream out, String s) {
        vec(out, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void leb(ByteArrayOutputStream out, int v) {
        do {
            int b = v & 0x7f;
            v >>>= 7;
            out.write(v != 0 ? b | 0x80 : b);
        } while (v != 0);
    }
}
