package dev.nojit.bench.engine;

import dev.nojit.bundle.Sha256;
import dev.nojit.engine.EngineConfig;
import dev.nojit.engine.Imports;
import dev.nojit.engine.Instance;
import dev.nojit.engine.ModuleImage;
import dev.nojit.engine.Store;

/**
 * The nojit engine in AOT mode, in the benchmark's own JVM (host JIT on: HotSpot compiles the generated
 * bytecode as it would in the vkernel JVM under {@code nojit run --host-jit on}): the module's image and its
 * AOT classes, instantiated with {@code Store.instantiate(image, imports, compiled)} as the vkernel's
 * {@code Process} does.
 */
final class AotEngine implements GuestEngine {
    private final AotClasses classes;

    AotEngine(AotClasses classes) {
        this.classes = classes;
    }

    @Override
    public String name() {
        return WorkloadResult.AOT;
    }

    @Override
    public RunExport instantiate(byte[] wasm) throws Exception {
        return instantiate(wasm, classes);
    }

    static RunExport instantiate(byte[] wasm, AotClasses classes) throws Exception {
        if (!Sha256.hex(wasm).equals(classes.moduleSha256())) {
            throw new IllegalArgumentException("the AOT classes were translated from another module");
        }
        ModuleImage image = ModuleImage.compile(wasm);
        Store store = new Store(EngineConfig.defaults());
        Instance instance = store.instantiate(image, Imports.empty(), classes.load("/bench/" + classes.moduleSha256().substring(0, 16)));
        return () -> instance.invoke("run")[0];
    }
}
