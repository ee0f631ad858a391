package dev.nojit.bench.engine;

import dev.nojit.aot.AotCompiler;
import dev.nojit.bundle.AotClassBlob;
import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.Sha256;
import dev.nojit.engine.CompiledModule;
import dev.nojit.engine.InvalidModuleException;
import dev.nojit.vkernel.process.AotClassLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A workload's AOT classes, made and loaded the way nojit does it: translated by nojit-aot's
 * {@link AotCompiler} (what {@code nojit build --engine aot} runs), each class wrapped in an
 * {@link AotClassBlob} as the bundle stores it, and at run time decoded and handed to the vkernel's own
 * {@link AotClassLoader} (define, link, verify, initialize, entry instantiated). Only the bundle file is
 * left out: the blobs are not signed and hashed here.
 *
 * @param blobs entry class first
 * @param huge  compiled functions over HotSpot's 8,000-byte huge-method limit (run by the JVM's bytecode interpreter)
 */
record AotClasses(String moduleSha256, List<byte[]> blobs, int compiled, int defined, int huge) {
    private static final String INDEX = "index";

    /** Translates a workload module (no returns-twice imports: the workloads import nothing). */
    static AotClasses translate(byte[] wasm) throws InvalidModuleException, BundleException {
        AotCompiler.Output out = AotCompiler.compile(wasm, Set.of());
        String sha = Sha256.hex(wasm);
        List<byte[]> blobs = new ArrayList<>();
        for (AotCompiler.GeneratedClass c : out.classes()) blobs.add(AotClassBlob.encode(sha, c.binaryName(), c.bytes()));
        return new AotClasses(sha, List.copyOf(blobs), out.compiled(), out.defined(), out.huge());
    }

    /** Decodes the blobs and defines their classes in a new {@link AotClassLoader}: the entry class's instance. */
    CompiledModule load(String label) throws BundleException {
        List<AotClassBlob.Decoded> decoded = new ArrayList<>();
        for (byte[] blob : blobs) {
            AotClassBlob.Decoded d = AotClassBlob.decode(blob);
            if (!d.header().moduleSha256().equals(moduleSha256)) {
                throw new BundleException("AOT class " + d.header().className() + " belongs to another module");
            }
            decoded.add(d);
        }
        return AotClassLoader.load(label, decoded);
    }

    /** Writes the blobs into {@code dir} as {@code 0.blob, 1.blob ...} with an {@code index} naming the module. */
    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) Files.delete(p);
        }
        for (int i = 0; i < blobs.size(); i++) Files.write(dir.resolve(i + ".blob"), blobs.get(i));
        Files.writeString(dir.resolve(INDEX), moduleSha256 + " " + blobs.size() + " " + compiled + " " + defined + " " + huge + "\n");
    }

    /** What {@link #write} wrote. */
    static AotClasses read(Path dir) throws IOException {
        String[] f = Files.readString(dir.resolve(INDEX)).strip().split(" ");
        if (f.length != 5) throw new IOException(dir.resolve(INDEX) + ": not an index written by AotClasses");
        int count = Integer.parseInt(f[1]);
        List<byte[]> blobs = new ArrayList<>();
        for (int i = 0; i < count; i++) blobs.add(Files.readAllBytes(dir.resolve(i + ".blob")));
        return new AotClasses(f[0], List.copyOf(blobs), Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]));
    }
}
