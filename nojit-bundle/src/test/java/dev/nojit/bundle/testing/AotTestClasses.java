package dev.nojit.bundle.testing;

import dev.nojit.bundle.AotClassBlob;
import dev.nojit.bundle.AotTranslator;
import dev.nojit.bundle.Sha256;

import java.lang.classfile.ClassFile;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.List;

import static java.lang.constant.ConstantDescs.CD_String;
import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;

/**
 * Class files shaped like the AOT translator's, made in test code with the JDK's class-file API (the
 * translator itself is a separate build-time module): an entry class implementing
 * {@code dev.nojit.engine.CompiledModule} whose {@code definedFunctions()} answers a given number and whose
 * {@code compiled(i)} is false for every function (all left to the interpreter), plus helper classes. Also
 * a class that is a well-formed class file but fails the JVM's bytecode verifier.
 */
public final class AotTestClasses {
    private static final ClassDesc COMPILED_MODULE = ClassDesc.of("dev.nojit.engine.CompiledModule");
    private static final ClassDesc AOT_CONTEXT = ClassDesc.of("dev.nojit.engine.AotContext");

    private AotTestClasses() {}

    /** The binary name of class {@code n} of the module with these bytes. */
    public static String name(byte[] wasm, int n) {
        return AotClassBlob.PACKAGE + ".M" + Sha256.hex(wasm).substring(0, 16) + "_" + n;
    }

    /** An entry class: a public CompiledModule with {@code definedFunctions} functions, none compiled. */
    public static byte[] entry(String name, int definedFunctions) {
        return ClassFile.of().build(ClassDesc.of(name), cb -> cb
                .withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL | ClassFile.ACC_SUPER)
                .withInterfaceSymbols(COMPILED_MODULE)
                .withMethodBody(ConstantDescs.INIT_NAME, ConstantDescs.MTD_void, ClassFile.ACC_PUBLIC, code -> code
                        .aload(0).invokespecial(ConstantDescs.CD_Object, ConstantDescs.INIT_NAME, ConstantDescs.MTD_void).return_())
                .withMethodBody("definedFunctions", MethodTypeDesc.of(CD_int), ClassFile.ACC_PUBLIC, code -> code
                        .ldc(definedFunctions).ireturn())
                .withMethodBody("functionType", MethodTypeDesc.of(CD_String, CD_int), ClassFile.ACC_PUBLIC, code -> code
                        .ldc("unused").areturn())
                .withMethodBody("compiled", MethodTypeDesc.of(CD_boolean, CD_int), ClassFile.ACC_PUBLIC, code -> code
                        .iconst_0().ireturn())
                .withMethodBody("invoke", MethodTypeDesc.of(CD_long.arrayType(), CD_int, CD_long.arrayType(), AOT_CONTEXT),
                        ClassFile.ACC_PUBLIC, code -> code
                        .new_(ClassDesc.of("java.lang.IllegalStateException")).dup()
                        .invokespecial(ClassDesc.of("java.lang.IllegalStateException"), ConstantDescs.INIT_NAME, ConstantDescs.MTD_void)
                        .athrow()));
    }

    /** A helper class with one static method returning {@code value}. */
    public static byte[] helper(String name, int value) {
        return ClassFile.of().build(ClassDesc.of(name), cb -> cb
                .withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL | ClassFile.ACC_SUPER)
                .withMethodBody("value", MethodTypeDesc.of(CD_int), ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, code -> code
                        .ldc(value).ireturn()));
    }

    /**
     * A well-formed class file the JVM's verifier refuses: its static method returns the int 0 as an Object
     * (built without stack maps, so the class-file API does not type-check it first).
     */
    public static byte[] unverifiable(String name) {
        return ClassFile.of(ClassFile.StackMapsOption.DROP_STACK_MAPS).build(ClassDesc.of(name), cb -> cb
                .withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL | ClassFile.ACC_SUPER)
                .withMethodBody("broken", MethodTypeDesc.of(ConstantDescs.CD_Object), ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, code -> code
                        .iconst_0().areturn()));
    }

    /** A class whose static method {@code run} loads {@code constant} with ldc and drops it (a class literal, a method type...). */
    public static byte[] loading(String name, java.lang.constant.ConstantDesc constant) {
        return ClassFile.of().build(ClassDesc.of(name), cb -> cb
                .withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL | ClassFile.ACC_SUPER)
                .withMethodBody("run", ConstantDescs.MTD_void, ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, code -> code
                        .ldc(constant).pop().return_()));
    }

    /** A class whose static method {@code run} calls the static no-argument method {@code owner.method()}. */
    public static byte[] calling(String name, String owner, String method) {
        return ClassFile.of().build(ClassDesc.of(name), cb -> cb
                .withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL | ClassFile.ACC_SUPER)
                .withMethodBody("run", ConstantDescs.MTD_void, ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, code -> code
                        .invokestatic(ClassDesc.of(owner), method, ConstantDescs.MTD_void).return_()));
    }

    /** A translator that gives every module an entry class (with its real function count) and {@code helpers} helper classes. */
    public static AotTranslator translator(int definedFunctions, int helpers) {
        return (path, wasm, personalities) -> {
            List<AotTranslator.GeneratedClass> classes = new ArrayList<>();
            classes.add(new AotTranslator.GeneratedClass(name(wasm, 0), entry(name(wasm, 0), definedFunctions)));
            for (int i = 1; i <= helpers; i++) classes.add(new AotTranslator.GeneratedClass(name(wasm, i), helper(name(wasm, i), i)));
            return new AotTranslator.Translation(classes, "aot: test classes (" + (1 + helpers) + ")");
        };
    }
}
