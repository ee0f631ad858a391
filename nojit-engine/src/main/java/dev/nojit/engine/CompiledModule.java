package dev.nojit.engine;

/**
 * A module's functions translated ahead of time into JVM bytecode (nojit's AOT mode). The translator
 * ({@code nojit-aot}, a build-time module) generates one class implementing this interface per module, with a
 * public no-argument constructor; its bytes travel in the signed bundle and are defined at run time only from
 * hash-checked blobs. The engine keeps everything else of the module (its {@link ModuleImage}: segments,
 * imports, the pre-decoded code of functions left to the interpreter) and calls through this interface.
 *
 * <p>Values cross this interface as the engine's raw 64-bit form ({@link Values}): i32 as a sign-extended
 * int, f32/f64 as their IEEE bits, references as their store value.
 */
public interface CompiledModule {
    /** The number of functions the module defines (imports excluded); must equal the image's. */
    int definedFunctions();

    /**
     * Type check against the image: the function type of defined function {@code definedIndex}, written as
     * {@link FuncType#toString()} writes it.
     */
    String functionType(int definedIndex);

    /** False for a function left to the interpreter (for example one too large for a JVM method). */
    boolean compiled(int definedIndex);

    /** Runs compiled defined function {@code definedIndex} on {@code cx}'s machine and instance. */
    long[] invoke(int definedIndex, long[] args, AotContext cx);

    /**
     * Whether the translator gave every call site of the compiled functions a deoptimization handler (the
     * {@code --deopt} option): then a snapshot (fork) taken under compiled frames rebuilds them as interpreter
     * frames ({@link AotCapture}) instead of being refused.
     */
    default boolean deoptimizable() {
        return false;
    }
}
