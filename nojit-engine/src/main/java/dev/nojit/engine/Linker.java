package dev.nojit.engine;

import dev.nojit.engine.Segments.DataSegment;
import dev.nojit.engine.Segments.ElemSegment;
import dev.nojit.engine.Segments.GlobalDef;
import dev.nojit.engine.Segments.MemoryDef;
import dev.nojit.engine.Segments.TableDef;

/**
 * Instantiation (WebAssembly core 2.0, section 4.5.4): match imports, allocate tables, memory and globals,
 * apply active segments in order, run the start function. A trap after allocation leaves earlier effects on
 * imported tables and memories in place, as the specification says.
 */
final class Linker {
    private final Store store;
    private final ModuleImage image;
    private final Imports imports;
    private final EngineConfig config;
    private final CompiledModule compiled;

    Linker(Store store, ModuleImage image, Imports imports) {
        this(store, image, imports, null);
    }

    /** {@code compiled}: the module's functions compiled ahead of time (checked against the image by the store), or null. */
    Linker(Store store, ModuleImage image, Imports imports, CompiledModule compiled) {
        this.store = store;
        this.compiled = compiled;
        this.image = image;
        this.imports = imports;
        this.config = store.config();
    }

    Instance instantiate() throws LinkException {
        for (Instance i : imports.instances())
            if (i.store != store) throw new LinkException("an imported instance belongs to another store");
        Instance inst = new Instance(image, store);
        int nf = image.funcTypes.length;
        inst.functions = new FunctionInstance[nf];
        inst.tables = new Table[image.importCount(ExternKind.TABLE) + image.tables.length];
        inst.globals = new Global[image.importCount(ExternKind.GLOBAL) + image.globals.length];
        int f = 0, t = 0, g = 0;
        for (ImportSpec spec : image.imports) {
            Object offered = imports.resolve(spec.module(), spec.name());
            if (offered == null) throw new LinkException("unknown import: " + spec);
            switch (spec.kind()) {
                case FUNCTION -> inst.functions[f++] = importFunction(spec, offered);
                case TABLE -> inst.tables[t++] = importTable(spec, offered);
                case MEMORY -> inst.memory = importMemory(spec, offered);
                case GLOBAL -> inst.globals[g++] = importGlobal(spec, offered);
            }
        }
        inst.typeIds = new int[image.types.length];
        for (int i = 0; i < image.types.length; i++) inst.typeIds[i] = store.typeId(image.types[i]);
        for (int i = 0; i < image.functions.length; i++) {
            int index = image.importedFunctions + i;
            FuncType type = image.types[image.funcTypes[index]];
            inst.functions[index] = compiled != null && compiled.compiled(i)
                    ? store.register(type, inst, null, null, "#" + index, compiled, i)
                    : store.register(type, inst, image.functions[i], null, "#" + index);
        }
        for (TableDef def : image.tables) {
            if (def.limits().min() > config.maxTableElements())
                throw new LinkException("a table of " + def.limits().min() + " elements exceeds the engine limit of " + config.maxTableElements());
            inst.tables[t++] = new Table(def.elemType(), (int) def.limits().min(), (int) Math.min(Integer.MAX_VALUE, def.limits().max()));
        }
        for (MemoryDef def : image.memories) {
            if (def.limits().min() > config.maxMemoryPages())
                throw new LinkException("a memory of " + def.limits().min() + " pages exceeds the engine limit of " + config.maxMemoryPages());
            inst.memory = new Memory((int) def.limits().min(), (int) def.limits().max(), def.shared());
        }
        for (GlobalDef def : image.globals) {
            Global global = new Global(def.type(), def.mutable(), 0);
            global.value = Values.normalize(def.type(), def.init().evaluate(inst));
            inst.globals[g++] = global;
        }
        store.added(inst);

        inst.elems = new long[image.elems.length][];
        for (int i = 0; i < image.elems.length; i++) {
            ElemSegment e = image.elems[i];
            long[] items = new long[e.items().length];
            for (int k = 0; k < items.length; k++) items[k] = e.items()[k].evaluate(inst);
            inst.elems[i] = e.mode() == Segments.PASSIVE ? items : null;
            if (e.mode() == Segments.ACTIVE) {
                long offset = e.offset().evaluate(inst) & 0xFFFF_FFFFL;
                SlowPath.tableInit(inst.tables[e.table()], items, offset, 0, items.length);
            }
        }
        inst.datas = new byte[image.datas.length][];
        for (int i = 0; i < image.datas.length; i++) {
            DataSegment d = image.datas[i];
            inst.datas[i] = d.bytes();
            if (d.mode() == Segments.ACTIVE) {
                long offset = d.offset().evaluate(inst) & 0xFFFF_FFFFL;
                if (inst.memory == null) throw new Trap(TrapKind.OUT_OF_BOUNDS_MEMORY);
                SlowPath.memoryInit(inst, i, offset, 0, d.bytes().length);
                inst.datas[i] = null;
            }
        }
        if (image.start >= 0) new Machine(store).call(inst.functions[image.start], new long[0]);
        return inst;
    }

    private FunctionInstance importFunction(ImportSpec spec, Object offered) throws LinkException {
        FunctionInstance f = switch (offered) {
            case Imports.HostBinding b -> store.hostFunction(b, b.type(), b.function(), b.name());
            case FunctionInstance fi -> fi;
            default -> throw incompatible(spec, "not a function");
        };
        if (!f.type.equals(spec.funcType())) throw incompatible(spec, "type " + f.type + ", expected " + spec.funcType());
        return f;
    }

    private Table importTable(ImportSpec spec, Object offered) throws LinkException {
        if (!(offered instanceof Table table)) throw incompatible(spec, "not a table");
        if (table.elemType() != spec.valType()) throw incompatible(spec, "element type " + table.elemType());
        if (!table.limits().within(spec.limits())) throw incompatible(spec, "limits " + table.limits() + " not within " + spec.limits());
        return table;
    }

    private Memory importMemory(ImportSpec spec, Object offered) throws LinkException {
        if (!(offered instanceof Memory memory)) throw incompatible(spec, "not a memory");
        if (memory.shared() != spec.shared()) throw incompatible(spec, "shared " + memory.shared());
        if (!memory.limits().within(spec.limits())) throw incompatible(spec, "limits " + memory.limits() + " not within " + spec.limits());
        return memory;
    }

    private Global importGlobal(ImportSpec spec, Object offered) throws LinkException {
        if (!(offered instanceof Global global)) throw incompatible(spec, "not a global");
        if (global.type() != spec.valType() || global.mutable() != spec.mutable())
            throw incompatible(spec, "global " + (global.mutable() ? "mut " : "") + global.type());
        return global;
    }

    private static LinkException incompatible(ImportSpec spec, String why) {
        return new LinkException("incompatible import type: " + spec + ": " + why);
    }
}
