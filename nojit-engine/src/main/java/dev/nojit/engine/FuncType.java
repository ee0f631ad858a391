package dev.nojit.engine;

import java.util.List;

/** A function signature. Equal records mean equal WebAssembly function types. */
public record FuncType(List<ValType> params, List<ValType> results) {
    public FuncType {
        params = List.copyOf(params);
        results = List.copyOf(results);
    }

    public static FuncType of(List<ValType> params, List<ValType> results) {
        return new FuncType(params, results);
    }

    /**
     * The block type encoded at byte {@code pos} of a module's binary (0x40, a value type, or an s33 index into
     * {@code types}), for tools that translate function bodies (nojit-aot).
     */
    public static FuncType ofBlockType(byte[] wasm, int pos, FuncType[] types) throws UnsupportedFeatureException {
        return Types.blockType(wasm, pos, types);
    }

    @Override
    public String toString() {
        return params + " -> " + results;
    }
}
