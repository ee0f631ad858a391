package dev.nojit.engine;

import com.dylibso.chicory.wasm.types.FunctionType;
import java.util.ArrayList;
import java.util.List;

/** Conversions from Chicory's type model to the engine's, refusing what the engine does not implement. */
final class Types {
    private Types() {}

    static ValType of(com.dylibso.chicory.wasm.types.ValType t) throws UnsupportedFeatureException {
        if (t.equals(com.dylibso.chicory.wasm.types.ValType.I32)) return ValType.I32;
        if (t.equals(com.dylibso.chicory.wasm.types.ValType.I64)) return ValType.I64;
        if (t.equals(com.dylibso.chicory.wasm.types.ValType.F32)) return ValType.F32;
        if (t.equals(com.dylibso.chicory.wasm.types.ValType.F64)) return ValType.F64;
        if (t.equals(com.dylibso.chicory.wasm.types.ValType.FuncRef)) return ValType.FUNCREF;
        if (t.equals(com.dylibso.chicory.wasm.types.ValType.ExternRef)) return ValType.EXTERNREF;
        if (t.equals(com.dylibso.chicory.wasm.types.ValType.V128)) throw new UnsupportedFeatureException("SIMD (v128)");
        throw new UnsupportedFeatureException("the value type " + t.name() + " (GC / typed references)");
    }

    static FuncType of(FunctionType t) throws UnsupportedFeatureException {
        return new FuncType(list(t.params()), list(t.returns()));
    }

    private static List<ValType> list(List<com.dylibso.chicory.wasm.types.ValType> in) throws UnsupportedFeatureException {
        List<ValType> out = new ArrayList<>(in.size());
        for (var t : in) out.add(of(t));
        return out;
    }

    /** The binary-format block type at {@code pos}: 0x40, a value type, or an s33 type index. */
    static FuncType blockType(byte[] wasm, int pos, FuncType[] types) throws UnsupportedFeatureException {
        int b = wasm[pos] & 0xFF;
        if (b == 0x40) return new FuncType(List.of(), List.of());
        if (b == 0x7F || b == 0x7E || b == 0x7D || b == 0x7C || b == 0x7B || b == 0x70 || b == 0x6F) {
            ValType v = ValType.ofCode(b);
            if (v == ValType.V128) throw new UnsupportedFeatureException("SIMD (v128)");
            return new FuncType(List.of(), List.of(v));
        }
        long result = 0;
        int shift = 0;
        int i = pos;
        int cur;
        do {
            cur = wasm[i++] & 0xFF;
            result |= (long) (cur & 0x7F) << shift;
            shift += 7;
        } while ((cur & 0x80) != 0 && shift < 35);
        if (result < 0 || result >= types.length) throw new UnsupportedFeatureException("the block type at byte " + pos);
        return types[(int) result];
    }
}
