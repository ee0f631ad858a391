package dev.nojit.aot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nojit.engine.CompiledModule;
import dev.nojit.engine.EngineConfig;
import dev.nojit.engine.Imports;
import dev.nojit.engine.Instance;
import dev.nojit.engine.Machine;
import dev.nojit.engine.ModuleImage;
import dev.nojit.engine.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Real guests. Every C guest of guests/ (the nojit-guests resources: the WASI and WALI programs, the attack
 * programs, libc tests and the userland: BusyBox, bash, Lua, CPython) is translated with WALI's setjmp and
 * sigsetjmp as returns-twice imports, and every class is defined and linked (the verifier accepts it); the
 * counts of compiled functions are printed. The engine benchmark's C workloads (bench/workloads, built with
 * clang for wasm32 without libc, as bench/engine builds them) and the compute fixture run in both modes with
 * identical results.
 */
class GuestsAotTest {
    private static final Set<String> RETURNS_TWICE = Set.of("wali:setjmp", "wali:sigsetjmp");

    @Test
    void everyGuestTranslatesAndVerifies() throws Exception {
        List<String> problems = new ArrayList<>();
        int modules = 0, functions = 0, compiled = 0, huge = 0, split = 0;
        for (String name : guestIndex()) {
            byte[] bytes = guest(name);
            if (bytes.length < 4 || bytes[0] != 0 || bytes[1] != 'a' || bytes[2] != 's' || bytes[3] != 'm') continue;
            AotCompiler.Output out = AotCompiler.compile(bytes, RETURNS_TWICE);
            CompiledModule m = TestLoader.load(out);
            assertThat(m.definedFunctions()).as(name).isEqualTo(out.defined());
            modules++;
            functions += out.defined();
            compiled += out.compiled();
            huge += out.huge();
            split += out.split();
            if (out.compiled() < out.defined()) System.out.printf("  %s: %d of %d compiled; %s%n", name, out.compiled(), out.defined(), out.leftOut());
            for (String l : out.leftOut()) if (!l.contains("too large for a JVM method")) problems.add(name + ": " + l);
        }
        System.out.printf("aot: %d guest modules, %d of %d functions compiled (%d left to the interpreter; %d split into regions;"
                + " %d compiled over HotSpot's 8,000-byte huge-method limit)%n", modules, compiled, functions, functions - compiled, split, huge);
        assertThat(problems).isEmpty();
        assertThat(modules).isGreaterThanOrEqualTo(50);
        assertThat(compiled).isGreaterThan(functions * 99 / 100);
    }

    /**
     * With deoptimization sites (--deopt, what the build gives modules that fork): the forking userland guests
     * translate, every class verifies, and all their functions are still compiled (CPython, whose eval loop grows
     * past the JVM's method limit with the sites, is the exception the build keeps interpreted).
     */
    @Test
    void forkingUserlandTranslatesAndVerifiesWithDeoptimization() throws Exception {
        for (String name : List.of("userland/bash/bash", "userland/busybox/busybox", "userland/busybox/sh", "userland/lua/lua")) {
            AotCompiler.Output out = AotCompiler.compile(guest(name), RETURNS_TWICE, true);
            CompiledModule m = TestLoader.load(out);
            assertThat(m.deoptimizable()).as(name).isTrue();
            assertThat(out.compiled()).as(name + ": " + out.leftOut()).isEqualTo(out.defined());
        }
    }

    /** Bundles content-address the classes: the same module must give the same bytes every time. */
    @Test
    void translationIsReproducible() throws Exception {
        byte[] lua = guest("userland/lua/lua");
        AotCompiler.Output a = AotCompiler.compile(lua, RETURNS_TWICE), b = AotCompiler.compile(lua, RETURNS_TWICE);
        assertThat(a.classes()).hasSameSizeAs(b.classes()).hasSizeGreaterThan(2);
        for (int i = 0; i < a.classes().size(); i++) {
            assertThat(a.classes().get(i).binaryName()).isEqualTo(b.classes().get(i).binaryName());
            assertThat(a.classes().get(i).bytes()).isEqualTo(b.classes().get(i).bytes());
        }
    }

    @Test
    void benchWorkloadsGiveTheSameChecksumsInBothModes() throws Exception {
        Path src = Path.of("..", "bench", "workloads");
        Path out = Files.createDirectories(Path.of("target", "workloads"));
        List<String> names = new ArrayList<>();
        try (var s = Files.list(src)) {
            for (Path c : s.filter(p -> p.toString().endsWith(".c")).sorted().toList()) {
                String name = c.getFileName().toString().replace(".c", "");
                Path obj = out.resolve(name + ".o"), wasm = out.resolve(name + ".wasm");
                clang("--target=wasm32", "-O2", "-c", c.toString(), "-o", obj.toString());
                clang("--target=wasm32", "-nostdlib", "-Wl,--no-entry", "-Wl,--export=run", "-Wl,--strip-debug", obj.toString(), "-o", wasm.toString());
                byte[] bytes = Files.readAllBytes(wasm);
                long[] interpreted = run(bytes, false, "run");
                long[] aot = run(bytes, true, "run");
                int split = AotCompiler.compile(bytes, Set.of(), false, 0).split();
                long[] splitAll = run(bytes, TestLoader.load(AotCompiler.compile(bytes, Set.of(), false, 0)), "run");
                System.out.printf("  %s: run() = %d (interpreter), %d (aot), %d (aot, %d functions split)%n", name, interpreted[0], aot[0],
                        splitAll[0], split);
                assertThat(aot).as(name).containsExactly(interpreted);
                assertThat(splitAll).as(name + ", split").containsExactly(interpreted);
                names.add(name);
            }
        }
        assertThat(names).contains("nbody", "sha256", "sort", "vm");
    }

    @Test
    void computeFixtureAgrees() throws Exception {
        byte[] wasm = guest("compute.wasm");
        for (String call : List.of("crc32_of_pattern 1000 7", "crc32_of_pattern 65536 1", "collatz_steps 27", "collatz_steps 837799")) {
            String[] parts = call.split(" ");
            long[] args = Arrays.stream(parts).skip(1).mapToLong(Long::parseLong).toArray();
            long[] interpreted = run(wasm, false, parts[0], args);
            long[] aot = run(wasm, true, parts[0], args);
            assertThat(aot).as(call).containsExactly(interpreted);
        }
    }

    private static long[] run(byte[] wasm, boolean aot, String export, long... args) throws Exception {
        return run(wasm, aot ? TestLoader.load(wasm, Set.of()) : null, export, args);
    }

    /** On the interpreter when {@code compiled} is null. */
    private static long[] run(byte[] wasm, CompiledModule compiled, String export, long... args) throws Exception {
        ModuleImage image = ModuleImage.compile(wasm);
        Store store = new Store(EngineConfig.defaults());
        Instance instance = compiled != null ? store.instantiate(image, Imports.builder().build(), compiled)
                : store.instantiate(image, Imports.builder().build());
        return new Machine(store).invoke(instance, export, args);
    }

    private static void clang(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("clang"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new AssertionError("clang failed: " + log);
    }

    static List<String> guestIndex() throws IOException {
        return new String(guest("INDEX"), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }

    static byte[] guest(String name) throws IOException {
        try (InputStream in = GuestsAotTest.class.getResourceAsStream("/guests/" + name)) {
            if (in == null) throw new AssertionError("guest " + name + " is not on the class path (nojit-guests)");
            return in.readAllBytes();
        }
    }
}
