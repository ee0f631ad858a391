package dev.nojit.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Test helper: WebAssembly text to binary with wabt's wat2wasm (Debian package wabt), then to an image. */
public final class Wat {
    private Wat() {}

    public static byte[] toWasm(String wat) {
        try {
            Path dir = Files.createTempDirectory("nojit-wat");
            Path in = dir.resolve("m.wat");
            Path out = dir.resolve("m.wasm");
            Files.writeString(in, wat);
            Process p;
            try {
                p = new ProcessBuilder("wat2wasm", "--enable-threads", in.toString(), "-o", out.toString())
                        .redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IllegalStateException("wat2wasm not found: install the Debian package 'wabt'", e);
            }
            String log = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("wat2wasm failed: " + log);
            byte[] wasm = Files.readAllBytes(out);
            Files.delete(in);
            Files.delete(out);
            Files.delete(dir);
            return wasm;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static ModuleImage image(String wat) {
        try {
            return ModuleImage.compile(toWasm(wat));
        } catch (InvalidModuleException e) {
            throw new IllegalStateException(e);
        }
    }

    static Instance instance(String wat) {
        return instance(wat, Imports.empty(), EngineConfig.defaults());
    }

    static Instance instance(String wat, Imports imports, EngineConfig config) {
        try {
            return new Store(config).instantiate(image(wat), imports);
        } catch (LinkException e) {
            throw new IllegalStateException(e);
        }
    }

    static final FuncType I32_TO_I32 = FuncType.of(java.util.List.of(ValType.I32), java.util.List.of(ValType.I32));
    static final FuncType VOID_TO_I32 = FuncType.of(java.util.List.of(), java.util.List.of(ValType.I32));
}
