package dev.nojit.cli;

import dev.nojit.cli.CodeGeneratorScan.Finding;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.lang.constant.ConstantDescs.CD_Class;
import static java.lang.constant.ConstantDescs.CD_String;
import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_byte;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_void;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run-time class path carries no code generator at all: not Chicory's compiler or its
 * interpreter, not ASM, not a bytecode library, and nothing on it calls the JDK's
 * class-defining APIs. The class path and dependency list are the ones Maven resolved for
 * this module (maven-dependency-plugin writes them to target/ before the tests run).
 */
class NoCodeGeneratorOnClassPathTest {
    /**
     * References that are allowed, each for a stated reason, matched exactly (the class and the
     * finding's text). Every one must still match something, so a stale one fails the test.
     * Each was decided from the bytecode ({@code javap -c}) of the version on the class path:
     *
     * <ul>
     *   <li>picocli 4.7.7: {@code CommandLine$Model$CommandUserObject.getInstance} calls
     *       {@code Proxy.newProxyInstance} only when its factory could not instantiate the type
     *       and {@code Class.isInterface()} holds (picocli's annotated-interface commands, options
     *       and mixins). nojit declares no such interface ({@link #nojitDeclaresNoPicocliInterface}
     *       checks that), so the call is never reached.</li>
     *   <li>Jackson databind 3.3.0: {@code SubTypeValidator} puts the string
     *       {@code "com.sun.org.apache.bcel.internal.util.ClassLoader"} into its set of class names
     *       it refuses to deserialize (a deny-list of known gadgets): a name it compares against,
     *       never loads.</li>
     *   <li>Jackson databind 3.3.0: {@code ClassUtil.isProxyType} tests
     *       {@code Class.getName().startsWith("net.sf.cglib.proxy.")}: a name comparison, so that
     *       Jackson can skip proxies; it never uses cglib.</li>
     *   <li>nojit's own {@code AotClassLoader} (nojit-vkernel) calls its inherited {@code defineClass}: the one
     *       place the run time defines classes, for the AOT engine mode. Its only input is class blobs of the
     *       verified bundle, read through the hash-checked {@code readBlob} (the bytes whose SHA-256 the signed
     *       manifest lists), in package {@code dev.nojit.aot.generated} only; it generates nothing. The
     *       translator that made them (nojit-aot) is a build-time module, banned from this class path
     *       ({@link CodeGeneratorScan#BANNED_ARTIFACTS}).</li>
     * </ul>
     */
    record Allowed(String className, String reference, String reason) {
        boolean covers(Finding f) {
            return f.className().equals(className) && f.reference().equals(reference);
        }
    }

    static final List<Allowed> ALLOWED = List.of(
            new Allowed("picocli/CommandLine$Model$CommandUserObject", "calls java/lang/reflect/Proxy.newProxyInstance",
                    "reached only for interface-typed commands, which nojit does not declare"),
            new Allowed("tools/jackson/databind/jsontype/impl/SubTypeValidator",
                    "names org/apache/bcel/ in \"com.sun.org.apache.bcel.internal.util.ClassLoader\"",
                    "a deny-listed class name for polymorphic deserialization"),
            new Allowed("tools/jackson/databind/util/ClassUtil", "names net/sf/cglib/ in \"net.sf.cglib.proxy.\"",
                    "a class-name prefix compared against, to recognize proxies"),
            new Allowed("dev/nojit/vkernel/process/AotClassLoader", "calls dev/nojit/vkernel/process/AotClassLoader.defineClass",
                    "defines AOT classes only from the verified bundle's hash-checked class blobs, package dev.nojit.aot.generated only"));

    /** "group:artifact:type[:classifier]:version:scope", optionally followed by " -- module ...". */
    private static final Pattern DEPENDENCY = Pattern.compile("^\\s+([^:\\s]+):([^:\\s]+):([^:\\s]+)(?::([^:\\s]+))?:([^:\\s]+):(compile|runtime)\\b.*$");

    record Dependency(String groupId, String artifactId, String version) {
        String coordinates() {
            return groupId + ":" + artifactId;
        }
    }

    @Test
    void noBannedArtifactIsAResolvedRuntimeDependency() throws IOException {
        List<Dependency> deps = runtimeDependencies();
        List<String> banned = new ArrayList<>();
        for (Dependency d : deps) {
            for (Pattern p : CodeGeneratorScan.BANNED_ARTIFACTS) {
                if (p.matcher(d.coordinates()).matches()) banned.add(d.coordinates() + ":" + d.version() + " (matches " + p + ")");
            }
        }
        assertThat(banned).as("code generators on the run-time class path").isEmpty();
        assertThat(deps).extracting(Dependency::coordinates)
                .as("the list was read (nojit's own modules and Chicory's parser are on it)")
                .contains("dev.nojit:nojit-bundle", "dev.nojit:nojit-engine", "com.dylibso.chicory:wasm", "info.picocli:picocli");
        // One class-path entry per dependency: the two files describe the same resolution.
        assertThat(runtimeClasspath()).hasSameSizeAs(deps);
    }

    @Test
    void noClassOnTheRuntimeClassPathReferencesAClassDefiningApi() {
        List<Path> entries = new ArrayList<>(runtimeClasspath());
        entries.add(Path.of(property("nojit.classes")));
        List<Finding> findings = new ArrayList<>();
        int[] classes = {0};
        for (Path entry : entries) {
            CodeGeneratorScan.forEachClass(entry, (name, bytes) -> {
                classes[0]++;
                findings.addAll(CodeGeneratorScan.scanClass(entry.getFileName().toString(), bytes));
            });
        }
        assertThat(classes[0]).as("class files scanned").isGreaterThan(1000);
        assertNoFindingsBeyondTheAllowed(findings);
    }

    @Test
    void nojitDeclaresNoPicocliInterface() {
        List<String> interfaces = new ArrayList<>();
        int[] classes = {0};
        CodeGeneratorScan.forEachClass(Path.of(property("nojit.classes")), (name, bytes) -> {
            classes[0]++;
            if (CodeGeneratorScan.isAnnotatedPicocliInterface(bytes)) interfaces.add(name);
        });
        assertThat(classes[0]).as("nojit-cli classes scanned").isGreaterThan(5);
        assertThat(interfaces).as("interfaces that picocli would implement with a dynamic proxy").isEmpty();
    }

    @Test
    void theScanFindsEachKindOfReference() {
        // Class files made here (parsed, never loaded), each holding one kind of banned reference.
        ClassDesc loader = ClassDesc.of("test.GuestLoader");
        byte[] definer = ClassFile.of().build(loader, cb -> cb.withSuperclass(ClassDesc.of("java.lang.ClassLoader"))
                .withMethodBody("load", MethodTypeDesc.of(CD_Class, CD_byte.arrayType()), 0, code -> code
                        .aload(0).aconst_null().aload(1).iconst_0().aload(1).arraylength()
                        // this.defineClass(...): the owner is the loader itself, not java.lang.ClassLoader
                        .invokevirtual(loader, "defineClass", MethodTypeDesc.of(CD_Class, CD_String, CD_byte.arrayType(), CD_int, CD_int))
                        .areturn()));
        byte[] hidden = ClassFile.of().build(ClassDesc.of("test.Hidden"), cb -> cb
                .withMethodBody("run", MethodTypeDesc.of(CD_void, ClassDesc.of("java.lang.invoke.MethodHandles$Lookup"), CD_byte.arrayType()),
                        ClassFile.ACC_STATIC, code -> code
                        .aload(0).aload(1).iconst_0().iconst_0().anewarray(ClassDesc.of("java.lang.invoke.MethodHandles$Lookup$ClassOption"))
                        .invokevirtual(ClassDesc.of("java.lang.invoke.MethodHandles$Lookup"), "defineHiddenClass",
                                MethodTypeDesc.of(ClassDesc.of("java.lang.invoke.MethodHandles$Lookup"), CD_byte.arrayType(), CD_boolean,
                                        ClassDesc.of("java.lang.invoke.MethodHandles$Lookup$ClassOption").arrayType()))
                        .pop().return_()));
        byte[] asmField = ClassFile.of().build(ClassDesc.of("test.UsesAsm"), cb -> cb
                .withField("writer", ClassDesc.of("org.objectweb.asm.ClassWriter"), 0));
        byte[] reflective = ClassFile.of().build(ClassDesc.of("test.Reflective"), cb -> cb
                .withMethodBody("name", MethodTypeDesc.of(CD_String), ClassFile.ACC_STATIC, code -> code
                        .ldc("net.bytebuddy.ByteBuddy").areturn()));
        byte[] clean = ClassFile.of().build(ClassDesc.of("test.Clean"), cb -> cb
                .withMethodBody("name", MethodTypeDesc.of(CD_String), ClassFile.ACC_STATIC, code -> code
                        .ldc("defineClass is only a word here").areturn()));

        assertThat(CodeGeneratorScan.scanClass("t", definer)).extracting(Finding::reference).containsExactly("calls test/GuestLoader.defineClass");
        assertThat(CodeGeneratorScan.scanClass("t", hidden)).extracting(Finding::reference)
                .containsExactly("calls java/lang/invoke/MethodHandles$Lookup.defineHiddenClass");
        assertThat(CodeGeneratorScan.scanClass("t", asmField)).extracting(Finding::reference)
                .containsExactly("names org/objectweb/asm/ in \"Lorg/objectweb/asm/ClassWriter;\"");
        assertThat(CodeGeneratorScan.scanClass("t", reflective)).extracting(Finding::reference)
                .containsExactly("names net/bytebuddy/ in \"net.bytebuddy.ByteBuddy\"");
        assertThat(CodeGeneratorScan.scanClass("t", clean)).isEmpty();
        // the AotClassLoader entry covers that one class's own defineClass and nothing else
        List<Finding> other = CodeGeneratorScan.scanClass("t", definer);
        assertThat(ALLOWED.stream().anyMatch(a -> other.stream().anyMatch(a::covers))).isFalse();
        Finding elsewhere = new Finding("t", "dev/nojit/vkernel/process/AotClassLoader", "calls java/lang/invoke/MethodHandles$Lookup.defineHiddenClass");
        assertThat(ALLOWED.stream().anyMatch(a -> a.covers(elsewhere))).isFalse();
    }

    /** Findings no {@link #ALLOWED} entry covers fail; so does an entry that covers nothing. */
    static void assertNoFindingsBeyondTheAllowed(List<Finding> findings) {
        Set<Allowed> used = new HashSet<>();
        List<Finding> uncovered = new ArrayList<>();
        for (Finding f : findings) {
            Allowed a = ALLOWED.stream().filter(x -> x.covers(f)).findFirst().orElse(null);
            if (a == null) uncovered.add(f);
            else used.add(a);
        }
        assertThat(uncovered).as("references to code generators or class-defining APIs").isEmpty();
        assertThat(used).as("allowed references still needed (remove one that matches nothing)").containsExactlyInAnyOrderElementsOf(ALLOWED);
    }

    static List<Dependency> runtimeDependencies() throws IOException {
        List<Dependency> deps = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(property("nojit.runtimeDependencies")))) {
            Matcher m = DEPENDENCY.matcher(line);
            if (m.matches()) deps.add(new Dependency(m.group(1), m.group(2), m.group(5)));
        }
        return deps;
    }

    static List<Path> runtimeClasspath() {
        try {
            String text = Files.readString(Path.of(property("nojit.runtimeClasspath"))).strip();
            List<Path> entries = new ArrayList<>();
            for (String e : text.split(Pattern.quote(File.pathSeparator))) {
                if (!e.isBlank()) entries.add(Path.of(e));
            }
            for (Path p : entries) assertThat(p).as("class-path entry").exists();
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String property(String name) {
        String value = System.getProperty(name);
        assertThat(value).as("system property %s (set by nojit-cli's pom for surefire)", name).isNotBlank();
        return value;
    }
}
