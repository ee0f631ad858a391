package dev.nojit.engine.spec;

import dev.nojit.engine.FuncType;
import dev.nojit.engine.Global;
import dev.nojit.engine.Imports;
import dev.nojit.engine.Memory;
import dev.nojit.engine.Table;
import dev.nojit.engine.ValType;
import dev.nojit.engine.Values;
import java.util.List;

/**
 * The {@code spectest} module every spec script may import: print functions that do nothing, four constant
 * globals, a funcref table of 10..20 and memories of 1..2 pages (an unshared one and, for the threads
 * scripts, a shared one). Fresh objects per script, so one script's writes do not leak into the next.
 */
final class SpectestImports {
    private SpectestImports() {}

    static Imports.Builder builder() {
        Imports.Builder b = Imports.builder();
        print(b, "print");
        print(b, "print_i32", ValType.I32);
        print(b, "print_i64", ValType.I64);
        print(b, "print_f32", ValType.F32);
        print(b, "print_f64", ValType.F64);
        print(b, "print_i32_f32", ValType.I32, ValType.F32);
        print(b, "print_f64_f64", ValType.F64, ValType.F64);
        b.global("spectest", "global_i32", new Global(ValType.I32, false, 666));
        b.global("spectest", "global_i64", new Global(ValType.I64, false, 666));
        b.global("spectest", "global_f32", new Global(ValType.F32, false, Values.f32(666.6f)));
        b.global("spectest", "global_f64", new Global(ValType.F64, false, Values.f64(666.6)));
        b.table("spectest", "table", new Table(ValType.FUNCREF, 10, 20));
        b.memory("spectest", "memory", new Memory(1, 2, false));
        b.memory("spectest", "shared_memory", new Memory(1, 2, true));
        return b;
    }

    private static void print(Imports.Builder b, String name, ValType... params) {
        b.function("spectest", name, FuncType.of(List.of(params), List.of()), (call, args) -> null);
    }
}
