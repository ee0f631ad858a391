package dev.nojit.aot;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionType;
import dev.nojit.engine.ExternKind;
import dev.nojit.engine.FuncType;
import dev.nojit.engine.ImportSpec;
import dev.nojit.engine.ModuleImage;
import dev.nojit.engine.ValType;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the function translator needs to know of the whole module: types, imports, globals, placement of methods. */
final class ModuleInfo {
    static final String PACKAGE = "dev.nojit.aot.generated";
    static final ClassDesc CD_CONTEXT = ClassDesc.of("dev.nojit.engine.AotContext");
    static final ClassDesc CD_FRAME = ClassDesc.of("dev.nojit.engine.AotFrame");
    static final ClassDesc CD_CAPTURE = ClassDesc.of("dev.nojit.engine.AotCapture");
    static final ClassDesc CD_INT_ARRAY = ClassDesc.ofDescriptor("[I");
    static final ClassDesc CD_RESUME = ClassDesc.of("dev.nojit.engine.AotResume");
    static final ClassDesc CD_OPS = ClassDesc.of("dev.nojit.engine.AotOps");
    static final ClassDesc CD_TRAP = ClassDesc.of("dev.nojit.engine.Trap");
    static final ClassDesc CD_COMPILED_MODULE = ClassDesc.of("dev.nojit.engine.CompiledModule");
    static final ClassDesc CD_LONG_ARRAY = ConstantDescs.CD_long.arrayType();

    final byte[] wasm;
    final WasmModule module;
    final ModuleImage image;
    final String baseName;
    /** Types by type index. */
    final FuncType[] types;
    /** Type of every function (imports first). */
    final FuncType[] funcTypes;
    final int imported;
    final List<ValType> globalTypes = new ArrayList<>();
    final boolean hasMemory;
    /** Function indices of returns-twice imports. */
    final boolean[] returnsTwice;
    /** Deoptimization handlers at every call site (a module that forks: see FunctionCompiler). */
    final boolean deopt;
    /** Per defined function: compiled, and the class (number) holding its method. */
    final boolean[] compiled;
    final int[] classOf;
    /** The call_indirect dispatcher of each function type some compiled call_indirect names. */
    final Map<FuncType, AotCompiler.Dispatcher> dispatchers = new HashMap<>();
    /** The class holding the call_indirect method of each (type index, table) pair compiled code uses. */
    final Map<Long, Integer> indirectClass = new HashMap<>();
    /** The class holding the call stub {@code c<funcIndex>} of each import or interpreted function compiled code calls. */
    final Map<Integer, Integer> stubClass = new HashMap<>();
    /** Split functions ({@link Regions}) by defined index: their regions. */
    final Map<Integer, List<Regions.Region>> splits = new HashMap<>();
    /** Functions whose trial translation is longer than this many bytes are split when they can be. */
    final int splitAbove;

    ModuleInfo(byte[] wasm, WasmModule module, ModuleImage image, String baseName, Set<String> returnsTwiceImports,
               boolean deopt, int splitAbove) {
        this.wasm = wasm;
        this.deopt = deopt;
        this.splitAbove = splitAbove;
        this.module = module;
        this.image = image;
        this.baseName = baseName;
        var ts = module.typeSection();
        types = new FuncType[ts.typeCount()];
        for (int i = 0; i < types.length; i++) types[i] = of(ts.getType(i));
        int defined = image.definedFunctionCount();
        int functionImports = 0;
        boolean memory = false;
        List<Boolean> rt = new ArrayList<>();
        for (ImportSpec i : image.imports()) {
            switch (i.kind()) {
                case FUNCTION -> {
                    functionImports++;
                    rt.add(returnsTwiceImports.contains(i.module() + ":" + i.name()));
                }
                case GLOBAL -> globalTypes.add(i.valType());
                case MEMORY -> memory = true;
                default -> { }
            }
        }
        imported = functionImports;
        returnsTwice = new boolean[imported];
        for (int i = 0; i < imported; i++) returnsTwice[i] = rt.get(i);
        funcTypes = new FuncType[imported + defined];
        for (int i = 0; i < funcTypes.length; i++) funcTypes[i] = image.functionType(i);
        var gs = module.globalSection();
        for (int i = 0; i < gs.globalCount(); i++) globalTypes.add(of(gs.getGlobal(i).valueType()));
        hasMemory = memory || module.memorySection().map(m -> m.memoryCount() > 0).orElse(false);
        compiled = new boolean[defined];
        classOf = new int[defined];
    }

    static ValType of(com.dylibso.chicory.wasm.types.ValType t) {
        if (t.equals(com.dylibso.chicory.wasm.types.ValType.I32)) return ValType.I32;
        if (t.equals(com.dylibso.chicory.wasm.types.ValType.I64)) return ValType.I64;
        if (t.equals(com.dylibso.chicory.wasm.types.ValType.F32)) return ValType.F32;
        if (t.equals(com.dylibso.chicory.wasm.types.ValType.F64)) return ValType.F64;
        if (t.isReference() && t.typeIdx() == com.dylibso.chicory.wasm.types.ValType.FuncRef.typeIdx()) return ValType.FUNCREF;
        if (t.isReference() && t.typeIdx() == com.dylibso.chicory.wasm.types.ValType.ExternRef.typeIdx()) return ValType.EXTERNREF;
        throw new UnsupportedOperationException("value type " + t.name());
    }

    static FuncType of(FunctionType t) {
        List<ValType> p = new ArrayList<>(), r = new ArrayList<>();
        for (var v : t.params()) p.add(of(v));
        for (var v : t.returns()) r.add(of(v));
        return new FuncType(p, r);
    }

    /** The block type at byte {@code pos} of the module. */
    FuncType blockType(int pos) {
        try {
            return FuncType.ofBlockType(wasm, pos, types);
        } catch (dev.nojit.engine.UnsupportedFeatureException e) {
            throw new UnsupportedOperationException(e.getMessage(), e);
        }
    }

    ClassDesc classDesc(int n) {
        return ClassDesc.of(PACKAGE + "." + baseName + "_" + n);
    }

    /** The JVM type carrying a wasm value: int, long (i64 and references), float or double. */
    static ClassDesc jvm(ValType t) {
        return FunctionCompiler.kind(t).upperBound();
    }

    /** The descriptor of a compiled function of type {@code t}: typed parameters, the context last. */
    static MethodTypeDesc descriptor(FuncType t) {
        List<ClassDesc> params = new ArrayList<>();
        for (ValType v : t.params()) params.add(jvm(v));
        params.add(CD_CONTEXT);
        return MethodTypeDesc.of(returnDesc(t), params.toArray(ClassDesc[]::new));
    }

    static ClassDesc returnDesc(FuncType t) {
        return switch (t.results().size()) {
            case 0 -> ConstantDescs.CD_void;
            case 1 -> jvm(t.results().getFirst());
            default -> CD_LONG_ARRAY;
        };
    }

    static long indirectKey(int typeIndex, int table) {
        return (long) typeIndex << 32 | table;
    }

    static String indirectName(int typeIndex, int table) {
        return "x" + typeIndex + "_" + table;
    }

    /** call_indirect methods: the type's parameters, the element index, the context. */
    static MethodTypeDesc indirectDescriptor(FuncType t) {
        List<ClassDesc> params = new ArrayList<>();
        for (ValType v : t.params()) params.add(jvm(v));
        params.add(ConstantDescs.CD_int);
        params.add(CD_CONTEXT);
        return MethodTypeDesc.of(returnDesc(t), params.toArray(ClassDesc[]::new));
    }

    boolean isImport(int funcIndex) {
        return funcIndex < imported;
    }

    static boolean isFunctionImport(ImportSpec i) {
        return i.kind() == ExternKind.FUNCTION;
    }
}
