package dev.nojit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.MemberRefEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What "no code generator" means for nojit's run-time class path, and the scan that checks
 * class files against it. The scan reads each class's constant pool with the JDK's class-file
 * API: every name a class uses (classes, descriptors, signatures, string constants) is a UTF-8
 * entry there, and every method it calls is a member reference there, so nothing a class can
 * reach without reflection on a computed string escapes it.
 */
final class CodeGeneratorScan {
    private CodeGeneratorScan() {}

    /**
     * Artifacts that generate or compile code, or embed something that does. Chicory is allowed
     * only its parser and validator ({@code wasm}): its interpreter ({@code runtime}) is a
     * test-only oracle and everything else of it compiles WebAssembly to JVM bytecode or needs
     * the interpreter.
     */
    static final List<Pattern> BANNED_ARTIFACTS = Stream.of(
            "com\\.dylibso\\.chicory:(?!wasm$).*",     // runtime, compiler, aot*, build-time-compiler, wasi, ...
            "org\\.ow2\\.asm:.*", "asm:.*",             // ASM
            "net\\.bytebuddy:.*",                       // Byte Buddy
            "org\\.javassist:.*", "javassist:.*",       // Javassist
            "cglib:.*",                                 // cglib
            "org\\.apache\\.bcel:.*",                   // BCEL
            "com\\.github\\.javaparser:.*",             // JavaParser (source to be compiled)
            "org\\.codehaus\\.janino:.*",               // Janino, an embedded Java compiler
            "org\\.eclipse\\.jdt:.*",                   // ECJ, the Eclipse Java compiler
            "org\\.graalvm\\..*:.*",                    // Truffle and Graal: compilers
            "org\\.codehaus\\.groovy:.*", "org\\.apache\\.groovy:.*", // Groovy compiles scripts to bytecode
            "org\\.jetbrains\\.kotlin:kotlin-(compiler|scripting).*",
            "org\\.mvel:.*",                            // MVEL compiles expressions
            "org\\.openjdk\\.jmh:.*",                   // JMH generates benchmark code
            "dev\\.nojit:nojit-aot")                    // nojit's own AOT translator: build time only
            .map(Pattern::compile).toList();

    /**
     * Names a class must not use: packages of code generators and compilers (the JDK's own
     * class-file API and its internal ASM copy included), the compiler and shell APIs, and
     * instrumentation (which redefines classes). Matched anywhere in a UTF-8 constant, in
     * internal ({@code a/b/C}) and binary ({@code a.b.C}) form.
     */
    static final List<String> BANNED_NAMES = List.of(
            "java/lang/classfile/", "jdk/internal/classfile/", "jdk/internal/org/objectweb/asm/",
            "org/objectweb/asm/", "net/bytebuddy/", "javassist/", "net/sf/cglib/", "org/springframework/cglib/",
            "org/apache/bcel/", "org/codehaus/janino/", "org/codehaus/commons/compiler/", "com/github/javaparser/",
            "javax/tools/", "com/sun/tools/javac/", "jdk/jshell/", "java/lang/instrument/",
            "com/dylibso/chicory/compiler/", "com/dylibso/chicory/experimental/", "com/dylibso/chicory/runtime/");

    /** Methods that define a class from bytes (any owner: a class loader subclass calls its own inherited defineClass). */
    static final Set<String> CLASS_DEFINING_METHODS = Set.of(
            "defineClass", "defineClass0", "defineClass1", "defineClass2",        // ClassLoader, SecureClassLoader, Lookup, Unsafe
            "defineHiddenClass", "defineHiddenClassWithClassData",               // MethodHandles.Lookup
            "defineAnonymousClass",                                              // the old Unsafe
            "newProxyInstance", "getProxyClass",                                 // java.lang.reflect.Proxy spins a class
            "asInterfaceInstance");                                              // MethodHandleProxies spins a hidden class

    /** One banned reference: the class-path entry, the class that holds it, and what it names. */
    record Finding(String source, String className, String reference) {
        @Override
        public String toString() {
            return source + ": " + className + " -> " + reference;
        }
    }

    /** Calls {@code action} with the path and bytes of every {@code .class} file in a jar or under a directory. */
    static void forEachClass(Path entry, BiConsumer<String, byte[]> action) {
        try {
            if (Files.isDirectory(entry)) {
                List<Path> files;
                try (Stream<Path> s = Files.walk(entry)) {
                    files = s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
                }
                for (Path f : files) action.accept(entry.relativize(f).toString(), Files.readAllBytes(f));
            } else {
                try (JarFile jar = new JarFile(entry.toFile())) {
                    for (JarEntry e : Collections.list(jar.entries())) {
                        if (e.isDirectory() || !e.getName().endsWith(".class")) continue;
                        try (InputStream in = jar.getInputStream(e)) {
                            action.accept(e.getName(), in.readAllBytes());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(entry.toString(), e);
        }
    }

    static List<Finding> scanClass(String source, byte[] classFile) {
        ClassModel model = ClassFile.of().parse(classFile);
        String className = model.thisClass().asInternalName();
        List<Finding> findings = new ArrayList<>();
        for (PoolEntry entry : model.constantPool()) {
            switch (entry) {
                case Utf8Entry utf8 -> {
                    String text = utf8.stringValue();
                    for (String name : BANNED_NAMES) {
                        if (text.contains(name) || text.contains(name.replace('/', '.'))) {
                            findings.add(new Finding(source, className, "names " + name + " in \"" + text + "\""));
                        }
                    }
                }
                case MemberRefEntry ref when CLASS_DEFINING_METHODS.contains(ref.name().stringValue()) ->
                        findings.add(new Finding(source, className, "calls " + ref.owner().asInternalName() + "." + ref.name().stringValue()));
                default -> { }
            }
        }
        return findings;
    }

    /** True if the class is an interface that carries a picocli annotation on itself or on a method. */
    static boolean isAnnotatedPicocliInterface(byte[] classFile) {
        ClassModel model = ClassFile.of().parse(classFile);
        if ((model.flags().flagsMask() & ClassFile.ACC_INTERFACE) == 0 || (model.flags().flagsMask() & ClassFile.ACC_ANNOTATION) != 0) {
            return false;
        }
        for (PoolEntry entry : model.constantPool()) {
            if (entry instanceof Utf8Entry utf8 && utf8.stringValue().startsWith("Lpicocli/CommandLine$")) return true;
        }
        return false;
    }
}
