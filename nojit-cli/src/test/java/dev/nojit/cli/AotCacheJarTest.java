package dev.nojit.cli;

import dev.nojit.audit.attest.AttestationFile;
import dev.nojit.audit.attest.HostLockdown;
import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.keys.Ed25519Keys;
import dev.nojit.bundle.testing.SampleBundle;
import dev.nojit.host.spawn.AotCache;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDK AOT caches of the shim and the vkernel as a user gets them: {@code nojit aot-cache} trains
 * them beside a copy of the jar this build made (HotSpot takes no class directory into a cache, so this
 * runs after {@code package}, in the pom's "shaded-jar" execution), then {@code nojit run} as the
 * {@code ./nojit} launcher starts it, under strict host lockdown: the caches are used (the kernel shows
 * them mapped and the attestation names their digests), and a corrupt or missing cache changes nothing
 * the user sees but the attestation, which then names none.
 */
class AotCacheJarTest {
    @TempDir
    static Path dir;
    static Path jar, app, key, attestKey;

    @BeforeAll
    static void trainTheCachesBesideACopyOfTheJar() throws Exception {
        Path built = Path.of(NoCodeGeneratorOnClassPathTest.property("nojit.shadedJar"));
        assertThat(built).as("target/nojit.jar (this test runs after package)").isRegularFile();
        Path lib = Files.createDirectories(dir.resolve("lib"));
        jar = Files.copy(built, lib.resolve("nojit.jar"));
        Files.copy(built.resolveSibling("nojit-host.jar"), lib.resolve("nojit-host.jar"));
        Path in = SampleBundle.writeInputs(dir.resolve("in"));
        key = dir.resolve("k");
        attestKey = dir.resolve("attest");
        Ed25519Keys.write(Ed25519Keys.generate(), key);
        Ed25519Keys.write(Ed25519Keys.generate(), attestKey);
        app = dir.resolve("app.nojit");
        JarCopyRun build = nojit(List.of(), "build", "--key", key, "--out", app, "--exec", "/bin/wali-hello=" + in.resolve("wali-hello.wasm"));
        assertThat(build.code()).as(build.err()).isZero();
        JarCopyRun train = nojit(List.of(), "aot-cache");
        assertThat(train.code()).as(train.out() + train.err()).isZero();
        assertThat(train.out()).contains("trained under strict host lockdown");
        assertThat(lib.resolve(AotCache.SHIM)).isRegularFile();
        assertThat(lib.resolve(AotCache.VKERNEL)).isRegularFile();
    }

    @Test
    void bothJvmsStartFromTheirCachesAndTheAttestationNamesThem() throws Exception {
        Path shim = jar.resolveSibling(AotCache.SHIM), vkernel = jar.resolveSibling(AotCache.VKERNEL);
        HostLockdown.Jvm jvm = helloRun("used", AotCache.useFlags(shim));
        assertThat(jvm.shimAotCacheSha256()).isEqualTo(Sha256.hex(Files.readAllBytes(shim)));
        assertThat(jvm.aotCacheSha256()).isEqualTo(Sha256.hex(Files.readAllBytes(vkernel)));
        assertThat(jvm.flags()).contains("-XX:AOTCache=" + vkernel).doesNotContain("-Xshare:auto");
    }

    @Test
    void corruptCachesAreNotUsedAndTheUserSeesNoDifference() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("corrupt"));
        Path shim = lib.resolve(AotCache.SHIM);
        byte[] damaged = Files.readAllBytes(jar.resolveSibling(AotCache.SHIM));
        Files.write(shim, java.util.Arrays.copyOf(damaged, damaged.length / 3)); // cut short
        Path vkernel = jar.resolveSibling(AotCache.VKERNEL);
        byte[] saved = Files.readAllBytes(vkernel);
        try {
            byte[] garbage = saved.clone();
            for (int i = 0; i < 4096; i++) garbage[i] ^= (byte) 0x5a; // a bad header
            Files.write(vkernel, garbage);
            HostLockdown.Jvm jvm = helloRun("corrupt", AotCache.useFlags(shim));
            assertThat(jvm.shimAotCacheSha256()).as("a cache HotSpot refused is not stated").isNull();
            assertThat(jvm.aotCacheSha256()).isNull();
            Files.delete(vkernel);
            HostLockdown.Jvm none = helloRun("missing", AotCache.useFlags(dir.resolve("no-such.aot")));
            assertThat(none.shimAotCacheSha256()).isNull();
            assertThat(none.aotCacheSha256()).isNull();
            assertThat(none.flags()).contains("-Xshare:auto").noneMatch(f -> f.startsWith("-XX:AOTCache"));
        } finally {
            Files.write(vkernel, saved);
        }
    }

    /** {@code nojit run} of hello under strict lockdown with an attestation; its output must be the guest's and nojit's usual lines only. */
    private static HostLockdown.Jvm helloRun(String name, List<String> shimAot) throws Exception {
        Path attestation = dir.resolve(name + ".attestation.jsonl");
        JarCopyRun r = nojit(shimAot, "run", app, "--pubkey", key + ".pub", "--audit-log", dir.resolve(name + ".audit.jsonl"),
                "--attest-key", attestKey, "--attestation", attestation, "--", "/bin/wali-hello");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).as("the guest's stdout, and nothing from the JVMs").isEqualTo("hello from WALI, pid 1\n");
        assertThat(r.err().lines().toList()).as("only nojit's own closing lines").allMatch(l -> l.startsWith("nojit run: "));
        return AttestationFile.read(attestation, Ed25519Keys.readPublic(Ed25519Keys.publicKeyPath(attestKey)))
                .start().statement().lockdown().jvm();
    }

    private static JarCopyRun nojit(List<String> aot, Object... args) throws IOException, InterruptedException {
        return JarCopyRun.of(jar, dir, aot, args);
    }
}
