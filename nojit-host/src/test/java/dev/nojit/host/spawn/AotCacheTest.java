package dev.nojit.host.spawn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the AOT caches are looked for, the vkernel's options with one, and the kernel's word on whether a file is mapped. */
class AotCacheTest {
    @TempDir
    Path dir;

    @Test
    void aCacheIsFoundBesideAJarOnlyAndOnlyWhenItIsThere() throws Exception {
        Path jar = Files.write(dir.resolve("nojit.jar"), new byte[] {'P', 'K'});
        assertThat(AotCache.beside(jar, AotCache.VKERNEL)).isEmpty();
        Path cache = Files.write(dir.resolve(AotCache.VKERNEL), new byte[] {1});
        assertThat(AotCache.beside(jar, AotCache.VKERNEL)).contains(cache.toAbsolutePath());
        assertThat(AotCache.beside(jar, AotCache.SHIM)).isEmpty();
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.write(classes.resolveSibling(AotCache.SHIM), new byte[] {1});
        assertThat(AotCache.beside(classes, AotCache.SHIM)).as("a class directory: HotSpot caches no directory").isEmpty();
        Files.createDirectories(dir.resolve("sub"));
        Files.createSymbolicLink(dir.resolve("sub").resolve(AotCache.SHIM), cache);
        assertThat(AotCache.beside(Files.write(dir.resolve("sub/nojit.jar"), new byte[] {1}), AotCache.SHIM))
                .as("a symbolic link is not taken").isEmpty();
    }

    @Test
    void withTheJitOnHugeGuestMethodsMayBeCompiledAndWithItOffNothingIs() {
        VkernelCommand jit = new VkernelCommand(Path.of("/jdk/bin/java"), "/lib/nojit.jar", Optional.empty(), true, 2, 256L << 20,
                List.of(), "Main", List.of());
        assertThat(jit.jvmFlags()).contains("-XX:ReservedCodeCacheSize=64m", "-XX:InitialCodeCacheSize=64m",
                "-XX:-DontCompileHugeMethods").doesNotContain("-Xint");
        VkernelCommand noJit = new VkernelCommand(Path.of("/jdk/bin/java"), "/lib/nojit.jar", Optional.empty(), false, 2, 256L << 20,
                List.of(), "Main", List.of());
        assertThat(noJit.jvmFlags()).contains("-Xint").noneMatch(f -> f.contains("CodeCache") || f.contains("HugeMethods"));
    }

    @Test
    void theVkernelStartsFromTheCacheInsteadOfTheJdksArchiveAndSaysNothingAboutIt() {
        VkernelCommand plain = new VkernelCommand(Path.of("/jdk/bin/java"), "/lib/nojit.jar", Optional.empty(), true, 2, 256L << 20,
                List.of(), "Main", List.of("spec.json"));
        assertThat(plain.jvmFlags()).contains("-Xshare:auto").noneMatch(f -> f.contains("AOT"));
        VkernelCommand cached = plain.withAot(AotCache.useFlags(Path.of("/lib/nojit-vkernel.aot")));
        assertThat(cached.jvmFlags()).contains("-XX:AOTCache=/lib/nojit-vkernel.aot", "-Xlog:aot*=off", "-Xlog:cds*=off")
                .doesNotContain("-Xshare:auto");
        assertThat(cached.toList()).endsWith("-cp", "/lib/nojit.jar", "Main", "spec.json");
        List<String> create = cached.createAotCache(Path.of("/t/conf"), Path.of("/t/out.aot"));
        assertThat(create).contains("-XX:AOTMode=create", "-XX:AOTConfiguration=/t/conf", "-XX:AOTCache=/t/out.aot")
                .doesNotContain("-XX:AOTCache=/lib/nojit-vkernel.aot", "Main", "spec.json").endsWith("-cp", "/lib/nojit.jar");
    }

    @Test
    void mappedInReadsTheProcessMaps() throws Exception {
        // The JDK maps its module image (lib/modules) into every JVM, this one too.
        Path modules = Path.of(System.getProperty("java.home"), "lib", "modules");
        assertThat(AotCache.mappedIn(-1, modules)).isTrue();
        assertThat(AotCache.mappedIn(ProcessHandle.current().pid(), modules)).isTrue();
        assertThat(AotCache.mappedIn(-1, Files.write(dir.resolve("never-mapped.aot"), new byte[] {1}))).isFalse();
        assertThat(AotCache.mappedIn(-1, dir.resolve("missing.aot"))).isFalse();
        assertThat(AotCache.mappedIn(Long.MAX_VALUE, modules)).as("no such process").isFalse();
    }
}
