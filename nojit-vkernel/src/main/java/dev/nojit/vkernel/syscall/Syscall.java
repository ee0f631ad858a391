package dev.nojit.vkernel.syscall;

import dev.nojit.vkernel.process.Process;

/**
 * A syscall handler: the calling process and the raw arguments (six, missing ones zero; i32
 * arguments sign-extended, so pointers go through {@code GuestMemory.ptr}). Returns the result
 * or throws {@link SyscallError}; it never sees the engine, so another engine can call it.
 */
@FunctionalInterface
public interface Syscall {
    long call(Process p, long[] a);
}
