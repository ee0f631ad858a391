package dev.nojit.bench.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The child JVM of the "host JIT off" AOT column: {@code java -Xint -cp benchmarks.jar
 * dev.nojit.bench.engine.AotRun MODULE.wasm CLASSES_DIR N}, the JVM flag {@code nojit run --host-jit off}
 * gives the vkernel JVM. Loads the AOT classes the parent wrote ({@link AotClasses#write}) through the
 * vkernel's class loader, instantiates once (not timed), calls {@code run} N times and prints
 * "CHECKSUM SECONDS" per call, like the native workloads, so {@link NativeProgram} reads it.
 */
public final class AotRun {
    private AotRun() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: AotRun MODULE.wasm CLASSES_DIR CALLS");
            System.exit(2);
        }
        byte[] wasm = Files.readAllBytes(Path.of(args[0]));
        AotClasses classes = AotClasses.read(Path.of(args[1]));
        int calls = Integer.parseInt(args[2]);
        GuestEngine.RunExport run = AotEngine.instantiate(wasm, classes);
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            long checksum = run.call();
            long t1 = System.nanoTime();
            System.out.printf(Locale.ROOT, "%d %.9f%n", checksum, (t1 - t0) / 1e9);
            System.out.flush();
        }
    }
}
