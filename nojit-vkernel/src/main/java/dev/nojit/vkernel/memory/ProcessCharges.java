package dev.nojit.vkernel.memory;

import dev.nojit.engine.GrowthBudget;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one process holds of the container's {@link MemoryBudget}: its linear memory and its
 * engine stack, each charged through a {@link GrowthBudget} the engine asks before it grows
 * them, and a fork's reservation for the child's copy of both, taken before anything is copied.
 */
public final class ProcessCharges {
    /** What a fork charged for its child before copying: the memory and the machine's stack. */
    public record Reservation(long memory, long stack) {}

    private final MemoryBudget budget;
    private final AtomicLong memoryHeld = new AtomicLong();
    private final AtomicLong stackHeld = new AtomicLong();
    final GrowthBudget memory = new Charges(MemoryBudget.Use.LINEAR_MEMORY, memoryHeld);
    final GrowthBudget stack = new Charges(MemoryBudget.Use.ENGINE_STACKS, stackHeld);

    ProcessCharges(MemoryBudget budget) {
        this.budget = budget;
    }

    /** A fork's child: it starts holding what the parent reserved for it. */
    ProcessCharges adopt(Reservation reserved) {
        memoryHeld.set(reserved.memory());
        stackHeld.set(reserved.stack());
        return this;
    }

    /** Charges a copy of {@code memoryBytes} and {@code stackBytes}; null (nothing charged) when there is no room. */
    Reservation reserve(long memoryBytes, long stackBytes) {
        if (!budget.tryCharge(MemoryBudget.Use.LINEAR_MEMORY, memoryBytes)) return null;
        if (!budget.tryCharge(MemoryBudget.Use.ENGINE_STACKS, stackBytes)) {
            budget.release(MemoryBudget.Use.LINEAR_MEMORY, memoryBytes);
            return null;
        }
        return new Reservation(memoryBytes, stackBytes);
    }

    void cancel(Reservation reserved) {
        budget.release(MemoryBudget.Use.LINEAR_MEMORY, reserved.memory());
        budget.release(MemoryBudget.Use.ENGINE_STACKS, reserved.stack());
    }

    /** Charges the part of a memory of {@code size} bytes not held yet (growth that bypassed the growth budget). */
    boolean holdMemoryOf(long size) {
        long missing = size - memoryHeld.get();
        return missing <= 0 || memory.reserve(missing);
    }

    /** Charges a new machine's stack. */
    boolean holdStack(long bytes) {
        return stack.reserve(bytes);
    }

    /** Exit or execve: everything held goes back. */
    void releaseAll() {
        budget.release(MemoryBudget.Use.LINEAR_MEMORY, memoryHeld.getAndSet(0));
        budget.release(MemoryBudget.Use.ENGINE_STACKS, stackHeld.getAndSet(0));
    }

    /** A growth budget that charges one use of the container's budget and counts what this process holds of it. */
    private final class Charges implements GrowthBudget {
        private final MemoryBudget.Use use;
        private final AtomicLong held;

        Charges(MemoryBudget.Use use, AtomicLong held) {
            this.use = use;
            this.held = held;
        }

        @Override
        public boolean reserve(long bytes) {
            if (!budget.tryCharge(use, bytes)) return false;
            held.addAndGet(bytes);
            return true;
        }

        @Override
        public void cancel(long bytes) {
            held.addAndGet(-bytes);
            budget.release(use, bytes);
        }
    }
}
