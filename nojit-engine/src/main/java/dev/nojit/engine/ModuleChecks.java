package dev.nojit.engine;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.AnnotatedInstruction;
import com.dylibso.chicory.wasm.types.OpCode;
import dev.nojit.engine.Segments.DataSegment;
import dev.nojit.engine.Segments.ElemSegment;
import dev.nojit.engine.Segments.GlobalDef;
import java.util.HashSet;
import java.util.Set;

/**
 * Module-level validation rules (WebAssembly core 2.0, section 3.4) that Chicory 1.7.5's validator does not
 * enforce, measured with the official test suite: export names unique and their indices known, constant
 * expressions naming known functions and only imported globals (2.0's rule), and the reserved zero byte of
 * memory.size and memory.grow.
 * The engine relies on these, so it checks them itself rather than trust the parser.
 */
final class ModuleChecks {
    private ModuleChecks() {}

    static void check(ModuleImage m, byte[] wasm, WasmModule module) throws InvalidModuleException {
        int functions = m.funcTypes.length;
        int tables = m.importCount(ExternKind.TABLE) + m.tables.length;
        int memories = m.importCount(ExternKind.MEMORY) + m.memories.length;
        int importedGlobals = m.importCount(ExternKind.GLOBAL);
        int globals = importedGlobals + m.globals.length;

        Set<String> names = new HashSet<>();
        for (ExportSpec e : m.exports) {
            if (!names.add(e.name())) throw new InvalidModuleException("duplicate export name '" + e.name() + "'");
            int limit = switch (e.kind()) {
                case FUNCTION -> functions;
                case TABLE -> tables;
                case MEMORY -> memories;
                case GLOBAL -> globals;
            };
            if (e.index() < 0 || e.index() >= limit)
                throw new InvalidModuleException("unknown " + e.kind().name().toLowerCase() + " " + e.index() + " in export '" + e.name() + "'");
        }
        for (int i = 0; i < m.globals.length; i++) {
            GlobalDef g = m.globals[i];
            constExpr(g.init(), importedGlobals, functions, "global " + (importedGlobals + i));
        }
        for (ElemSegment e : m.elems) {
            if (e.offset() != null) constExpr(e.offset(), importedGlobals, functions, "element segment offset");
            for (ConstExpr c : e.items()) constExpr(c, importedGlobals, functions, "element segment");
            if (e.mode() == Segments.ACTIVE && e.table() >= tables) throw new InvalidModuleException("unknown table " + e.table());
        }
        for (DataSegment d : m.datas) {
            if (d.offset() != null) constExpr(d.offset(), importedGlobals, functions, "data segment offset");
            if (d.mode() == Segments.ACTIVE && memories == 0) throw new InvalidModuleException("unknown memory 0");
        }
        if (m.start >= functions) throw new InvalidModuleException("unknown function " + m.start + " (start)");
        reservedZeroBytes(wasm, module);
    }

    private static void constExpr(ConstExpr c, int globals, int functions, String where) throws InvalidModuleException {
        if (c.kind() == ConstExpr.GLOBAL_GET && (c.value() < 0 || c.value() >= globals))
            throw new InvalidModuleException("unknown global " + c.value() + " in " + where);
        if (c.kind() == ConstExpr.REF_FUNC && (c.value() < 0 || c.value() >= functions))
            throw new InvalidModuleException("unknown function " + c.value() + " in " + where);
    }

    /** memory.size and memory.grow carry a reserved byte that must be a single 0x00 in WebAssembly 2.0. */
    private static void reservedZeroBytes(byte[] wasm, WasmModule module) throws InvalidModuleException {
        var code = module.codeSection();
        for (int f = 0; f < code.functionBodyCount(); f++) {
            for (AnnotatedInstruction ins : code.getFunctionBody(f).instructions()) {
                if (ins.opcode() == OpCode.MEMORY_SIZE || ins.opcode() == OpCode.MEMORY_GROW) {
                    int at = ins.address() + 1;
                    if (at >= wasm.length || wasm[at] != 0) throw new InvalidModuleException("zero byte expected");
                }
            }
        }
    }
}
