package dev.nojit.bench.engine;

/** A WebAssembly engine under test: instantiates a workload module and calls its {@code run} export. */
interface GuestEngine {
    /** A column label for the report. */
    String name();

    /** Compiles and instantiates {@code wasm} (not timed) and returns its {@code run} export. */
    RunExport instantiate(byte[] wasm) throws Exception;

    /** {@code long long run(void)} of an instantiated workload. */
    @FunctionalInterface
    interface RunExport {
        long call() throws Exception;
    }
}
