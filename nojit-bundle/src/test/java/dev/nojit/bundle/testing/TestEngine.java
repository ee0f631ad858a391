package dev.nojit.bundle.testing;

import dev.nojit.aot.AotCompiler;
import dev.nojit.engine.InvalidModuleException;
import dev.nojit.bundle.AotTranslator;
import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.manifest.EngineMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The test profile of the engine mode: with the system property {@value #PROPERTY}{@code =aot}
 * ({@code mvn -Dnojit.test.engine=aot ...}) the shared test-bundle builders build every executable in engine mode
 * aot, as {@code nojit build --engine aot} does: the real translator (nojit-aot, a test dependency only, called in
 * this JVM) makes the classes, the bundle signs them, and the vkernel defines them from the verified blobs. The build
 * rule still keeps modules that fork interpreted (docs/engine-mode.md). Without the property, or with
 * {@code interpreter}, builders are left as they are.
 */
public final class TestEngine {
    public static final String PROPERTY = "nojit.test.engine";
    /** WALI's imports that return twice, given to the translator for WALI modules (as nojit build gives them). */
    private static final Set<String> WALI_RETURNS_TWICE = Set.of("wali:setjmp", "wali:sigsetjmp");
    /** Translations by module SHA-256 and personalities: tests build the same guests into many bundles. */
    private static final Map<String, AotTranslator.Translation> DONE = new ConcurrentHashMap<>();

    private TestEngine() {}

    /** The mode the property asks for; interpreter when unset. An unknown value fails the test run at once. */
    public static EngineMode mode() {
        String value = System.getProperty(PROPERTY, "").strip();
        if (value.isEmpty()) return EngineMode.INTERPRETER;
        return EngineMode.byName(value).orElseThrow(() -> new IllegalStateException(
                "-D" + PROPERTY + "=" + value + ": unknown engine mode (known: interpreter, aot)"));
    }

    /** Whether the guests of this test run are built in engine mode aot. */
    public static boolean aot() {
        return mode() == EngineMode.AOT;
    }

    /**
     * {@code builder} set to the profile's engine mode (unchanged on the interpreter profile). Under aot the build's
     * notices (each translation's summary, each module kept interpreted and why) go to stderr, prefixed
     * {@code [nojit.test.engine=aot]}, so a test run's output says which executables ran AOT.
     */
    public static BundleBuilder apply(BundleBuilder builder) {
        return apply(builder, mode());
    }

    /**
     * {@code builder} set to engine mode {@code mode} as the profile sets it. A builder that already has a translator
     * (a test of the AOT mode itself, with classes of its own making) is left as it is.
     */
    public static BundleBuilder apply(BundleBuilder builder, EngineMode mode) {
        if (mode == EngineMode.AOT && !builder.hasAotTranslator()) {
            builder.engine(EngineMode.AOT).aotTranslator(TestEngine::translate)
                    .onNotice(line -> System.err.println("[" + PROPERTY + "=aot] " + line));
        }
        return builder;
    }

    /** The translator of nojit-aot, in this JVM: what {@code nojit build} runs in a JVM of its own. */
    public static AotTranslator.Translation translate(String path, byte[] wasm, List<String> personalities, boolean deopt)
            throws BundleException {
        String key = Sha256.hex(wasm) + " " + personalities + " deopt=" + deopt;
        AotTranslator.Translation done = DONE.get(key);
        if (done != null) return done;
        AotCompiler.Output out;
        try {
            out = AotCompiler.compile(wasm, personalities.contains("wali") ? WALI_RETURNS_TWICE : Set.of(), deopt);
        } catch (InvalidModuleException e) {
            throw new BundleException(path + ": the AOT translator refused it: " + e.getMessage());
        }
        List<AotTranslator.GeneratedClass> classes = new ArrayList<>();
        for (AotCompiler.GeneratedClass c : out.classes()) classes.add(new AotTranslator.GeneratedClass(c.binaryName(), c.bytes()));
        AotTranslator.Translation t = new AotTranslator.Translation(classes, out.summary());
        DONE.putIfAbsent(key, t);
        return t;
    }
}
