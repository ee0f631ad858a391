package dev.nojit.engine;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ActiveDataSegment;
import com.dylibso.chicory.wasm.types.ActiveElement;
import com.dylibso.chicory.wasm.types.DeclarativeElement;
import com.dylibso.chicory.wasm.types.Element;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.GlobalImport;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.Instruction;
import com.dylibso.chicory.wasm.types.MemoryImport;
import com.dylibso.chicory.wasm.types.MutabilityType;
import com.dylibso.chicory.wasm.types.OpCode;
import com.dylibso.chicory.wasm.types.TableImport;
import dev.nojit.engine.Segments.DataSegment;
import dev.nojit.engine.Segments.ElemSegment;
import dev.nojit.engine.Segments.GlobalDef;
import dev.nojit.engine.Segments.MemoryDef;
import dev.nojit.engine.Segments.TableDef;
import java.util.ArrayList;
import java.util.List;

/** Turns a parsed and validated Chicory module into a {@link ModuleImage}, once, at build time. */
final class Translator {
    private final byte[] wasm;
    private final WasmModule module;

    Translator(byte[] wasm, WasmModule module) {
        this.wasm = wasm;
        this.module = module;
    }

    ModuleImage translate() throws UnsupportedFeatureException {
        if (module.tagSection().isPresent()) throw new UnsupportedFeatureException("exception handling (tags)");
        var typeSection = module.typeSection();
        FuncType[] types = new FuncType[typeSection.typeCount()];
        for (int i = 0; i < types.length; i++) types[i] = Types.of(typeSection.getType(i));

        List<ImportSpec> imports = new ArrayList<>();
        List<Integer> funcTypes = new ArrayList<>();
        int memoryCount = 0;
        var importSection = module.importSection();
        for (int i = 0; i < importSection.importCount(); i++) {
            Import imp = importSection.getImport(i);
            switch (imp) {
                case FunctionImport f -> {
                    funcTypes.add(f.typeIndex());
                    imports.add(new ImportSpec(f.module(), f.name(), ExternKind.FUNCTION, types[f.typeIndex()], null, null, false, false));
                }
                case TableImport t -> imports.add(new ImportSpec(t.module(), t.name(), ExternKind.TABLE, null,
                        Types.of(t.entryType()), new Limits(t.limits().min(), tableMax(t.limits())), false, false));
                case MemoryImport mi -> {
                    memoryCount++;
                    imports.add(new ImportSpec(mi.module(), mi.name(), ExternKind.MEMORY, null, null,
                            new Limits(mi.limits().initialPages(), memoryMax(mi.limits())), mi.limits().shared(), false));
                }
                case GlobalImport g -> imports.add(new ImportSpec(g.module(), g.name(), ExternKind.GLOBAL, null,
                        Types.of(g.type()), null, false, g.mutabilityType() == MutabilityType.Var));
                default -> throw new UnsupportedFeatureException("an import of kind " + imp.importType());
            }
        }

        var functionSection = module.functionSection();
        for (int i = 0; i < functionSection.functionCount(); i++) funcTypes.add(functionSection.getFunctionType(i));
        int[] funcTypeArray = funcTypes.stream().mapToInt(Integer::intValue).toArray();

        var tableSection = module.tableSection();
        TableDef[] tables = new TableDef[tableSection.tableCount()];
        for (int i = 0; i < tables.length; i++) {
            var t = tableSection.getTable(i);
            if (t.initialize() != null && !t.initialize().isEmpty())
                throw new UnsupportedFeatureException("table initializer expressions (typed function references)");
            tables[i] = new TableDef(Types.of(t.elementType()), new Limits(t.limits().min(), tableMax(t.limits())));
        }

        MemoryDef[] memories = new MemoryDef[0];
        if (module.memorySection().isPresent()) {
            var ms = module.memorySection().get();
            memories = new MemoryDef[ms.memoryCount()];
            for (int i = 0; i < memories.length; i++) {
                var l = ms.getMemory(i).limits();
                memories[i] = new MemoryDef(new Limits(l.initialPages(), memoryMax(l)), l.shared());
            }
        }
        if (memoryCount + memories.length > 1) throw new UnsupportedFeatureException("multiple memories");

        var globalSection = module.globalSection();
        GlobalDef[] globals = new GlobalDef[globalSection.globalCount()];
        for (int i = 0; i < globals.length; i++) {
            var g = globalSection.getGlobal(i);
            globals[i] = new GlobalDef(Types.of(g.valueType()), g.mutabilityType() == MutabilityType.Var,
                    constExpr(g.initInstructions()));
        }

        var exportSection = module.exportSection();
        ExportSpec[] exports = new ExportSpec[exportSection.exportCount()];
        for (int i = 0; i < exports.length; i++) {
            var e = exportSection.getExport(i);
            ExternKind kind = switch (e.exportType()) {
                case FUNCTION -> ExternKind.FUNCTION;
                case TABLE -> ExternKind.TABLE;
                case MEMORY -> ExternKind.MEMORY;
                case GLOBAL -> ExternKind.GLOBAL;
                default -> throw new UnsupportedFeatureException("an export of kind " + e.exportType());
            };
            exports[i] = new ExportSpec(e.name(), kind, e.index());
        }

        int start = module.startSection().map(s -> (int) s.startIndex()).orElse(-1);

        var elementSection = module.elementSection();
        ElemSegment[] elems = new ElemSegment[elementSection.elementCount()];
        for (int i = 0; i < elems.length; i++) elems[i] = elemSegment(elementSection.getElement(i));

        var dataSection = module.dataSection();
        DataSegment[] datas = new DataSegment[dataSection.dataSegmentCount()];
        for (int i = 0; i < datas.length; i++) {
            var d = dataSection.getDataSegment(i);
            datas[i] = d instanceof ActiveDataSegment a
                    ? new DataSegment(Segments.ACTIVE, constExpr(a.offsetInstructions()), d.data())
                    : new DataSegment(Segments.PASSIVE, null, d.data());
        }

        var code = module.codeSection();
        FunctionCode[] functions = new FunctionCode[code.functionBodyCount()];
        int imported = funcTypeArray.length - functions.length;
        for (int i = 0; i < functions.length; i++) {
            int typeIndex = funcTypeArray[imported + i];
            functions[i] = new FunctionTranslator(wasm, types, funcTypeArray, typeIndex, code.getFunctionBody(i)).translate();
        }
        return new ModuleImage(types, imports.toArray(ImportSpec[]::new), funcTypeArray, functions, tables, memories,
                globals, exports, start, elems, datas);
    }

    private static long tableMax(com.dylibso.chicory.wasm.types.TableLimits l) {
        return l.max() >= 0xFFFF_FFFFL || l.max() == com.dylibso.chicory.wasm.types.TableLimits.LIMIT_MAX ? -1 : l.max();
    }

    private static long memoryMax(com.dylibso.chicory.wasm.types.MemoryLimits l) {
        return l.maximumPages() == com.dylibso.chicory.wasm.types.MemoryLimits.MAX_PAGES ? -1 : l.maximumPages();
    }

    private ElemSegment elemSegment(Element e) throws UnsupportedFeatureException {
        ConstExpr[] items = new ConstExpr[e.elementCount()];
        for (int i = 0; i < items.length; i++) items[i] = constExpr(e.initializers().get(i));
        ValType type = Types.of(e.type());
        return switch (e) {
            case ActiveElement a -> new ElemSegment(Segments.ACTIVE, a.tableIndex(), constExpr(a.offset()), type, items);
            case DeclarativeElement d -> new ElemSegment(Segments.DECLARATIVE, 0, null, type, items);
            default -> new ElemSegment(Segments.PASSIVE, 0, null, type, items);
        };
    }

    static ConstExpr constExpr(List<Instruction> instructions) throws UnsupportedFeatureException {
        Instruction only = null;
        for (Instruction i : instructions) {
            if (i.opcode() == OpCode.END) continue;
            if (only != null) throw new UnsupportedFeatureException("extended constant expressions");
            only = i;
        }
        if (only == null) throw new UnsupportedFeatureException("an empty constant expression");
        return switch (only.opcode()) {
            case I32_CONST, F32_CONST -> new ConstExpr(ConstExpr.CONST, (int) only.operand(0));
            case I64_CONST, F64_CONST -> new ConstExpr(ConstExpr.CONST, only.operand(0));
            case GLOBAL_GET -> new ConstExpr(ConstExpr.GLOBAL_GET, only.operand(0));
            case REF_NULL -> new ConstExpr(ConstExpr.REF_NULL, 0);
            case REF_FUNC -> new ConstExpr(ConstExpr.REF_FUNC, only.operand(0));
            case V128_CONST -> throw new UnsupportedFeatureException("SIMD (v128)");
            default -> throw new UnsupportedFeatureException("the constant instruction " + only.opcode());
        };
    }
}
