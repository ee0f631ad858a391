package dev.nojit.vkernel;

import dev.nojit.engine.ExternKind;
import dev.nojit.engine.ImportSpec;
import dev.nojit.engine.Imports;
import dev.nojit.engine.Instance;
import dev.nojit.engine.Machine;
import dev.nojit.engine.ModuleImage;
import dev.nojit.vkernel.process.Process;
import dev.nojit.vkernel.wali.WaliPersonality;
import dev.nojit.vkernel.wasi.WasiPersonality;

/**
 * The guest interfaces a module can import (SPEC §3): WALI (module {@code wali}) and WASI
 * preview 1 ({@code wasi_snapshot_preview1}), both over the same processes, file system and
 * descriptor tables. Binds a module's imports and starts it.
 */
public final class Personalities {
    private final WaliPersonality wali;
    private final WasiPersonality wasi;

    Personalities(Kernel kernel) {
        this.wali = new WaliPersonality(kernel);
        this.wasi = new WasiPersonality(kernel);
    }

    /** Host functions for every function import of {@code image}; other imports are left to fail linking. */
    public Imports imports(ModuleImage image) {
        Imports.Builder b = Imports.builder();
        for (ImportSpec i : image.imports()) {
            if (i.kind() != ExternKind.FUNCTION) continue;
            switch (i.module()) {
                case WaliPersonality.MODULE -> b.function(i.module(), i.name(), i.funcType(), wali.bind(i.name(), i.funcType()));
                case WasiPersonality.MODULE -> b.function(i.module(), i.name(), i.funcType(), wasi.bind(i.name(), i.funcType()));
                default -> { }
            }
        }
        return b.build();
    }

    /** Runs the program's entry point ({@code _start}) on {@code machine}. */
    public long[] start(Process p, Instance instance, Machine machine) {
        if (instance.exportedFunctionType("_start") == null) {
            p.kernel().log("pid " + p.pid() + " (" + p.exePath() + "): the module exports no _start function");
            throw new dev.nojit.vkernel.process.GuestControl.Exit(dev.nojit.vkernel.process.WaitStatus.exited(126));
        }
        boolean usesWasi = instance.image().imports().stream().anyMatch(i -> i.module().equals(WasiPersonality.MODULE));
        if (usesWasi) wasi.prepare(p);
        return machine.invoke(instance, "_start");
    }
}
