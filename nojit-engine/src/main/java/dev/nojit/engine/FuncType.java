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

    @Override
    public String toString() {
        return params + " -> " + results;
    }
}
