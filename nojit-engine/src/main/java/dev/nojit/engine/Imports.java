package dev.nojit.engine;

import java.util.HashMap;
import java.util.Map;

/** What the host offers a module to import, by module and field name. Immutable once built. */
public final class Imports {
    /** A host function offered under a name; its identity gives it one funcref value per store. */
    record HostBinding(FuncType type, HostFunction function, String name) {}

    private final Map<String, Map<String, Object>> byModule;
    private final Map<String, Instance> instances;

    private Imports(Map<String, Map<String, Object>> byModule, Map<String, Instance> instances) {
        this.byModule = byModule;
        this.instances = instances;
    }

    public static Imports empty() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The offered object: a HostBinding, FunctionInstance, Table, Memory or Global; null when absent. */
    Object resolve(String module, String name) {
        Map<String, Object> fields = byModule.get(module);
        if (fields != null && fields.containsKey(name)) return fields.get(name);
        Instance i = instances.get(module);
        return i == null ? null : i.export(name);
    }

    Iterable<Instance> instances() {
        return instances.values();
    }

    public static final class Builder {
        private final Map<String, Map<String, Object>> byModule = new HashMap<>();
        private final Map<String, Instance> instances = new HashMap<>();

        private Builder put(String module, String name, Object value) {
            byModule.computeIfAbsent(module, k -> new HashMap<>()).put(name, value);
            return this;
        }

        public Builder function(String module, String name, FuncType type, HostFunction fn) {
            return put(module, name, new HostBinding(type, fn, module + "." + name));
        }

        public Builder global(String module, String name, Global g) {
            return put(module, name, g);
        }

        public Builder memory(String module, String name, Memory m) {
            return put(module, name, m);
        }

        public Builder table(String module, String name, Table t) {
            return put(module, name, t);
        }

        /** Offers every export of {@code instance} under {@code module} (the spec tests' "register"). */
        public Builder instance(String module, Instance instance) {
            instances.put(module, instance);
            return this;
        }

        public Imports build() {
            Map<String, Map<String, Object>> copy = new HashMap<>();
            byModule.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
            return new Imports(copy, Map.copyOf(instances));
        }
    }
}
