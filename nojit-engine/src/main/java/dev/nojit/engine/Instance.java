package dev.nojit.engine;

import java.util.HashMap;
import java.util.Map;

/** A module instantiated in a {@link Store}: its functions, tables, memory, globals and segments. */
public final class Instance {
    final ModuleImage image;
    final Store store;
    FunctionInstance[] functions;
    Table[] tables;
    Memory memory;
    Global[] globals;
    int[] typeIds;
    byte[][] datas;
    long[][] elems;
    final Map<String, ExportSpec> exports;

    Instance(ModuleImage image, Store store) {
        this.image = image;
        this.store = store;
        this.exports = new HashMap<>();
        for (ExportSpec e : image.exports) exports.put(e.name(), e);
    }

    Instance shallowCopy(Store copy) {
        return new Instance(image, copy);
    }

    /** Fills this copy from {@code original}, mapping shared objects through {@code map} so sharing survives. */
    void copyStateFrom(Instance original, FunctionInstance[] registry, Map<Object, Object> map) {
        functions = new FunctionInstance[original.functions.length];
        for (int i = 0; i < functions.length; i++) functions[i] = registry[original.functions[i].id];
        tables = new Table[original.tables.length];
        for (int i = 0; i < tables.length; i++) tables[i] = (Table) map.computeIfAbsent(original.tables[i], t -> ((Table) t).copy());
        memory = original.memory == null ? null : (Memory) map.computeIfAbsent(original.memory, m -> ((Memory) m).copy());
        globals = new Global[original.globals.length];
        for (int i = 0; i < globals.length; i++) globals[i] = (Global) map.computeIfAbsent(original.globals[i], g -> ((Global) g).copy());
        typeIds = original.typeIds;
        datas = original.datas.clone();
        elems = original.elems.clone();
    }

    public Store store() {
        return store;
    }

    /** Calls an exported function on a fresh machine of this instance's store (use a {@link Machine} to control it). */
    public long[] invoke(String exportName, long... args) {
        return new Machine(store).invoke(this, exportName, args);
    }

    FunctionInstance exportedFunction(String name) {
        ExportSpec e = exports.get(name);
        if (e == null || e.kind() != ExternKind.FUNCTION) throw new IllegalArgumentException("no exported function '" + name + "'");
        return functions[e.index()];
    }

    public FuncType exportedFunctionType(String name) {
        ExportSpec e = exports.get(name);
        return e == null || e.kind() != ExternKind.FUNCTION ? null : functions[e.index()].type;
    }

    public Global exportedGlobal(String name) {
        ExportSpec e = exports.get(name);
        return e == null || e.kind() != ExternKind.GLOBAL ? null : globals[e.index()];
    }

    public Memory exportedMemory(String name) {
        ExportSpec e = exports.get(name);
        return e == null || e.kind() != ExternKind.MEMORY ? null : memory;
    }

    public Table exportedTable(String name) {
        ExportSpec e = exports.get(name);
        return e == null || e.kind() != ExternKind.TABLE ? null : tables[e.index()];
    }

    /** This instance's memory (imported or defined), or null. */
    public Memory memory() {
        return memory;
    }

    public ModuleImage image() {
        return image;
    }

    /**
     * The function that element {@code element} of table 0 refers to (a C function pointer in a module built by
     * clang), or null when there is no table 0, the index is out of range, or the element is null.
     */
    public FunctionRef tableFunction(long element) {
        if (tables.length == 0) return null;
        Table t = tables[0];
        if (element < 0 || element >= t.size()) return null;
        long ref = t.get((int) element);
        if (ref == Values.NULL_REF) return null;
        FunctionInstance f = store.function(ref);
        return new FunctionRef(f);
    }

    /** The export as the object another module would import: a function binding, Table, Memory or Global. */
    Object export(String name) {
        ExportSpec e = exports.get(name);
        if (e == null) return null;
        return switch (e.kind()) {
            case FUNCTION -> functions[e.index()];
            case TABLE -> tables[e.index()];
            case MEMORY -> memory;
            case GLOBAL -> globals[e.index()];
        };
    }
}
