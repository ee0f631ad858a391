package dev.nojit.aot;

import static dev.nojit.aot.ModuleInfo.CD_COMPILED_MODULE;
import static dev.nojit.aot.ModuleInfo.CD_CONTEXT;
import static dev.nojit.aot.ModuleInfo.CD_LONG_ARRAY;
import static dev.nojit.aot.ModuleInfo.CD_OPS;
import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_String;
import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_char;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_void;

import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.AnnotatedInstruction;
import com.dylibso.chicory.wasm.types.FunctionBody;
import com.dylibso.chicory.wasm.types.OpCode;
import dev.nojit.engine.FuncType;
import dev.nojit.engine.InvalidModuleException;
import dev.nojit.engine.ModuleImage;
import dev.nojit.engine.ValType;
import java.io.ByteArrayInputStream;
import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.MethodModel;
import java.lang.classfile.TypeKind;
import java.lang.classfile.attribute.CodeAttribute;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates a WebAssembly module into JVM classes (java.lang.classfile; no other generator): class {@code _0}
 * implements {@link dev.nojit.engine.CompiledModule}, classes {@code _1..} hold one static method per compiled
 * function ({@code f<definedIndex>}, typed) with its bridge ({@code i<definedIndex>}, raw long[] in and out),
 * then the call_indirect dispatchers. A function whose method would exceed the JVM's 65535-byte code limit, or
 * that fails to translate, is left to the interpreter. Build time only.
 */
public final class AotCompiler {
    /** Wasm instructions per function class, and methods per class (constant pool and class size stay small). */
    private static final int CLASS_INSTRUCTIONS = 40_000, CLASS_METHODS = 1_000;
    /** Switch cases per dispatcher / invoke method before it chains to the next one. */
    private static final int SWITCH_CHUNK = 2_000;
    private static final int STRING_CHUNK = 20_000;
    private static final int MAX_CODE = 65_535, ALONE = 32_000;
    private static final ClassFile CLASS_FILE = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
            ClassHierarchyResolver.defaultResolver().orElse(ClassHierarchyResolver.ofResourceParsing(AotCompiler.class.getClassLoader()))));
    private static final MethodTypeDesc BRIDGE = MethodTypeDesc.of(CD_LONG_ARRAY, CD_LONG_ARRAY, CD_CONTEXT);
    private static final MethodTypeDesc INVOKE_STATIC = MethodTypeDesc.of(CD_LONG_ARRAY, CD_int, CD_LONG_ARRAY, CD_CONTEXT);

    /** A call_indirect dispatcher: the first method of its chain. */
    record Dispatcher(int classNumber, String method) {}

    /** One generated class. */
    public record GeneratedClass(String binaryName, byte[] bytes) {}

    /**
     * The classes (entry class first), how many functions were compiled, why the others were not, and how many
     * compiled ones are longer than HotSpot's huge-method limit (8,000 bytes: its JIT leaves them to the bytecode
     * interpreter unless the JVM runs with {@code -XX:-DontCompileHugeMethods}; for a split function, its main
     * method), and how many functions were split into regions ({@link Regions}).
     */
    public record Output(List<GeneratedClass> classes, int compiled, int defined, List<String> leftOut, int huge, int split) {
        /** The translator's one-line summary, as AotMain prints it and the build repeats it. */
        public String summary() {
            return "aot: compiled " + compiled + " of " + defined + " functions (" + (defined - compiled) + " left to the interpreter"
                    + (split == 0 ? "" : "; " + split + " split into regions") + ")";
        }
    }

    /** HotSpot's HugeMethodLimit. */
    private static final int HUGE = 8_000;
    /**
     * Functions longer than this are split into regions ({@link Regions}) where they can be: HotSpot's JIT
     * compiles methods up to a few thousand bytes well and gives up on ones of tens of kilobytes.
     */
    static final int SPLIT_ABOVE = HUGE;

    private AotCompiler() {}

    /**
     * Translates {@code wasm}. {@code returnsTwice} names the imports that may return twice, as
     * {@code "module:name"}. Throws {@link InvalidModuleException} for a module the engine refuses.
     */
    public static Output compile(byte[] wasm, Set<String> returnsTwice) throws InvalidModuleException {
        return compile(wasm, returnsTwice, false);
    }

    /**
     * As {@link #compile(byte[], Set)}; {@code deopt} gives every call site a deoptimization handler, so that a
     * fork (a snapshot) taken under the compiled frames rebuilds them as interpreter frames (for modules that fork).
     */
    public static Output compile(byte[] wasm, Set<String> returnsTwice, boolean deopt) throws InvalidModuleException {
        return compile(wasm, returnsTwice, deopt, SPLIT_ABOVE);
    }

    /**
     * As {@link #compile(byte[], Set, boolean)}, splitting ({@link Regions}) every function whose translation is
     * longer than {@code splitAbove} bytes when it can be split (tests use 0 to split all they can).
     */
    static Output compile(byte[] wasm, Set<String> returnsTwice, boolean deopt, int splitAbove) throws InvalidModuleException {
        WasmModule parsed;
        try {
            parsed = Parser.builder().withValidation(true).build().parse(() -> new ByteArrayInputStream(wasm));
        } catch (ChicoryException | IllegalArgumentException | IndexOutOfBoundsException | UnsupportedOperationException e) {
            throw new InvalidModuleException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
        ModuleImage image = ModuleImage.translate(wasm, parsed);
        ModuleInfo info = new ModuleInfo(wasm, parsed, image, baseName(wasm), returnsTwice, deopt, splitAbove);
        return new AotCompiler().translate(info);
    }

    /** {@code M} + the first 16 hex digits of the module's SHA-256. */
    static String baseName(byte[] wasm) {
        try {
            return "M" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(wasm)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private Output translate(ModuleInfo info) {
        int defined = info.compiled.length;
        var code = info.module.codeSection();
        List<String> leftOut = new ArrayList<>();
        int[] length = new int[defined];
        for (int d = 0; d < defined; d++) {
            String why = fits(info, d, code.getFunctionBody(d), length);
            info.compiled[d] = why == null;
            if (why != null) leftOut.add("function " + (info.imported + d) + ": " + why);
        }
        // function classes, greedily by size
        List<List<Integer>> groups = new ArrayList<>();
        List<Integer> group = new ArrayList<>();
        int size = 0;
        for (int d = 0; d < defined; d++) {
            if (!info.compiled[d]) continue;
            int n = code.getFunctionBody(d).instructions().size();
            if (length[d] > ALONE || info.splits.containsKey(d)) { // in a class of its own its constant pool is the trial's: the same code size
                groups.add(List.of(d));
                continue;
            }
            if (!group.isEmpty() && (size + n > CLASS_INSTRUCTIONS || group.size() >= CLASS_METHODS)) {
                groups.add(group);
                group = new ArrayList<>();
                size = 0;
            }
            group.add(d);
            size += n;
        }
        if (!group.isEmpty()) groups.add(group);
        for (int g = 0; g < groups.size(); g++) for (int d : groups.get(g)) info.classOf[d] = g + 1;

        // call_indirect dispatchers, for the types compiled code calls indirectly
        Map<FuncType, List<Integer>> candidates = new LinkedHashMap<>();
        Set<FuncType> called = new LinkedHashSet<>();
        for (int d = 0; d < defined; d++) {
            if (!info.compiled[d]) continue;
            candidates.computeIfAbsent(info.funcTypes[info.imported + d], t -> new ArrayList<>()).add(d);
            for (AnnotatedInstruction ins : code.getFunctionBody(d).instructions()) {
                if (ins.opcode() == OpCode.CALL_INDIRECT) called.add(info.types[(int) ins.operand(0)]);
            }
        }
        int dispatchClass = groups.size() + 1;
        List<List<FuncType>> dispatchGroups = new ArrayList<>();
        List<FuncType> dg = new ArrayList<>();
        int cases = 0, k = 0;
        for (FuncType t : called) {
            List<Integer> targets = candidates.get(t);
            if (targets == null) continue;
            if (!dg.isEmpty() && cases + targets.size() > 3 * SWITCH_CHUNK) {
                dispatchGroups.add(dg);
                dg = new ArrayList<>();
                cases = 0;
            }
            dg.add(t);
            cases += targets.size();
            info.dispatchers.put(t, new Dispatcher(dispatchClass + dispatchGroups.size(), "d" + k++ + "_0"));
        }
        if (!dg.isEmpty()) dispatchGroups.add(dg);

        // call_indirect methods, one per (type index, table) pair compiled code uses
        Set<Long> pairs = new java.util.TreeSet<>();
        for (int d = 0; d < defined; d++) {
            if (!info.compiled[d]) continue;
            for (AnnotatedInstruction ins : code.getFunctionBody(d).instructions()) {
                if (ins.opcode() == OpCode.CALL_INDIRECT) pairs.add(ModuleInfo.indirectKey((int) ins.operand(0), (int) ins.operand(1)));
            }
        }
        List<List<Long>> indirectGroups = new ArrayList<>();
        int indirectClass = dispatchClass + dispatchGroups.size();
        for (long pair : pairs) {
            if (indirectGroups.isEmpty() || indirectGroups.getLast().size() >= CLASS_METHODS) indirectGroups.add(new ArrayList<>());
            indirectGroups.getLast().add(pair);
            info.indirectClass.put(pair, indirectClass + indirectGroups.size() - 1);
        }

        // call stubs: imports and interpreted functions that compiled code calls
        List<List<Integer>> stubGroups = new ArrayList<>();
        Set<Integer> stubbed = new java.util.TreeSet<>();
        for (int d = 0; d < defined; d++) {
            if (!info.compiled[d]) continue;
            for (AnnotatedInstruction ins : code.getFunctionBody(d).instructions()) {
                if (ins.opcode() != OpCode.CALL) continue;
                int f = (int) ins.operand(0);
                boolean returnsTwice = f < info.imported && info.returnsTwice[f];
                if (!returnsTwice && (f < info.imported || !info.compiled[f - info.imported])) stubbed.add(f);
            }
        }
        int stubClass = indirectClass + indirectGroups.size();
        for (int f : stubbed) {
            if (stubGroups.isEmpty() || stubGroups.getLast().size() >= CLASS_METHODS) stubGroups.add(new ArrayList<>());
            stubGroups.getLast().add(f);
            info.stubClass.put(f, stubClass + stubGroups.size() - 1);
        }

        List<GeneratedClass> classes = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            try {
                classes.add(functionClass(info, g + 1, groups.get(g)));
            } catch (IllegalArgumentException e) {
                // a function alone in its class still too long (its callees' constant pool entries pushed its
                // constants to ldc_w): left to the interpreter after all, its method forwarding to it
                if (groups.get(g).size() != 1) throw e;
                int d = groups.get(g).getFirst();
                info.compiled[d] = false;
                leftOut.add("function " + (info.imported + d) + ": too large for a JVM method (" + e.getMessage() + ")");
                classes.add(forwardingClass(info, g + 1, d));
            }
        }
        for (int g = 0; g < dispatchGroups.size(); g++) {
            classes.add(dispatchClass(info, dispatchClass + g, dispatchGroups.get(g), candidates));
        }
        for (int g = 0; g < indirectGroups.size(); g++) classes.add(indirectClass(info, indirectClass + g, indirectGroups.get(g)));
        for (int g = 0; g < stubGroups.size(); g++) classes.add(stubClass(info, stubClass + g, stubGroups.get(g)));
        classes.addFirst(entryClass(info)); // last: it lists which functions ended up compiled
        int compiled = 0, huge = 0;
        for (int d = 0; d < defined; d++) {
            if (info.compiled[d]) compiled++;
            if (info.compiled[d] && length[d] > HUGE) huge++;
        }
        return new Output(List.copyOf(classes), compiled, defined, List.copyOf(leftOut), huge, info.splits.size());
    }

    /**
     * Null when function {@code d} translates into a method within the JVM's limits (its code length then in
     * {@code length[d]}); otherwise why not. The trial class holds only this method: in a class shared with
     * other functions its constants may need the 3-byte ldc_w, so a function longer than {@link #ALONE} bytes
     * gets a class of its own (one shorter cannot grow past the limit: at most one byte per instruction).
     */
    private static String fits(ModuleInfo info, int d, FunctionBody body, int[] lengths) {
        FuncType t = info.funcTypes[info.imported + d];
        int[] heights = new int[body.instructions().size()];
        String why = trial(info, d, body, lengths, heights, null);
        if ((why != null || lengths[d] > info.splitAbove) && FunctionCompiler.splittable(info, body)) {
            // too long for the JIT (or for the JVM): outline its regions, if that makes every method fit
            List<Regions.Region> regions = Regions.find(info, body, t, heights);
            int[] split = new int[lengths.length];
            if (!regions.isEmpty() && trial(info, d, body, split, null, regions) == null) {
                info.splits.put(d, regions);
                lengths[d] = split[d];
                return null;
            }
        }
        return why;
    }

    /**
     * One trial translation of function {@code d} into a class of its own (split into {@code regions} unless
     * null): null when every method fits, its longest code length in {@code lengths[d]}; otherwise why not.
     */
    private static String trial(ModuleInfo info, int d, FunctionBody body, int[] lengths, int[] heights, List<Regions.Region> regions) {
        FuncType t = info.funcTypes[info.imported + d];
        byte[] bytes;
        try {
            bytes = CLASS_FILE.build(info.classDesc(999_999), clb -> {
                clb.withMethodBody("f" + d, ModuleInfo.descriptor(t), ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, cb -> {
                    FunctionCompiler fc = new FunctionCompiler(info, d, body, cb, true);
                    if (heights != null) fc.recordingHeights(heights);
                    if (regions != null) fc.splitInto(regions);
                    fc.compile();
                });
                if (regions != null) regionMethods(clb, info, d, body, regions, true);
            });
        } catch (RuntimeException e) {
            String m = String.valueOf(e.getMessage());
            if (m.startsWith("Code length")) return "too large for a JVM method (" + m + ")";
            return "cannot be translated (" + e.getClass().getSimpleName() + ": " + m + ")";
        }
        for (MethodModel m : CLASS_FILE.parse(bytes).methods()) {
            int length = m.findAttribute(java.lang.classfile.Attributes.code()).map(CodeAttribute::codeLength).orElse(0);
            if (length > MAX_CODE) return "too large for a JVM method (" + length + " bytes of bytecode)";
            lengths[d] = Math.max(lengths[d], length);
        }
        return null;
    }

    /** The methods of a split function's regions ({@link Regions#name}). */
    private static void regionMethods(ClassBuilder clb, ModuleInfo info, int d, FunctionBody body, List<Regions.Region> regions, boolean trial) {
        for (int k = 0; k < regions.size(); k++) {
            Regions.Region r = regions.get(k);
            clb.withMethodBody(Regions.name(d, k), Regions.DESCRIPTOR, ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC,
                    cb -> new FunctionCompiler(info, d, body, cb, trial).asRegion(r).compile());
        }
    }

    private static void publicFinal(ClassBuilder clb) {
        clb.withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL | ClassFile.ACC_SUPER);
    }

    private static GeneratedClass functionClass(ModuleInfo info, int number, List<Integer> functions) {
        ClassDesc desc = info.classDesc(number);
        var code = info.module.codeSection();
        byte[] bytes = CLASS_FILE.build(desc, clb -> {
            publicFinal(clb);
            for (int d : functions) {
                FuncType t = info.funcTypes[info.imported + d];
                List<Regions.Region> regions = info.splits.get(d);
                clb.withMethodBody("f" + d, ModuleInfo.descriptor(t), ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC,
                        cb -> new FunctionCompiler(info, d, code.getFunctionBody(d), cb, false).splitInto(regions).compile());
                if (regions != null) regionMethods(clb, info, d, code.getFunctionBody(d), regions, false);
                clb.withMethodBody("i" + d, BRIDGE, ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, cb -> bridge(cb, desc, d, t));
            }
        });
        return new GeneratedClass(desc.packageName() + "." + desc.displayName(), bytes);
    }

    /** {@code long[] i<d>(long[] args, AotContext cx)}: unpacks raw arguments, calls f<d>, packs the results. */
    private static void bridge(CodeBuilder cb, ClassDesc owner, int d, FuncType t) {
        for (int i = 0; i < t.params().size(); i++) {
            cb.aload(0).loadConstant(i).laload();
            fromRaw(cb, t.params().get(i));
        }
        cb.aload(1).invokestatic(owner, "f" + d, ModuleInfo.descriptor(t));
        switch (t.results().size()) {
            case 0 -> cb.iconst_0().newarray(TypeKind.LONG);
            case 1 -> {
                toRaw(cb, t.results().getFirst());
                int v = cb.allocateLocal(TypeKind.LONG);
                cb.lstore(v).iconst_1().newarray(TypeKind.LONG).dup().iconst_0().lload(v).lastore();
            }
            default -> { }
        }
        cb.areturn();
    }

    static void toRaw(CodeBuilder cb, ValType t) {
        switch (t) {
            case I32 -> cb.i2l();
            case F32 -> cb.invokestatic(java.lang.constant.ConstantDescs.CD_Float, "floatToRawIntBits",
                    MethodTypeDesc.of(CD_int, java.lang.constant.ConstantDescs.CD_float)).i2l();
            case F64 -> cb.invokestatic(java.lang.constant.ConstantDescs.CD_Double, "doubleToRawLongBits",
                    MethodTypeDesc.of(java.lang.constant.ConstantDescs.CD_long, java.lang.constant.ConstantDescs.CD_double));
            default -> { }
        }
    }

    static void fromRaw(CodeBuilder cb, ValType t) {
        switch (t) {
            case I32 -> cb.l2i();
            case F32 -> cb.l2i().invokestatic(java.lang.constant.ConstantDescs.CD_Float, "intBitsToFloat",
                    MethodTypeDesc.of(java.lang.constant.ConstantDescs.CD_float, CD_int));
            case F64 -> cb.invokestatic(java.lang.constant.ConstantDescs.CD_Double, "longBitsToDouble",
                    MethodTypeDesc.of(java.lang.constant.ConstantDescs.CD_double, java.lang.constant.ConstantDescs.CD_long));
            default -> { }
        }
    }

    /**
     * Dispatchers {@code d<k>_<chunk>(params..., int definedIndex, AotContext cx)}: a lookupswitch over the
     * compiled functions of one type calling each directly; past {@link #SWITCH_CHUNK} cases the default case
     * continues in the next chunk; the last one traps (the runtime named a function this type does not have).
     */
    private static GeneratedClass dispatchClass(ModuleInfo info, int number, List<FuncType> types, Map<FuncType, List<Integer>> candidates) {
        ClassDesc desc = info.classDesc(number);
        byte[] bytes = CLASS_FILE.build(desc, clb -> {
            publicFinal(clb);
            for (FuncType t : types) {
                String prefix = info.dispatchers.get(t).method().replaceFirst("_0$", "");
                List<Integer> targets = candidates.get(t);
                MethodTypeDesc mt = ModuleInfo.indirectDescriptor(t); // (params..., int definedIndex, cx): the same shape
                int chunks = (targets.size() + SWITCH_CHUNK - 1) / SWITCH_CHUNK;
                for (int c = 0; c < chunks; c++) {
                    List<Integer> part = targets.subList(c * SWITCH_CHUNK, Math.min(targets.size(), (c + 1) * SWITCH_CHUNK));
                    boolean last = c == chunks - 1;
                    String next = prefix + "_" + (c + 1);
                    clb.withMethodBody(prefix + "_" + c, mt, ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, cb -> {
                        int n = t.params().size();
                        int dSlot = cb.parameterSlot(n), cxSlot = cb.parameterSlot(n + 1);
                        var fallback = cb.newLabel();
                        cb.iload(dSlot);
                        List<java.lang.classfile.Label> labels = lookupswitch(cb, part, fallback);
                        for (int i = 0; i < part.size(); i++) {
                            int d = part.get(i);
                            cb.labelBinding(labels.get(i));
                            for (int p = 0; p < n; p++) cb.loadLocal(FunctionCompiler.kind(t.params().get(p)), cb.parameterSlot(p));
                            cb.aload(cxSlot).invokestatic(info.classDesc(info.classOf[d]), "f" + d, ModuleInfo.descriptor(t));
                            returnTyped(cb, t);
                        }
                        cb.labelBinding(fallback);
                        if (last) {
                            cb.iload(dSlot).invokestatic(CD_OPS, "badIndirectTarget", MethodTypeDesc.of(ModuleInfo.CD_TRAP, CD_int)).athrow();
                        } else {
                            for (int p = 0; p < n + 2; p++) {
                                TypeKind kind = p < n ? FunctionCompiler.kind(t.params().get(p)) : p == n ? TypeKind.INT : TypeKind.REFERENCE;
                                cb.loadLocal(kind, cb.parameterSlot(p));
                            }
                            cb.invokestatic(desc, next, mt);
                            returnTyped(cb, t);
                        }
                    });
                }
            }
        });
        return new GeneratedClass(desc.packageName() + "." + desc.displayName(), bytes);
    }

    /**
     * Call stubs {@code c<f>(params..., AotContext cx)}: pack the arguments as raw bits, call function {@code f}
     * through {@code cx.call} (an import, or a function left to the interpreter), unpack a single result.
     */
    private static GeneratedClass stubClass(ModuleInfo info, int number, List<Integer> functions) {
        ClassDesc desc = info.classDesc(number);
        byte[] bytes = CLASS_FILE.build(desc, clb -> {
            publicFinal(clb);
            for (int f : functions) {
                FuncType t = info.funcTypes[f];
                clb.withMethodBody("c" + f, ModuleInfo.descriptor(t), ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, cb -> stub(cb, f, t));
            }
        });
        return new GeneratedClass(desc.packageName() + "." + desc.displayName(), bytes);
    }

    /** A lookupswitch on the int on the stack over {@code keys}; the case labels, in the keys' order. */
    private static List<java.lang.classfile.Label> lookupswitch(CodeBuilder cb, List<Integer> keys, java.lang.classfile.Label fallback) {
        List<SwitchCase> cases = new ArrayList<>();
        List<java.lang.classfile.Label> labels = new ArrayList<>();
        for (int key : keys) {
            var l = cb.newLabel();
            labels.add(l);
            cases.add(SwitchCase.of(key, l));
        }
        cb.lookupswitch(fallback, cases);
        return labels;
    }

    /**
     * call_indirect methods {@code x<type>_<table>(typed params..., int element, AotContext cx)}: resolve the
     * element; a compiled function of this instance goes to the type's dispatcher (arguments as they are), any
     * other target (-1) through {@code cx.callIndirect} with the arguments packed.
     */
    private static GeneratedClass indirectClass(ModuleInfo info, int number, List<Long> pairs) {
        ClassDesc desc = info.classDesc(number);
        byte[] bytes = CLASS_FILE.build(desc, clb -> {
            publicFinal(clb);
            for (long pair : pairs) {
                int typeIndex = (int) (pair >>> 32), table = (int) pair;
                FuncType t = info.types[typeIndex];
                Dispatcher dispatcher = info.dispatchers.get(t);
                clb.withMethodBody(ModuleInfo.indirectName(typeIndex, table), ModuleInfo.indirectDescriptor(t),
                        ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, cb -> {
                    int n = t.params().size();
                    int elem = cb.parameterSlot(n), cx = cb.parameterSlot(n + 1);
                    int d = cb.allocateLocal(TypeKind.INT);
                    cb.aload(cx).loadConstant(table).loadConstant(typeIndex).iload(elem)
                            .invokevirtual(CD_CONTEXT, "resolveIndirect", MethodTypeDesc.of(CD_int, CD_int, CD_int, CD_int)).istore(d);
                    if (dispatcher != null) {
                        var slow = cb.newLabel();
                        cb.iload(d).iflt(slow);
                        for (int p = 0; p < n; p++) cb.loadLocal(FunctionCompiler.kind(t.params().get(p)), cb.parameterSlot(p));
                        cb.iload(d).aload(cx);
                        cb.invokestatic(info.classDesc(dispatcher.classNumber()), dispatcher.method(), ModuleInfo.indirectDescriptor(t));
                        returnTyped(cb, t);
                        cb.labelBinding(slow);
                    }
                    cb.aload(cx).loadConstant(table).loadConstant(typeIndex).iload(elem);
                    packParameters(cb, t);
                    cb.invokevirtual(CD_CONTEXT, "callIndirect", MethodTypeDesc.of(CD_LONG_ARRAY, CD_int, CD_int, CD_int, CD_LONG_ARRAY));
                    returnRaw(cb, t);
                });
            }
        });
        return new GeneratedClass(desc.packageName() + "." + desc.displayName(), bytes);
    }

    /** Calls function {@code f} through {@code cx.call} with the method's parameters; returns its results. */
    private static void stub(CodeBuilder cb, int f, FuncType t) {
        cb.aload(cb.parameterSlot(t.params().size())).loadConstant(f);
        packParameters(cb, t);
        cb.invokevirtual(CD_CONTEXT, "call", MethodTypeDesc.of(CD_LONG_ARRAY, CD_int, CD_LONG_ARRAY));
        returnRaw(cb, t);
    }

    /** The class of a function left to the interpreter at the last step: {@code f<d>} calls it through the context. */
    private static GeneratedClass forwardingClass(ModuleInfo info, int number, int d) {
        ClassDesc desc = info.classDesc(number);
        FuncType t = info.funcTypes[info.imported + d];
        byte[] bytes = CLASS_FILE.build(desc, clb -> {
            publicFinal(clb);
            clb.withMethodBody("f" + d, ModuleInfo.descriptor(t), ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC,
                    cb -> stub(cb, info.imported + d, t));
        });
        return new GeneratedClass(desc.packageName() + "." + desc.displayName(), bytes);
    }

    /** A new long[] of the method's parameters as raw bits. */
    private static void packParameters(CodeBuilder cb, FuncType t) {
        int n = t.params().size();
        cb.loadConstant(n).newarray(TypeKind.LONG);
        for (int i = 0; i < n; i++) {
            cb.dup().loadConstant(i).loadLocal(FunctionCompiler.kind(t.params().get(i)), cb.parameterSlot(i));
            toRaw(cb, t.params().get(i));
            cb.lastore();
        }
    }

    /** Returns the raw results (long[] on the stack) as the method's typed result. */
    private static void returnRaw(CodeBuilder cb, FuncType t) {
        switch (t.results().size()) {
            case 0 -> cb.pop().return_();
            case 1 -> {
                cb.iconst_0().laload();
                fromRaw(cb, t.results().getFirst());
                cb.return_(FunctionCompiler.kind(t.results().getFirst()));
            }
            default -> cb.areturn();
        }
    }

    private static void returnTyped(CodeBuilder cb, FuncType t) {
        switch (t.results().size()) {
            case 0 -> cb.return_();
            case 1 -> cb.return_(FunctionCompiler.kind(t.results().getFirst()));
            default -> cb.areturn();
        }
    }

    /**
     * The entry class: CompiledModule over constant strings (one char per defined function: its compiled flag,
     * its type's number in the type list) and a chain of static invoke methods switching to the bridges.
     */
    private static GeneratedClass entryClass(ModuleInfo info) {
        ClassDesc desc = info.classDesc(0);
        int defined = info.compiled.length;
        List<String> typeNames = new ArrayList<>();
        Map<String, Integer> typeNumbers = new LinkedHashMap<>();
        StringBuilder idx = new StringBuilder(), flags = new StringBuilder();
        for (int d = 0; d < defined; d++) {
            String name = info.funcTypes[info.imported + d].toString();
            Integer n = typeNumbers.get(name);
            if (n == null) {
                n = typeNames.size();
                typeNames.add(name);
                typeNumbers.put(name, n);
            }
            idx.append((char) (int) n);
            flags.append(info.compiled[d] ? '1' : '0');
        }
        ClassDesc stringArray = CD_String.arrayType();
        List<Integer> compiled = new ArrayList<>();
        for (int d = 0; d < defined; d++) if (info.compiled[d]) compiled.add(d);
        int chunks = Math.max(1, (compiled.size() + SWITCH_CHUNK - 1) / SWITCH_CHUNK);
        byte[] bytes = CLASS_FILE.build(desc, clb -> {
            publicFinal(clb);
            clb.withInterfaceSymbols(CD_COMPILED_MODULE);
            int fieldFlags = ClassFile.ACC_PRIVATE | ClassFile.ACC_STATIC | ClassFile.ACC_FINAL;
            clb.withField("IDX", CD_String, fieldFlags);
            clb.withField("FLAGS", CD_String, fieldFlags);
            clb.withField("TYPES", stringArray, fieldFlags);
            clb.withMethodBody("<clinit>", MethodTypeDesc.of(CD_void), ClassFile.ACC_STATIC, cb -> {
                bigString(cb, idx.toString());
                cb.putstatic(desc, "IDX", CD_String);
                bigString(cb, flags.toString());
                cb.putstatic(desc, "FLAGS", CD_String);
                cb.loadConstant(typeNames.size()).anewarray(CD_String);
                for (int i = 0; i < typeNames.size(); i++) cb.dup().loadConstant(i).ldc(typeNames.get(i)).aastore();
                cb.putstatic(desc, "TYPES", stringArray);
                cb.return_();
            });
            clb.withMethodBody("<init>", MethodTypeDesc.of(CD_void), ClassFile.ACC_PUBLIC,
                    cb -> cb.aload(0).invokespecial(CD_Object, "<init>", MethodTypeDesc.of(CD_void)).return_());
            clb.withMethodBody("definedFunctions", MethodTypeDesc.of(CD_int), ClassFile.ACC_PUBLIC,
                    cb -> cb.loadConstant(defined).ireturn());
            if (info.deopt)
                clb.withMethodBody("deoptimizable", MethodTypeDesc.of(CD_boolean), ClassFile.ACC_PUBLIC,
                        cb -> cb.iconst_1().ireturn());
            clb.withMethodBody("functionType", MethodTypeDesc.of(CD_String, CD_int), ClassFile.ACC_PUBLIC,
                    cb -> cb.getstatic(desc, "TYPES", stringArray).getstatic(desc, "IDX", CD_String).iload(1)
                            .invokevirtual(CD_String, "charAt", MethodTypeDesc.of(CD_char, CD_int)).aaload().areturn());
            clb.withMethodBody("compiled", MethodTypeDesc.of(CD_boolean, CD_int), ClassFile.ACC_PUBLIC, cb -> {
                var no = cb.newLabel();
                cb.getstatic(desc, "FLAGS", CD_String).iload(1).invokevirtual(CD_String, "charAt", MethodTypeDesc.of(CD_char, CD_int))
                        .loadConstant((int) '1').if_icmpne(no).iconst_1().ireturn().labelBinding(no).iconst_0().ireturn();
            });
            clb.withMethodBody("invoke", MethodTypeDesc.of(CD_LONG_ARRAY, CD_int, CD_LONG_ARRAY, CD_CONTEXT), ClassFile.ACC_PUBLIC,
                    cb -> cb.iload(1).aload(2).aload(3).invokestatic(desc, "invoke0", INVOKE_STATIC).areturn());
            for (int c = 0; c < chunks; c++) {
                List<Integer> part = compiled.subList(Math.min(compiled.size(), c * SWITCH_CHUNK), Math.min(compiled.size(), (c + 1) * SWITCH_CHUNK));
                boolean last = c == chunks - 1;
                String next = "invoke" + (c + 1);
                clb.withMethodBody("invoke" + c, INVOKE_STATIC, ClassFile.ACC_PRIVATE | ClassFile.ACC_STATIC, cb -> {
                    var fallback = cb.newLabel();
                    cb.iload(0);
                    List<java.lang.classfile.Label> labels = lookupswitch(cb, part, fallback);
                    for (int i = 0; i < part.size(); i++) {
                        int d = part.get(i);
                        cb.labelBinding(labels.get(i));
                        cb.aload(1).aload(2).invokestatic(info.classDesc(info.classOf[d]), "i" + d, BRIDGE).areturn();
                    }
                    cb.labelBinding(fallback);
                    if (last) cb.iload(0).invokestatic(CD_OPS, "badIndirectTarget", MethodTypeDesc.of(ModuleInfo.CD_TRAP, CD_int)).athrow();
                    else cb.iload(0).aload(1).aload(2).invokestatic(desc, next, INVOKE_STATIC).areturn();
                });
            }
        });
        return new GeneratedClass(desc.packageName() + "." + desc.displayName(), bytes);
    }

    /** Pushes a string of any length: constants of at most {@link #STRING_CHUNK} chars joined with String.concat. */
    private static void bigString(CodeBuilder cb, String s) {
        cb.ldc(s.substring(0, Math.min(s.length(), STRING_CHUNK)));
        for (int i = STRING_CHUNK; i < s.length(); i += STRING_CHUNK) {
            cb.ldc(s.substring(i, Math.min(s.length(), i + STRING_CHUNK)));
            cb.invokevirtual(CD_String, "concat", MethodTypeDesc.of(CD_String, CD_String));
        }
    }
}
