package dev.nojit.engine;

/**
 * A function the host provides to guests as an import. Plain Java: the engine passes the arguments as
 * {@link Values}-encoded longs and expects exactly as many results as the import's type declares (null or an
 * empty array when it declares none). Throwing {@link Trap} traps the guest; any other exception becomes a
 * {@link TrapKind#HOST} trap.
 */
@FunctionalInterface
public interface HostFunction {
    long[] call(HostCall call, long[] args);
}
