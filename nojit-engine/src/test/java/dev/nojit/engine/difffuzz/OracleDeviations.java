package dev.nojit.engine.difffuzz;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ActiveDataSegment;
import com.dylibso.chicory.wasm.types.AnnotatedInstruction;
import com.dylibso.chicory.wasm.types.PassiveElement;

/**
 * Module features on which Chicory 1.7.5, the oracle, departs from the WebAssembly 2.0 specification, found by
 * the differential fuzzer and checked against the specification. Modules using them are not compared.
 */
final class OracleDeviations {
    private OracleDeviations() {}

    /** A description of the deviation the module would hit, or null. */
    static String find(WasmModule module) {
        var code = module.codeSection();
        for (int f = 0; f < code.functionBodyCount(); f++) {
            for (AnnotatedInstruction ins : code.getFunctionBody(f).instructions()) {
                switch (ins.opcode()) {
                    case MEMORY_INIT -> {
                        // Instantiation drops active data segments (core 2.0, 4.5.4: memory.init then data.drop),
                        // so a later memory.init of one with n > 0 traps; Chicory keeps their bytes.
                        if (module.dataSection().getDataSegment((int) ins.operand(0)) instanceof ActiveDataSegment)
                            return "memory.init of an active data segment (Chicory does not drop it at instantiation)";
                    }
                    case TABLE_INIT -> {
                        // Likewise active and declarative element segments are dropped at instantiation.
                        if (!(module.elementSection().getElement((int) ins.operand(0)) instanceof PassiveElement))
                            return "table.init of an active or declarative element segment (Chicory does not drop it)";
                    }
                    case F32_CONVERT_I64_U -> {
                        // Chicory rounds some values wrongly, e.g. 0xFC00000000000001 to 0x5F7C0001 instead of
                        // the nearest float 0x5F7C0000 (checked with BigDecimal); nojit's own spec subset covers it.
                        return "f32.convert_i64_u (Chicory rounds some values to the wrong float)";
                    }
                    default -> { }
                }
            }
        }
        return null;
    }
}
