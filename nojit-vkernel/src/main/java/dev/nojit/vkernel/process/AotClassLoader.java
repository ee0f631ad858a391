package dev.nojit.vkernel.process;

import dev.nojit.bundle.AotClassBlob;
import dev.nojit.engine.CompiledModule;

import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place the vkernel defines classes: the AOT classes of one executable (nojit's AOT engine mode),
 * from blobs of the verified bundle. Its only input is {@link AotClassBlob.Decoded} values that
 * {@code VerifiedBundle.loadAotClasses} made from bytes read through the hash-checked {@code readBlob}; it
 * defines exactly their class-file bytes, under the names their signed headers give, in package
 * {@value AotClassBlob#PACKAGE} only. Names in that package resolve only to these classes (never to the
 * parent, never to anything defined later); every other name goes to the parent, the loader nojit's engine
 * was loaded by, so generated code links against the engine's {@code CompiledModule}, {@code AotContext} and
 * {@code AotOps}.
 *
 * <p>{@link #load} defines and links (verifies) every class and initializes it before it returns, so a class
 * the JVM refuses fails the program's preparation, before any guest code runs, with one line
 * ({@link Refused}). Nothing can be defined afterwards: the pending set is empty from then on.
 */
public final class AotClassLoader extends ClassLoader {
    private static final String PREFIX = AotClassBlob.PACKAGE + ".";
    /** Class files not yet defined; emptied when {@link #load} ends. */
    private final Map<String, byte[]> pending = new LinkedHashMap<>();

    static {
        registerAsParallelCapable();
    }

    private AotClassLoader(String name, ClassLoader parent) {
        super(name, parent);
    }

    /** The executable's classes cannot be defined, linked or instantiated: a fault of the bundle, not of the guest. */
    public static final class Refused extends RuntimeException {
        public Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Defines, links and initializes {@code classes} (entry class first) in a new loader, and returns a new
     * instance of the entry class, which must be a public class implementing {@link CompiledModule} with a public
     * no-argument constructor.
     *
     * @param label the executable's container path, for messages
     */
    public static CompiledModule load(String label, List<AotClassBlob.Decoded> classes) {
        if (classes.isEmpty()) throw new IllegalArgumentException(label + ": no AOT classes");
        AotClassLoader loader = new AotClassLoader("nojit-aot " + label, CompiledModule.class.getClassLoader());
        String current = null;
        try {
            synchronized (loader.pending) {
                for (AotClassBlob.Decoded d : classes) {
                    String name = d.header().className();
                    if (!name.startsWith(PREFIX)) throw new IllegalArgumentException(name + " is not in " + AotClassBlob.PACKAGE);
                    if (loader.pending.put(name, d.classFile()) != null) throw new IllegalArgumentException(name + " is given twice");
                }
            }
            Class<?> entry = null;
            for (AotClassBlob.Decoded d : classes) {
                current = d.header().className();
                // Initializing links first, and linking verifies: a class the JVM's verifier refuses fails here.
                Class<?> c = Class.forName(current, true, loader);
                if (entry == null) entry = c;
            }
            current = classes.getFirst().header().className();
            if (!CompiledModule.class.isAssignableFrom(entry) || !Modifier.isPublic(entry.getModifiers())) {
                throw new Refused(label + ": AOT entry class " + current + " is not a public CompiledModule", null);
            }
            return (CompiledModule) entry.getConstructor().newInstance();
        } catch (Refused e) {
            throw e;
        } catch (LinkageError | ReflectiveOperationException | RuntimeException e) {
            Throwable why = e instanceof java.lang.reflect.InvocationTargetException || e instanceof ExceptionInInitializerError
                    ? (e.getCause() == null ? e : e.getCause()) : e;
            throw new Refused(label + ": AOT class " + current + " cannot be loaded: " + why.getClass().getSimpleName()
                    + (why.getMessage() == null ? "" : ": " + firstLine(why.getMessage())), e);
        } finally {
            synchronized (loader.pending) {
                loader.pending.clear();
            }
        }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(PREFIX)) return super.loadClass(name, resolve);
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                byte[] bytes;
                synchronized (pending) {
                    bytes = pending.remove(name);
                }
                if (bytes == null) throw new ClassNotFoundException(name + " is not an AOT class of this executable");
                c = defineClass(name, bytes, 0, bytes.length);
            }
            if (resolve) resolveClass(c);
            return c;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        throw new ClassNotFoundException(name);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
