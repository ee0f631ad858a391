package dev.nojit.bench.engine;

import dev.nojit.engine.EngineConfig;
import dev.nojit.engine.Imports;
import dev.nojit.engine.Instance;
import dev.nojit.engine.ModuleImage;
import dev.nojit.engine.Store;

/** The nojit engine with its default configuration, as the vkernel would run a module. */
final class NojitEngine implements GuestEngine {
    @Override
    public String name() {
        return "nojit";
    }

    @Override
    public RunExport instantiate(byte[] wasm) throws Exception {
        ModuleImage image = ModuleImage.compile(wasm);
        Store store = new Store(EngineConfig.defaults());
        Instance instance = store.instantiate(image, Imports.empty());
        return () -> instance.invoke("run")[0];
    }
}
