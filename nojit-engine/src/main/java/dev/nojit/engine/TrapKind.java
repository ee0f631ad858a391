package dev.nojit.engine;

/** Why guest execution stopped abnormally. The messages are the specification's wording where it has one. */
public enum TrapKind {
    UNREACHABLE("unreachable"),
    INTEGER_DIVIDE_BY_ZERO("integer divide by zero"),
    INTEGER_OVERFLOW("integer overflow"),
    INVALID_CONVERSION("invalid conversion to integer"),
    OUT_OF_BOUNDS_MEMORY("out of bounds memory access"),
    OUT_OF_BOUNDS_TABLE("out of bounds table access"),
    UNDEFINED_ELEMENT("undefined element"),
    UNINITIALIZED_ELEMENT("uninitialized element"),
    INDIRECT_CALL_TYPE_MISMATCH("indirect call type mismatch"),
    CALL_STACK_EXHAUSTED("call stack exhausted"),
    UNALIGNED_ATOMIC("unaligned atomic"),
    EXPECTED_SHARED_MEMORY("expected shared memory"),
    INTERRUPTED("interrupted"),
    OUT_OF_FUEL("out of fuel"),
    HOST("host function failed"),
    ENGINE_FAULT("engine fault");

    private final String message;

    TrapKind(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }
}
