package dev.nojit.bench;

import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.BundleException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The benchmark's input, the same bytes on every run: {@value #MODULES} generated WebAssembly
 * modules of 1 to 1.5 MiB (about 20 MiB in all) under {@code modules/}, and {@code bundle.nojit}
 * built from them with a fixed Ed25519 key and creation time.
 *
 * <p>The bundle is always built afresh by the nojit-bundle on the class path, never cached, so
 * verify measures the current format.
 */
public final class Workload implements AutoCloseable {
    /** System property naming a prepared workload directory, passed by {@link BenchMain} to forks. */
    public static final String DIR_PROPERTY = "nojit.bench.workload";

    static final long SEED = 0x6E6F_6A69_7442_656EL;
    static final int MODULES = 16;
    static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private static final int MIB = 1 << 20;

    private final Path dir;
    private final boolean owned;
    private final List<Path> modules;
    private final KeyPair key;

    private Workload(Path dir, boolean owned, List<Path> modules) {
        this.dir = dir;
        this.owned = owned;
        this.modules = List.copyOf(modules);
        this.key = fixedKey();
    }

    /** Generates the modules into {@code dir} (created if absent) and builds the bundle. */
    public static Workload create(Path dir, boolean owned) throws IOException, BundleException {
        Path modDir = Files.createDirectories(dir.resolve("modules"));
        List<Path> modules = new ArrayList<>();
        for (int i = 0; i < MODULES; i++) {
            int codeBytes = MIB + (i % 3) * (MIB / 4) + (12 << 10);   // 1, 1.25, 1.5 MiB, ...: 20 MiB in all
            byte[] wasm = WasmGenerator.module(SEED + i, i, codeBytes);
            Path p = modDir.resolve(String.format("m%02d.wasm", i));
            Files.write(p, wasm);
            modules.add(p);
        }
        Workload w = new Workload(dir, owned, modules);
        w.build(w.bundle());
        return w;
    }

    /** A fresh workload in a new temporary directory, deleted on close. */
    public static Workload createTemp() throws IOException, BundleException {
        return create(Files.createTempDirectory("nojit-bench-"), true);
    }

    /** The workload a parent process prepared in {@code dir}. */
    public static Workload attach(Path dir) throws IOException {
        List<Path> modules;
        try (Stream<Path> s = Files.list(dir.resolve("modules"))) {
            modules = s.filter(p -> p.getFileName().toString().endsWith(".wasm")).sorted().toList();
        }
        if (modules.size() != MODULES || !Files.isRegularFile(dir.resolve("bundle.nojit"))) {
            throw new IOException(dir + " does not hold a prepared workload");
        }
        return new Workload(dir, false, modules);
    }

    /** Attaches to the directory named by {@value #DIR_PROPERTY}, or creates a temporary workload. */
    public static Workload fromPropertyOrTemp() throws IOException, BundleException {
        String d = System.getProperty(DIR_PROPERTY);
        return d == null || d.isBlank() ? createTemp() : attach(Path.of(d));
    }

    public Path dir() {
        return dir;
    }

    public List<Path> modules() {
        return modules;
    }

    public Path bundle() {
        return dir.resolve("bundle.nojit");
    }

    public PublicKey publicKey() {
        return key.getPublic();
    }

    public long moduleBytes() throws IOException {
        long total = 0;
        for (Path p : modules) total += Files.size(p);
        return total;
    }

    /** Builds a bundle of every module, as executables {@code /bin/mNN}, into {@code out}. */
    public BundleBuilder.Result build(Path out) throws IOException, BundleException {
        BundleBuilder b = new BundleBuilder().created(CREATED).builderVersion("bench");
        for (Path p : modules) {
            String name = p.getFileName().toString();
            b.executable("/bin/" + name.substring(0, name.length() - ".wasm".length()), p);
        }
        return b.build(key, out);
    }

    /** An Ed25519 key pair from a fixed seed, the same in every run. */
    static KeyPair fixedKey() {
        byte[] seed = new byte[32];
        WasmGenerator.SplitMix64 r = new WasmGenerator.SplitMix64(SEED ^ 0x5EED);
        for (int i = 0; i < seed.length; i++) seed[i] = (byte) r.next();
        return dev.nojit.bundle.keys.Ed25519Keys.fromSeed(seed);
    }

    @Override
    public void close() {
        if (!owned) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
