package dev.nojit.aot;

import dev.nojit.engine.CompiledModule;
import dev.nojit.engine.InvalidModuleException;
import java.util.Set;

/**
 * Test only: defines the classes the translator generated for one module in a class loader of their own and
 * links them all eagerly, so a class the JVM verifier refuses fails here (at define or link time).
 */
final class TestLoader extends ClassLoader {
    private TestLoader() {
        super("aot-test", AotCompiler.class.getClassLoader());
    }

    /** Translates {@code wasm}, defines and links every class, and returns a new instance of the entry class. */
    static CompiledModule load(byte[] wasm, Set<String> returnsTwice) throws InvalidModuleException {
        return load(AotCompiler.compile(wasm, returnsTwice));
    }

    static CompiledModule load(AotCompiler.Output output) {
        TestLoader loader = new TestLoader();
        Class<?> entry = null;
        try {
            for (AotCompiler.GeneratedClass c : output.classes()) {
                Class<?> k = loader.defineClass(c.binaryName(), c.bytes(), 0, c.bytes().length);
                if (entry == null) entry = k;
            }
            for (AotCompiler.GeneratedClass c : output.classes()) Class.forName(c.binaryName(), true, loader);
            return (CompiledModule) entry.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("generated classes do not load: " + e, e);
        }
    }
}
