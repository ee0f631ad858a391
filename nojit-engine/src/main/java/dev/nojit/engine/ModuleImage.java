package dev.nojit.engine;

import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import dev.nojit.engine.Segments.DataSegment;
import dev.nojit.engine.Segments.ElemSegment;
import dev.nojit.engine.Segments.GlobalDef;
import dev.nojit.engine.Segments.MemoryDef;
import dev.nojit.engine.Segments.TableDef;
import java.io.ByteArrayInputStream;
import java.util.List;

/**
 * A module translated once into the engine's pre-decoded form: types, imports, definitions, segments and
 * every function body as {@link Op} code with branch targets, stack moves and immediates resolved. It is
 * immutable; one image can be instantiated many times. {@link #serialize()} gives the bytes a bundle stores
 * (format {@value #FORMAT}, see {@link ImageCodec}); {@link #deserialize(byte[])} loads them without parsing
 * or validating WebAssembly again.
 */
public final class ModuleImage {
    /** The pre-decoded format name recorded in bundle manifests. */
    public static final String FORMAT = "nojit-image-v1";

    final FuncType[] types;
    final ImportSpec[] imports;
    /** Type index of every function in the function index space (imports first). */
    final int[] funcTypes;
    final int importedFunctions;
    final FunctionCode[] functions;
    final TableDef[] tables;
    final MemoryDef[] memories;
    final GlobalDef[] globals;
    final ExportSpec[] exports;
    final int start;
    final ElemSegment[] elems;
    final DataSegment[] datas;

    ModuleImage(FuncType[] types, ImportSpec[] imports, int[] funcTypes, FunctionCode[] functions, TableDef[] tables,
                MemoryDef[] memories, GlobalDef[] globals, ExportSpec[] exports, int start, ElemSegment[] elems,
                DataSegment[] datas) {
        this.types = types;
        this.imports = imports;
        this.funcTypes = funcTypes;
        this.importedFunctions = funcTypes.length - functions.length;
        this.functions = functions;
        this.tables = tables;
        this.memories = memories;
        this.globals = globals;
        this.exports = exports;
        this.start = start;
        this.elems = elems;
        this.datas = datas;
    }

    /** Parses and validates {@code wasm} with Chicory's parser, then translates it. */
    public static ModuleImage compile(byte[] wasm) throws InvalidModuleException {
        WasmModule module;
        try {
            module = Parser.builder().withValidation(true).build().parse(() -> new ByteArrayInputStream(wasm));
        } catch (ChicoryException | IllegalArgumentException | IndexOutOfBoundsException | UnsupportedOperationException e) {
            throw new InvalidModuleException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
        return translate(wasm, module);
    }

    /** Translates a module Chicory has already parsed and validated from exactly these bytes. */
    public static ModuleImage translate(byte[] wasm, WasmModule parsedAndValidated) throws UnsupportedFeatureException {
        return new Translator(wasm, parsedAndValidated).translate();
    }

    public byte[] serialize() {
        return ImageCodec.encode(this);
    }

    public static ModuleImage deserialize(byte[] bytes) throws InvalidModuleException {
        return ImageCodec.decode(bytes);
    }

    public List<ImportSpec> imports() {
        return List.of(imports);
    }

    public List<ExportSpec> exports() {
        return List.of(exports);
    }

    public FuncType functionType(int functionIndex) {
        return types[funcTypes[functionIndex]];
    }

    /** Counts of the module's definitions (imports excluded), for inspection. */
    public int definedFunctionCount() {
        return functions.length;
    }

    /** Total instructions of pre-decoded code (ints), for inspection and benchmarks. */
    public long codeSize() {
        long n = 0;
        for (FunctionCode f : functions) n += f.code().length;
        return n;
    }

    int importCount(ExternKind kind) {
        int n = 0;
        for (ImportSpec i : imports) if (i.kind() == kind) n++;
        return n;
    }
}
