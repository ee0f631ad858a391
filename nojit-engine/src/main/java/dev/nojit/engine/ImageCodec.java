package dev.nojit.engine;

import dev.nojit.engine.Segments.DataSegment;
import dev.nojit.engine.Segments.ElemSegment;
import dev.nojit.engine.Segments.GlobalDef;
import dev.nojit.engine.Segments.MemoryDef;
import dev.nojit.engine.Segments.TableDef;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The serialized form of a {@link ModuleImage} ("nojit-image-v1"), big-endian throughout:
 *
 * <pre>
 * magic "NJIM" u32 version=2
 * types      n { nparams {valtype u8}* nresults {valtype u8}* }
 * imports    n { module str, name str, kind u8, then by kind:
 *                 function: functype | table: valtype u8, min i64, max i64 |
 *                 memory: min i64, max i64, shared u8 | global: valtype u8, mutable u8 }
 * funcTypes  n { typeIndex i32 }                      (whole function index space)
 * functions  n { typeIndex, numParams, numResults, numLocals, frameSize i32,
 *                 codeLength i32, code {i32}*, nrefs i32, {refLocal i32}*, nconsts i32, {const i64}* }
 * tables     n { valtype u8, min i64, max i64 }
 * memories   n { min i64, max i64, shared u8 }
 * globals    n { valtype u8, mutable u8, const }
 * exports    n { name str, kind u8, index i32 }
 * start i32 (-1: none)
 * elems      n { mode u8, table i32, hasOffset u8 [const], valtype u8, nitems i32, {const}* }
 * datas      n { mode u8, hasOffset u8 [const], length i32, bytes }
 * const = kind u8, value i64;  str = length i32, UTF-8;  n = i32;  valtype = binary type code
 * </pre>
 *
 * The decoder trusts nothing: every count is checked against the bytes left, every index against its space,
 * and any inconsistency is an {@link InvalidModuleException}, never an unchecked failure.
 */
final class ImageCodec {
    private static final int MAGIC = 0x4E4A494D; // "NJIM"
    private static final int VERSION = 2; // 2: Op.MOVS (opcodes from SLOW_BASE renumbered)

    private ImageCodec() {}

    static byte[] encode(ModuleImage m) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024 + (int) Math.min(Integer.MAX_VALUE / 8, m.codeSize() * 4));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(m.types.length);
            for (FuncType t : m.types) writeFuncType(out, t);
            out.writeInt(m.imports.length);
            for (ImportSpec i : m.imports) {
                writeString(out, i.module());
                writeString(out, i.name());
                out.writeByte(i.kind().ordinal());
                switch (i.kind()) {
                    case FUNCTION -> writeFuncType(out, i.funcType());
                    case TABLE -> { out.writeByte(i.valType().code()); writeLimits(out, i.limits()); }
                    case MEMORY -> { writeLimits(out, i.limits()); out.writeBoolean(i.shared()); }
                    case GLOBAL -> { out.writeByte(i.valType().code()); out.writeBoolean(i.mutable()); }
                }
            }
            writeInts(out, m.funcTypes);
            out.writeInt(m.functions.length);
            for (FunctionCode f : m.functions) {
                out.writeInt(f.typeIndex());
                out.writeInt(f.numParams());
                out.writeInt(f.numResults());
                out.writeInt(f.numLocals());
                out.writeInt(f.frameSize());
                writeInts(out, f.code());
                writeInts(out, f.refLocals());
                out.writeInt(f.consts().length);
                for (long c : f.consts()) out.writeLong(c);
            }
            out.writeInt(m.tables.length);
            for (TableDef t : m.tables) { out.writeByte(t.elemType().code()); writeLimits(out, t.limits()); }
            out.writeInt(m.memories.length);
            for (MemoryDef d : m.memories) { writeLimits(out, d.limits()); out.writeBoolean(d.shared()); }
            out.writeInt(m.globals.length);
            for (GlobalDef g : m.globals) {
                out.writeByte(g.type().code());
                out.writeBoolean(g.mutable());
                writeConst(out, g.init());
            }
            out.writeInt(m.exports.length);
            for (ExportSpec e : m.exports) {
                writeString(out, e.name());
                out.writeByte(e.kind().ordinal());
                out.writeInt(e.index());
            }
            out.writeInt(m.start);
            out.writeInt(m.elems.length);
            for (ElemSegment e : m.elems) {
                out.writeByte(e.mode());
                out.writeInt(e.table());
                writeOptionalConst(out, e.offset());
                out.writeByte(e.type().code());
                out.writeInt(e.items().length);
                for (ConstExpr c : e.items()) writeConst(out, c);
            }
            out.writeInt(m.datas.length);
            for (DataSegment d : m.datas) {
                out.writeByte(d.mode());
                writeOptionalConst(out, d.offset());
                out.writeInt(d.bytes().length);
                out.write(d.bytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    private static void writeFuncType(DataOutputStream out, FuncType t) throws IOException {
        out.writeInt(t.params().size());
        for (ValType v : t.params()) out.writeByte(v.code());
        out.writeInt(t.results().size());
        for (ValType v : t.results()) out.writeByte(v.code());
    }

    private static void writeLimits(DataOutputStream out, Limits l) throws IOException {
        out.writeLong(l.min());
        out.writeLong(l.max());
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static void writeInts(DataOutputStream out, int[] values) throws IOException {
        out.writeInt(values.length);
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4);
        buf.asIntBuffer().put(values);
        out.write(buf.array());
    }

    private static void writeConst(DataOutputStream out, ConstExpr c) throws IOException {
        out.writeByte(c.kind());
        out.writeLong(c.value());
    }

    private static void writeOptionalConst(DataOutputStream out, ConstExpr c) throws IOException {
        out.writeBoolean(c != null);
        if (c != null) writeConst(out, c);
    }

    static ModuleImage decode(byte[] bytes) throws InvalidModuleException {
        try {
            return new Reader(ByteBuffer.wrap(bytes)).read();
        } catch (BufferUnderflowException e) {
            throw new InvalidModuleException("pre-decoded image is truncated");
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new InvalidModuleException("pre-decoded image is corrupt: " + e.getMessage());
        }
    }

    /** Reads one image, checking every count and index as it goes. */
    private static final class Reader {
        private final ByteBuffer in;

        Reader(ByteBuffer in) {
            this.in = in;
        }

        private InvalidModuleException bad(String what) {
            return new InvalidModuleException("pre-decoded image is corrupt: " + what);
        }

        /** A count of items each at least {@code minBytes} long: refuses counts the remaining bytes cannot hold. */
        private int count(int minBytes) throws InvalidModuleException {
            int n = in.getInt();
            if (n < 0 || (long) n * minBytes > in.remaining()) throw bad("count " + n + " exceeds the data");
            return n;
        }

        private int index(int limit, String what) throws InvalidModuleException {
            int i = in.getInt();
            if (i < 0 || i >= limit) throw bad(what + " index " + i + " out of range");
            return i;
        }

        private int nonNegative(String what) throws InvalidModuleException {
            int v = in.getInt();
            if (v < 0) throw bad("negative " + what);
            return v;
        }

        ModuleImage read() throws InvalidModuleException {
            if (in.remaining() < 8 || in.getInt() != MAGIC) throw new InvalidModuleException("not a nojit pre-decoded image");
            int version = in.getInt();
            if (version != VERSION) throw new InvalidModuleException("unsupported pre-decoded image version " + version);
            FuncType[] types = new FuncType[count(8)];
            for (int i = 0; i < types.length; i++) types[i] = funcType();
            ImportSpec[] imports = new ImportSpec[count(9)];
            for (int i = 0; i < imports.length; i++) imports[i] = importSpec();
            int[] funcTypes = ints();
            for (int t : funcTypes) if (t < 0 || t >= types.length) throw bad("function type index " + t);
            FunctionCode[] functions = new FunctionCode[count(32)];
            int imported = funcTypes.length - functions.length;
            if (imported < 0) throw bad("more bodies than functions");
            for (int i = 0; i < functions.length; i++) {
                functions[i] = function(types);
                if (functions[i].typeIndex() != funcTypes[imported + i]) throw bad("function " + i + " type");
            }
            TableDef[] tables = new TableDef[count(17)];
            for (int i = 0; i < tables.length; i++) tables[i] = new TableDef(refType(), limits());
            MemoryDef[] memories = new MemoryDef[count(17)];
            for (int i = 0; i < memories.length; i++) memories[i] = new MemoryDef(limits(), bool());
            GlobalDef[] globals = new GlobalDef[count(11)];
            for (int i = 0; i < globals.length; i++) globals[i] = new GlobalDef(valType(), bool(), constExpr());
            ExportSpec[] exports = new ExportSpec[count(9)];
            for (int i = 0; i < exports.length; i++) exports[i] = new ExportSpec(string(), kind(), in.getInt());
            int start = in.getInt();
            if (start < -1 || start >= funcTypes.length) throw bad("start function " + start);
            ElemSegment[] elems = new ElemSegment[count(11)];
            for (int i = 0; i < elems.length; i++) {
                int mode = mode();
                int table = in.getInt();
                ConstExpr offset = optionalConst();
                ValType type = refType();
                ConstExpr[] items = new ConstExpr[count(9)];
                for (int k = 0; k < items.length; k++) items[k] = constExpr();
                elems[i] = new ElemSegment(mode, table, offset, type, items);
            }
            DataSegment[] datas = new DataSegment[count(6)];
            for (int i = 0; i < datas.length; i++) {
                int mode = mode();
                ConstExpr offset = optionalConst();
                byte[] data = new byte[count(1)];
                in.get(data);
                datas[i] = new DataSegment(mode, offset, data);
            }
            if (in.hasRemaining()) throw bad(in.remaining() + " trailing bytes");
            ModuleImage image = new ModuleImage(types, imports, funcTypes, functions, tables, memories, globals, exports,
                    start, elems, datas);
            checkIndices(image);
            return image;
        }

        /** Indices that the interpreter and linker use without further checks must lie in their spaces. */
        private void checkIndices(ModuleImage m) throws InvalidModuleException {
            int tables = m.importCount(ExternKind.TABLE) + m.tables.length;
            int memories = m.importCount(ExternKind.MEMORY) + m.memories.length;
            int globals = m.importCount(ExternKind.GLOBAL) + m.globals.length;
            if (memories > 1) throw bad("more than one memory");
            for (ExportSpec e : m.exports) {
                int limit = switch (e.kind()) {
                    case FUNCTION -> m.funcTypes.length;
                    case TABLE -> tables;
                    case MEMORY -> memories;
                    case GLOBAL -> globals;
                };
                if (e.index() < 0 || e.index() >= limit) throw bad("export " + e.name());
            }
            for (ElemSegment e : m.elems) {
                if (e.mode() == Segments.ACTIVE && (e.table() < 0 || e.table() >= tables || e.offset() == null)) throw bad("element segment table");
                for (ConstExpr c : e.items()) checkConst(c, m, globals);
                if (e.offset() != null) checkConst(e.offset(), m, globals);
            }
            for (DataSegment d : m.datas) {
                if (d.mode() == Segments.ACTIVE && (memories == 0 || d.offset() == null)) throw bad("data segment");
                if (d.offset() != null) checkConst(d.offset(), m, globals);
            }
            for (GlobalDef g : m.globals) checkConst(g.init(), m, globals);
        }

        private void checkConst(ConstExpr c, ModuleImage m, int globals) throws InvalidModuleException {
            switch (c.kind()) {
                case ConstExpr.CONST, ConstExpr.REF_NULL -> { }
                case ConstExpr.GLOBAL_GET -> { if (c.value() < 0 || c.value() >= globals) throw bad("global.get index"); }
                case ConstExpr.REF_FUNC -> { if (c.value() < 0 || c.value() >= m.funcTypes.length) throw bad("ref.func index"); }
                default -> throw bad("constant kind " + c.kind());
            }
        }

        private FunctionCode function(FuncType[] types) throws InvalidModuleException {
            int typeIndex = index(types.length, "type");
            int numParams = nonNegative("parameter count");
            int numResults = nonNegative("result count");
            int numLocals = nonNegative("local count");
            int frameSize = nonNegative("frame size");
            FuncType t = types[typeIndex];
            if (numParams != t.params().size() || numResults != t.results().size() || numLocals < numParams || frameSize < numLocals)
                throw bad("function header");
            int[] code = ints();
            int[] refs = ints();
            for (int r : refs) if (r < numParams || r >= numLocals) throw bad("reference local " + r);
            long[] consts = new long[count(8)];
            in.asLongBuffer().get(consts);
            in.position(in.position() + consts.length * 8);
            if ((long) numLocals + consts.length > frameSize) throw bad("frame size");
            return new FunctionCode(typeIndex, numParams, numResults, numLocals, frameSize, code, refs, consts);
        }

        private ImportSpec importSpec() throws InvalidModuleException {
            String module = string();
            String name = string();
            ExternKind kind = kind();
            return switch (kind) {
                case FUNCTION -> new ImportSpec(module, name, kind, funcType(), null, null, false, false);
                case TABLE -> new ImportSpec(module, name, kind, null, refType(), limits(), false, false);
                case MEMORY -> new ImportSpec(module, name, kind, null, null, limits(), bool(), false);
                case GLOBAL -> new ImportSpec(module, name, kind, null, valType(), null, false, bool());
            };
        }

        private FuncType funcType() throws InvalidModuleException {
            List<ValType> params = valTypes();
            List<ValType> results = valTypes();
            return new FuncType(params, results);
        }

        private List<ValType> valTypes() throws InvalidModuleException {
            int n = count(1);
            List<ValType> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) out.add(valType());
            return out;
        }

        private ValType valType() throws InvalidModuleException {
            int code = in.get() & 0xFF;
            try {
                ValType v = ValType.ofCode(code);
                if (v == ValType.V128) throw bad("v128 value type");
                return v;
            } catch (IllegalArgumentException e) {
                throw bad("value type 0x" + Integer.toHexString(code));
            }
        }

        private ValType refType() throws InvalidModuleException {
            ValType v = valType();
            if (!v.isReference()) throw bad("table element type " + v);
            return v;
        }

        private Limits limits() throws InvalidModuleException {
            long min = in.getLong();
            long max = in.getLong();
            if (min < 0 || min > 0xFFFF_FFFFL || max < -1 || max > 0xFFFF_FFFFL || (max >= 0 && max < min)) throw bad("limits");
            return new Limits(min, max);
        }

        private ExternKind kind() throws InvalidModuleException {
            int k = in.get();
            if (k < 0 || k >= ExternKind.values().length) throw bad("extern kind " + k);
            return ExternKind.values()[k];
        }

        private int mode() throws InvalidModuleException {
            int mode = in.get();
            if (mode < Segments.ACTIVE || mode > Segments.DECLARATIVE) throw bad("segment mode " + mode);
            return mode;
        }

        private boolean bool() throws InvalidModuleException {
            int b = in.get();
            if (b != 0 && b != 1) throw bad("boolean " + b);
            return b == 1;
        }

        private ConstExpr constExpr() {
            int kind = in.get();
            return new ConstExpr(kind, in.getLong());
        }

        private ConstExpr optionalConst() throws InvalidModuleException {
            return bool() ? constExpr() : null;
        }

        private String string() throws InvalidModuleException {
            byte[] b = new byte[count(1)];
            in.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        private int[] ints() throws InvalidModuleException {
            int[] values = new int[count(4)];
            in.asIntBuffer().get(values);
            in.position(in.position() + values.length * 4);
            return values;
        }
    }
}
