package dev.nojit.engine;

/**
 * A function as a store knows it: wasm code of an instance (pre-decoded for the interpreter, or compiled ahead of
 * time: {@code compiled} runs defined function {@code definedIndex} and {@code code} is null) or a host function.
 * {@code id} is its funcref value, valid in the store that registered it (and in copies of that store).
 */
final class FunctionInstance {
    final int id;
    final FuncType type;
    final int typeId;
    final Instance instance;
    final FunctionCode code;
    final HostFunction host;
    final String name;
    final CompiledModule compiled;
    final int definedIndex;

    FunctionInstance(int id, FuncType type, int typeId, Instance instance, FunctionCode code, HostFunction host, String name) {
        this(id, type, typeId, instance, code, host, name, null, -1);
    }

    FunctionInstance(int id, FuncType type, int typeId, Instance instance, FunctionCode code, HostFunction host, String name,
                     CompiledModule compiled, int definedIndex) {
        this.id = id;
        this.type = type;
        this.typeId = typeId;
        this.instance = instance;
        this.code = code;
        this.host = host;
        this.name = name;
        this.compiled = compiled;
        this.definedIndex = definedIndex;
    }
}
