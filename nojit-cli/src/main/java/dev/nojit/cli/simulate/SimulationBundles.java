package dev.nojit.cli.simulate;

import dev.nojit.bundle.AotTranslator;
import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.BundleReader;
import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.keys.Ed25519Keys;
import dev.nojit.bundle.manifest.EngineMode;
import dev.nojit.bundle.manifest.InterpreterSpec;
import dev.nojit.bundle.manifest.Policy;
import dev.nojit.cli.EmbeddedGuests;
import dev.nojit.cli.Version;
import dev.nojit.cli.simulate.Technique.Profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The built-in bundles of the simulation, built at run time in a work directory with a fresh,
 * throwaway Ed25519 key through the same {@link BundleBuilder} as {@code nojit build}, then opened
 * verified. One bundle per {@link Profile} (the policy is signed into the manifest); same image:
 *
 * <pre>
 *   /bin/attack-exec, -memory, -exhaust, -host, -mountswap, -signals, -audit, -execcheck the attack programs
 *   /bin/wali-hello, /bin/wali-echo, /bin/cat, /bin/wc   the benign toolset (approved)
 *   /bin/sh, /bin/bash, /bin/lua  BusyBox's ash, bash and Lua from Debian's sources, with their
 *                            attack scripts /bin/attack-{sh,bash,lua}-hooks and listed files under
 *                            /opt/tools ({@link InterpreterHookScripts})
 *   /opt/tools/listed.sh     a listed script: #!/bin/wali-echo (wali-echo stands in for a shell;
 *                            under manifest-only it carries the bash interpreter profile)
 *   /data/payload.wasm       attack-payload: a valid module, but only a data file
 *   /data/downloaded.elf     an x86-64 ELF header and some bytes (no host binary), a data file
 *   /etc/motd                a data file
 * </pre>
 *
 * In engine mode {@link EngineMode#AOT} ({@code nojit simulate --engine aot}) every executable is built as
 * {@code nojit build --engine aot} builds it: translated to JVM classes signed into the bundle, except the
 * modules that fork, which the build keeps interpreted (docs/engine-mode.md).
 */
public final class SimulationBundles implements AutoCloseable {
    static final String LISTED_SCRIPT = "#!/bin/wali-echo\necho listed\n";

    private final Map<Profile, VerifiedBundle> bundles;
    private final Path work;

    private SimulationBundles(Map<Profile, VerifiedBundle> bundles, Path work) {
        this.bundles = bundles;
        this.work = work;
    }

    /** The work directory (the bundles, and the planted host layouts of techniques that need one). */
    public Path work() {
        return work;
    }

    public VerifiedBundle get(Profile p) {
        return bundles.get(p);
    }

    /** Extracts the embedded guests to {@code work}/inputs and builds and verifies every profile's bundle, interpreted. */
    public static SimulationBundles build(Path work) throws IOException, BundleException {
        return build(work, EngineMode.INTERPRETER, null, line -> { });
    }

    /**
     * As {@link #build(Path)}, every executable in engine mode {@code engine}. {@code translator} makes the classes
     * of AOT executables (needed for {@link EngineMode#AOT}; each module is translated once, the profiles share the
     * classes); {@code notices} gets the build's notice lines (each translation's summary, each module kept
     * interpreted and why), once per executable.
     */
    public static SimulationBundles build(Path work, EngineMode engine, AotTranslator translator, Consumer<String> notices)
            throws IOException, BundleException {
        if (engine == EngineMode.AOT && translator == null) throw new IllegalArgumentException("engine aot needs a translator");
        Path inputs = work.resolve("inputs");
        EmbeddedGuests.extractTo(inputs);
        Files.writeString(inputs.resolve("listed.sh"), LISTED_SCRIPT);
        Files.writeString(inputs.resolve("motd"), "welcome to the simulation\n");
        Files.write(inputs.resolve("downloaded.elf"), elf());
        KeyPair key = Ed25519Keys.generate(); // never written: only its public half is kept, for open()
        Ed25519Keys.writePublic(key.getPublic(), publicKey(work));
        AotTranslator once = translator == null ? null : new OncePerModule(translator);
        for (Profile p : Profile.values()) {
            BundleBuilder b = image(inputs, policy(p)).engine(engine);
            if (once != null) b.aotTranslator(once);
            if (p == Profile.values()[0]) b.onNotice(notices); // the same image in every profile: say it once
            b.build(key, file(work, p));
        }
        LogInMount.plant(work); // issue 15: audit
        return open(work);
    }

    /** Opens, verified, the bundles {@link #build} left in {@code work} (the locked-down simulation JVM does this). */
    public static SimulationBundles open(Path work) throws IOException, BundleException {
        var publicKey = Ed25519Keys.readPublic(publicKey(work));
        Map<Profile, VerifiedBundle> out = new EnumMap<>(Profile.class);
        try {
            for (Profile p : Profile.values()) out.put(p, BundleReader.open(file(work, p), publicKey));
        } catch (IOException | BundleException | RuntimeException e) {
            for (VerifiedBundle b : out.values()) b.close();
            throw e;
        }
        return new SimulationBundles(out, work);
    }

    /** The files {@link #open} reads: each profile's bundle and the public key. */
    public static List<Path> files(Path work) {
        List<Path> files = new java.util.ArrayList<>();
        for (Profile p : Profile.values()) files.add(file(work, p));
        files.add(publicKey(work));
        return files;
    }

    /**
     * The container paths of the executables that run AOT classes (the same in every profile's bundle), sorted;
     * empty when everything is interpreted.
     */
    public List<String> aotExecutables() {
        return bundles.values().iterator().next().manifest().aotExecutables().stream().map(x -> x.path()).sorted().toList();
    }

    /**
     * The translator, asked at most once per module: the profiles' bundles hold the same executables, and a
     * translation is reproducible (the same bytes give the same classes), so a repeat would only cost a JVM start.
     */
    private static final class OncePerModule implements AotTranslator {
        private final AotTranslator translator;
        private final Map<String, Translation> done = new HashMap<>();

        OncePerModule(AotTranslator translator) {
            this.translator = translator;
        }

        @Override
        public Translation translate(String path, byte[] wasm, List<String> personalities, boolean deopt)
                throws BundleException, IOException {
            String key = Sha256.hex(wasm) + " " + personalities + " deopt=" + deopt;
            Translation t = done.get(key);
            if (t == null) {
                t = translator.translate(path, wasm, personalities, deopt);
                done.put(key, t);
            }
            return t;
        }
    }

    private static Path file(Path work, Profile p) {
        return work.resolve("simulate-" + p.label() + ".nojit");
    }

    private static Path publicKey(Path work) {
        return work.resolve("simulate.pub");
    }

    static Policy policy(Profile p) {
        return switch (p) {
            case KILL_PROCESS -> Policy.defaults();
            case KILL_CONTAINER -> Policy.defaults().with("onViolation", "kill-container");
            case MANIFEST_ONLY -> Policy.defaults().with("scripts", "manifest-only")
                    .withInterpreters(Map.of("/bin/wali-echo", InterpreterSpec.profile("bash").orElseThrow(),
                            // issue 16: hooks — the real interpreters built from Debian's sources
                            InterpreterHookScripts.SH, InterpreterSpec.profile("bash").orElseThrow(),
                            InterpreterHookScripts.BASH, InterpreterSpec.profile("bash").orElseThrow(),
                            InterpreterHookScripts.LUA, InterpreterSpec.profile("lua").orElseThrow(),
                            InterpreterHookScripts.PYTHON, InterpreterSpec.profile("python").orElseThrow()));
        };
    }

    private static BundleBuilder image(Path in, Policy policy) throws BundleException, IOException {
        BundleBuilder b = new BundleBuilder().builderVersion(Version.get()).policy(policy);
        for (String program : List.of("exec", "memory", "exhaust", "host", "mountswap", "signals")) {
            b.executable("/bin/attack-" + program, in.resolve("attack-" + program + ".wasm"));
        }
        b.executable("/bin/attack-audit", in.resolve("attack-audit.wasm")); // issue 15: audit
        b.executable("/bin/attack-execcheck", in.resolve("attack-execcheck.wasm")); // issue 16: execcheck
        for (String tool : List.of("wali-hello", "wali-echo")) b.executable("/bin/" + tool, in.resolve(tool + ".wasm"));
        b.executable("/bin/cat", in.resolve("cat.wasm"));
        b.executable("/bin/wc", in.resolve("wc.wasm"));
        b.script("/opt/tools/listed.sh", in.resolve("listed.sh"), "/bin/wali-echo");
        InterpreterHookScripts.addTo(b, in); // issue 16: hooks
        b.file("/data/payload.wasm", in.resolve("attack-payload.wasm"));
        b.file("/data/downloaded.elf", in.resolve("downloaded.elf"));
        b.file("/etc/motd", in.resolve("motd"));
        return b;
    }

    /** A 64-byte x86-64 ELF executable header followed by a few bytes of "code": looks like a download, runs nowhere. */
    static byte[] elf() {
        byte[] b = new byte[128];
        byte[] ident = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
        System.arraycopy(ident, 0, b, 0, ident.length);
        b[16] = 2;        // e_type ET_EXEC
        b[18] = 0x3e;     // e_machine x86-64
        b[20] = 1;        // e_version
        b[24] = 0x78;     // e_entry 0x400078
        b[26] = 0x40;
        b[32] = 64;       // e_phoff
        b[52] = 64;       // e_ehsize
        b[54] = 56;       // e_phentsize
        b[56] = 1;        // e_phnum
        for (int i = 64; i < b.length; i++) b[i] = (byte) 0x90; // nop sled
        return b;
    }

    /** The configuration the report names: each bundle's file name and megabinary digest. */
    public Map<Profile, VerifiedBundle> all() {
        return Map.copyOf(bundles);
    }

    @Override
    public void close() throws IOException {
        for (VerifiedBundle b : bundles.values()) b.close();
    }
}
