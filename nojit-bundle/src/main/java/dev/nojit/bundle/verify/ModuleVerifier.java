package dev.nojit.bundle.verify;

import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.BundleLimits;

import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Build-time static verification of one WebAssembly module: it must parse and validate
 * (Chicory's parser and validator), and import only functions of the supported
 * personalities — WALI ({@code wali}) and WASI preview 1 ({@code wasi_snapshot_preview1}) —
 * each with its defined signature. Anything else is refused with the import named, and so is
 * one name imported twice with two different types (the vkernel binds one handler per name:
 * such a module would be signed and then fail to link at run time).
 */
public final class ModuleVerifier {
    private ModuleVerifier() {}

    /**
     * What verification learnt of an accepted module.
     *
     * @param module the module as parsed and validated, so that the build translates exactly
     *               what was checked without parsing the bytes a second time
     */
    public record VerifiedModule(List<String> personalities, int functionImports, WasmModule module) {
        /** The WALI syscalls it imports that make a new process from a copy of the caller ({@link WaliInterface#FORKING}), in import order. */
        public List<String> forkingImports() {
            var imports = module.importSection();
            java.util.List<String> found = new java.util.ArrayList<>();
            for (int i = 0; i < imports.importCount(); i++) {
                Import imp = imports.getImport(i);
                if (imp.module().equals(WaliInterface.MODULE) && WaliInterface.FORKING.contains(imp.name()) && !found.contains(imp.name())) {
                    found.add(imp.name());
                }
            }
            return List.copyOf(found);
        }
    }

    /** @param label how to name the module in messages (its container path) */
    public static VerifiedModule verify(String label, byte[] wasm) throws BundleException {
        if (wasm.length > BundleLimits.MAX_BLOB_BYTES) throw new BundleException(label + ": module too large");
        WasmModule module = parse(label, wasm);
        TreeSet<String> personalities = new TreeSet<>();
        Map<String, FunctionType> typeByImport = new HashMap<>();
        var imports = module.importSection();
        for (int i = 0; i < imports.importCount(); i++) {
            Import imp = imports.getImport(i);
            String what = label + ": import " + imp.module() + "." + imp.name();
            if (!(imp instanceof FunctionImport fn)) {
                throw new BundleException(what + " is a " + imp.importType().name().toLowerCase()
                        + " import; only functions of wali and wasi_snapshot_preview1 may be imported");
            }
            FunctionType type = module.typeSection().getType(fn.typeIndex());
            Optional<String> problem = switch (imp.module()) {
                case WaliInterface.MODULE -> WaliInterface.check(imp.name(), type);
                case WasiPreview1.MODULE -> WasiPreview1.check(imp.name(), type);
                default -> Optional.of("is not from a supported personality (wali, wasi_snapshot_preview1)");
            };
            if (problem.isPresent()) throw new BundleException(what + " " + problem.get());
            FunctionType earlier = typeByImport.putIfAbsent(imp.module() + "." + imp.name(), type);
            if (earlier != null && !earlier.equals(type)) {
                throw new BundleException(what + " is imported twice with different types: " + Signature.describe(earlier)
                        + " and " + Signature.describe(type));
            }
            personalities.add(imp.module());
        }
        return new VerifiedModule(List.copyOf(personalities), imports.importCount(), module);
    }

    private static WasmModule parse(String label, byte[] wasm) throws BundleException {
        try {
            return Parser.builder().withValidation(true).build().parse(() -> new ByteArrayInputStream(wasm));
        } catch (ChicoryException e) {
            throw new BundleException(label + ": not a valid WebAssembly module: " + firstLine(e.getMessage()));
        } catch (RuntimeException | StackOverflowError e) {
            // The parser met input it did not expect (a malformed module); name it, never pass it on.
            throw new BundleException(label + ": not a valid WebAssembly module: malformed (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "rejected by the validator";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
