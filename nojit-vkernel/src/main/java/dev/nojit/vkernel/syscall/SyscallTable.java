package dev.nojit.vkernel.syscall;

import java.util.Map;
import java.util.TreeMap;

/** Linux syscall handlers by name (without the {@code SYS_} prefix), filled in by each family's {@code register}. */
public final class SyscallTable {
    private final Map<String, Syscall> handlers = new TreeMap<>();

    public SyscallTable add(String name, Syscall handler) {
        if (handlers.putIfAbsent(name, handler) != null) throw new IllegalStateException("two handlers for " + name);
        return this;
    }

    public Syscall get(String name) {
        return handlers.get(name);
    }

    public Map<String, Syscall> all() {
        return java.util.Collections.unmodifiableMap(handlers);
    }
}
