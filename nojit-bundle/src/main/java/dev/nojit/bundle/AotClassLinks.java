package dev.nojit.bundle;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a generated class may link against, checked on its constant pool before it is signed, verified or
 * defined: defense in depth, so that even a class signed by the publisher's key can only compute and call the
 * engine's AOT interface, never reach the rest of nojit, the host or the JDK's reflection.
 *
 * <ul>
 *   <li>every class it names (a {@code CONSTANT_Class}: the owner of every field and method it uses, its super
 *       class and interfaces, every {@code new}, cast, {@code instanceof} and class literal) is a generated class of
 *       the same module, one of {@link #ENGINE} (the AOT interface of {@code dev.nojit.engine}), one of {@link #JDK}
 *       (numbers, strings, the exceptions), or an array of those or of a primitive type;</li>
 *   <li>no method handle, method type, dynamic constant or {@code invokedynamic} (constant-pool tags 15 to 18), no
 *       module or package constant (19, 20): generated code uses none (AOT-DESIGN).</li>
 * </ul>
 *
 * The class file is read only as far as its constant pool and {@code this_class}, every length checked; what the
 * JVM's verifier checks (the code) is left to it, when the vkernel defines the class.
 */
public final class AotClassLinks {
    /** The engine's AOT interface, as generated code uses it. */
    public static final Set<String> ENGINE = Set.of("dev/nojit/engine/CompiledModule", "dev/nojit/engine/AotContext",
            "dev/nojit/engine/AotOps", "dev/nojit/engine/AotFrame", "dev/nojit/engine/AotResume");
    /** The JDK classes generated code may name: arithmetic, strings, exceptions. No System, Class, Thread or reflection. */
    public static final Set<String> JDK = Set.of("java/lang/Object", "java/lang/String", "java/lang/Math", "java/lang/StrictMath",
            "java/lang/Integer", "java/lang/Long", "java/lang/Float", "java/lang/Double", "java/lang/Short", "java/lang/Byte",
            "java/lang/Character", "java/lang/Boolean", "java/lang/Number", "java/lang/Throwable", "java/lang/Exception",
            "java/lang/RuntimeException", "java/lang/Error", "java/lang/StackOverflowError", "java/lang/ArithmeticException",
            "java/lang/IllegalStateException", "java/lang/IllegalArgumentException", "java/lang/IndexOutOfBoundsException",
            "java/lang/ArrayIndexOutOfBoundsException", "java/lang/NullPointerException", "java/lang/ClassCastException",
            "java/util/Arrays");
    private static final int CLASS_MAGIC = 0xCAFEBABE;

    private AotClassLinks() {}

    /**
     * Checks {@code classFile}, which must declare {@code className} (binary name) of the module whose SHA-256 starts
     * with the 16 hex digits in that name; returns the generated classes it names (binary names, itself excluded),
     * which must all be classes of the same executable.
     */
    public static Set<String> check(String className, byte[] classFile) throws BundleException {
        String self = className.replace('.', '/');
        String generatedPrefix = self.substring(0, self.lastIndexOf('_') + 1); // dev/nojit/aot/generated/M<16 hex>_
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
            if (in.readInt() != CLASS_MAGIC) throw refused(className, "is not a class file");
            in.readUnsignedShort(); // minor
            in.readUnsignedShort(); // major: the JVM refuses one it does not know
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            int[] classNames = new int[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 3, 4 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        i++; // a long or double takes two entries
                    }
                    case 7 -> classNames[i] = in.readUnsignedShort();
                    case 8, 16 -> {
                        if (tag == 16) throw refused(className, "holds a method type constant (no method handles in generated code)");
                        in.readUnsignedShort();
                    }
                    case 9, 10, 11, 12 -> in.readInt();
                    case 15 -> throw refused(className, "holds a method handle constant (no method handles in generated code)");
                    case 17, 18 -> throw refused(className, "holds a dynamic constant or invokedynamic (none in generated code)");
                    case 19, 20 -> throw refused(className, "holds a module or package constant");
                    default -> throw refused(className, "has an unknown constant-pool tag " + tag + " at entry " + i);
                }
            }
            in.readUnsignedShort(); // access flags
            int thisClass = in.readUnsignedShort();
            if (thisClass <= 0 || thisClass >= count || classNames[thisClass] == 0 || !self.equals(name(utf8, classNames[thisClass], className))) {
                throw refused(className, "declares another class than its blob's header names");
            }
            Set<String> generated = new TreeSet<>();
            for (int i = 1; i < count; i++) {
                if (classNames[i] == 0 || i == thisClass) continue;
                String named = name(utf8, classNames[i], className);
                String element = named.replaceFirst("^\\[+", "");
                if (named.startsWith("[")) {
                    if (element.length() == 1 && "ZBCSIJFD".contains(element)) continue;
                    if (!element.startsWith("L") || !element.endsWith(";")) throw refused(className, "names the array type '" + AotClassBlob.printable(named) + "'");
                    element = element.substring(1, element.length() - 1);
                }
                if (ENGINE.contains(element) || JDK.contains(element)) continue;
                if (element.startsWith(generatedPrefix) && AotClassBlob.isClassNameFor(element.replace('/', '.'),
                        className.substring(className.lastIndexOf(".M") + 2, className.lastIndexOf(".M") + 18))) {
                    if (!element.equals(self)) generated.add(element.replace('/', '.'));
                    continue;
                }
                throw refused(className, "names " + AotClassBlob.printable(element) + ", which generated code may not use");
            }
            return generated;
        } catch (IOException | RuntimeException e) {
            throw refused(className, "is not a well-formed class file (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String name(String[] utf8, int index, String className) throws BundleException {
        if (index <= 0 || index >= utf8.length || utf8[index] == null) throw refused(className, "has a class entry without a name");
        return utf8[index];
    }

    private static BundleException refused(String className, String why) {
        return new BundleException("AOT class " + className + " " + why);
    }
}
