package dev.nojit.engine;

/**
 * One import of a module. Exactly the fields of its kind are set: {@code funcType} for functions,
 * {@code valType} (element type) and {@code limits} for tables, {@code limits} and {@code shared} for memories,
 * {@code valType} and {@code mutable} for globals.
 */
public record ImportSpec(String module, String name, ExternKind kind, FuncType funcType,
                         ValType valType, Limits limits, boolean shared, boolean mutable) {
    @Override
    public String toString() {
        return module + "." + name + " (" + kind.name().toLowerCase() + ")";
    }
}
