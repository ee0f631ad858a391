package dev.nojit.engine;

/**
 * A function as a store knows it: either wasm code of an instance or a host function. {@code id} is its
 * funcref value, valid in the store that registered it (and in copies of that store).
 */
final class FunctionInstance {
    final int id;
    final FuncType type;
    final int typeId;
    final Instance instance;
    final FunctionCode code;
    final HostFunction host;
    final String name;

    FunctionInstance(int id, FuncType type, int typeId, Instance instance, FunctionCode code, HostFunction host, String name) {
        this.id = id;
        this.type = type;
        this.typeId = typeId;
        this.instance = instance;
        this.code = code;
        this.host = host;
        this.name = name;
    }
}
