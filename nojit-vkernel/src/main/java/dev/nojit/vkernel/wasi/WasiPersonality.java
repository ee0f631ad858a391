package dev.nojit.vkernel.wasi;

import dev.nojit.engine.FuncType;
import dev.nojit.engine.HostFunction;
import dev.nojit.vkernel.Kernel;

/** WASI preview 1 ({@code wasi_snapshot_preview1}) over the vkernel's processes, files and descriptors. */
public final class WasiPersonality {
    public static final String MODULE = "wasi_snapshot_preview1";
    private final Kernel kernel;

    public WasiPersonality(Kernel kernel) {
        this.kernel = kernel;
    }

    public HostFunction bind(String name, FuncType type) {
        return (call, args) -> {
            kernel.countUnimplemented(MODULE + "." + name);
            return type.results().isEmpty() ? new long[0] : new long[]{52}; // ENOSYS
        };
    }
}
