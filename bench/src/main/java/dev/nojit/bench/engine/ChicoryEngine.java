package dev.nojit.bench.engine;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.Parser;

/** Chicory's interpreter (the default machine of {@code com.dylibso.chicory:runtime}), the baseline. */
final class ChicoryEngine implements GuestEngine {
    @Override
    public String name() {
        return "chicory";
    }

    @Override
    public RunExport instantiate(byte[] wasm) {
        Instance instance = Instance.builder(Parser.parse(wasm)).build();
        ExportFunction run = instance.export("run");
        return () -> run.apply()[0];
    }
}
