package dev.nojit.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * All the instances of one process and the functions they can reference: funcref values are indices into
 * this store's function registry. Function types are interned to small ids so call_indirect compares ints.
 */
public final class Store {
    private final EngineConfig config;
    private final Map<FuncType, Integer> typeIds;
    private final Map<Object, FunctionInstance> hostFunctions;
    private final List<Instance> instances;
    private volatile FunctionInstance[] functions;
    private int functionCount;

    public Store(EngineConfig config) {
        this(config, new HashMap<>(), new IdentityHashMap<>(), new ArrayList<>(), new FunctionInstance[64], 0);
    }

    private Store(EngineConfig config, Map<FuncType, Integer> typeIds, Map<Object, FunctionInstance> hostFunctions,
                  List<Instance> instances, FunctionInstance[] functions, int functionCount) {
        this.config = config;
        this.typeIds = typeIds;
        this.hostFunctions = hostFunctions;
        this.instances = instances;
        this.functions = functions;
        this.functionCount = functionCount;
    }

    public EngineConfig config() {
        return config;
    }

    /** Instantiates {@code image} with {@code imports} and runs its start function, on the calling thread. */
    public Instance instantiate(ModuleImage image, Imports imports) throws LinkException {
        return new Linker(this, image, imports).instantiate();
    }

    /**
     * Instantiates {@code image} whose functions {@code compiled} runs (AOT mode; null: the interpreter runs
     * them all). Refuses, with a {@link LinkException}, compiled code whose function count or types differ from
     * the image's.
     */
    public Instance instantiate(ModuleImage image, Imports imports, CompiledModule compiled) throws LinkException {
        if (compiled == null) return instantiate(image, imports);
        int n = image.functions.length;
        if (compiled.definedFunctions() != n)
            throw new LinkException("the compiled code defines " + compiled.definedFunctions() + " functions, the module " + n);
        for (int i = 0; i < n; i++) {
            String want = image.types[image.funcTypes[image.importedFunctions + i]].toString();
            String have = compiled.functionType(i);
            if (!want.equals(have))
                throw new LinkException("the compiled code of function " + (image.importedFunctions + i) + " has type " + have
                        + ", the module's is " + want);
        }
        return new Linker(this, image, imports, compiled).instantiate();
    }

    synchronized int typeId(FuncType type) {
        return typeIds.computeIfAbsent(type, t -> typeIds.size());
    }

    synchronized FunctionInstance register(FuncType type, Instance instance, FunctionCode code, HostFunction host, String name) {
        return register(type, instance, code, host, name, null, -1);
    }

    /** Registers a function; a compiled one ({@code compiled} non-null) has no interpreter code. */
    synchronized FunctionInstance register(FuncType type, Instance instance, FunctionCode code, HostFunction host, String name,
                                           CompiledModule compiled, int definedIndex) {
        if (functionCount == functions.length) functions = Arrays.copyOf(functions, functionCount * 2);
        if (InstructionProfile.ENABLED) code = InstructionProfile.instrument(code);
        FunctionInstance f = new FunctionInstance(functionCount, type, typeId(type), instance, code, host, name, compiled, definedIndex);
        functions[functionCount++] = f;
        return f;
    }

    /** One registry entry per host import binding, so a host function has one funcref value in this store. */
    synchronized FunctionInstance hostFunction(Object binding, FuncType type, HostFunction host, String name) {
        FunctionInstance f = hostFunctions.get(binding);
        if (f == null) {
            f = register(type, null, null, host, name);
            hostFunctions.put(binding, f);
        }
        return f;
    }

    synchronized void added(Instance instance) {
        instances.add(instance);
    }

    /** The function a funcref value names; an id this store never issued traps. */
    FunctionInstance function(long ref) {
        FunctionInstance[] fs = functions;
        if (ref < 0 || ref >= fs.length || fs[(int) ref] == null) throw new Trap(TrapKind.UNDEFINED_ELEMENT);
        return fs[(int) ref];
    }

    /**
     * A deep copy: every instance with its memory, tables and globals, and a registry whose ids mean the same
     * functions of the copied instances. {@code map} receives original → copy for instances, memories, tables
     * and globals.
     */
    synchronized Store copy(Map<Object, Object> map) {
        FunctionInstance[] fs = new FunctionInstance[functions.length];
        Store copy = new Store(config, new HashMap<>(typeIds), new IdentityHashMap<>(), new ArrayList<>(), fs, functionCount);
        for (Instance i : instances) map.put(i, i.shallowCopy(copy));
        for (int k = 0; k < functionCount; k++) {
            FunctionInstance f = functions[k];
            Instance owner = f.instance == null ? null : (Instance) map.get(f.instance);
            fs[k] = new FunctionInstance(f.id, f.type, f.typeId, owner, f.code, f.host, f.name, f.compiled, f.definedIndex);
        }
        for (Map.Entry<Object, FunctionInstance> e : hostFunctions.entrySet()) copy.hostFunctions.put(e.getKey(), fs[e.getValue().id]);
        for (Instance i : instances) {
            Instance c = (Instance) map.get(i);
            c.copyStateFrom(i, fs, map);
            copy.instances.add(c);
        }
        return copy;
    }
}
