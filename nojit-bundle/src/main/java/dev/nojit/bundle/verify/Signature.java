package dev.nojit.bundle.verify;

import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A function signature over i32/i64, written compactly as in {@code "ii>i"}: parameter
 * letters, '>', result letters ({@code i} = i32, {@code I} = i64).
 */
record Signature(List<ValType> params, List<ValType> results) {
    static Signature parse(String compact) {
        int arrow = compact.indexOf('>');
        return new Signature(types(compact.substring(0, arrow)), types(compact.substring(arrow + 1)));
    }

    boolean matches(FunctionType type) {
        return type.params().equals(params) && type.returns().equals(results);
    }

    static String describe(FunctionType type) {
        return describe(type.params(), type.returns());
    }

    @Override
    public String toString() {
        return describe(params, results);
    }

    private static String describe(List<ValType> params, List<ValType> results) {
        String p = params.stream().map(Signature::name).collect(Collectors.joining(", ", "(", ")"));
        String r = results.isEmpty() ? "nil" : results.stream().map(Signature::name).collect(Collectors.joining(", "));
        return p + " -> " + r;
    }

    private static String name(ValType t) {
        if (t.equals(ValType.I32)) return "i32";
        if (t.equals(ValType.I64)) return "i64";
        if (t.equals(ValType.F32)) return "f32";
        if (t.equals(ValType.F64)) return "f64";
        return t.toString();
    }

    private static List<ValType> types(String letters) {
        return letters.chars().mapToObj(c -> switch (c) {
            case 'i' -> ValType.I32;
            case 'I' -> ValType.I64;
            default -> throw new IllegalArgumentException("bad signature letter " + (char) c);
        }).toList();
    }
}
