package dev.nojit.engine;

/** A function found through a table (a guest function pointer), callable with {@link Machine#invoke(FunctionRef, long...)}. */
public final class FunctionRef {
    private final FunctionInstance function;

    FunctionRef(FunctionInstance function) {
        this.function = function;
    }

    FunctionInstance function() {
        return function;
    }

    public FuncType type() {
        return function.type;
    }
}
