package dev.nojit.bundle.manifest;

import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.json.CanonicalJson;
import dev.nojit.bundle.manifest.ImageEntry.BlobRef;
import dev.nojit.bundle.manifest.ImageEntry.DataFile;
import dev.nojit.bundle.manifest.ImageEntry.Directory;
import dev.nojit.bundle.manifest.ImageEntry.Executable;
import dev.nojit.bundle.manifest.ImageEntry.ModuleInfo;
import dev.nojit.bundle.manifest.ImageEntry.Script;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestTest {
    static final String A = "a".repeat(64), B = "b".repeat(64);
    static final Manifest.Builder BUILDER = new Manifest.Builder("nojit", "test");
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    static Executable exec(String path) {
        return new Executable(path, 0755, A, 10, new ModuleInfo(List.of("wali"), new BlobRef(PredecodedFormat.NOJIT_IMAGE, B, 3)), List.of());
    }

    static Manifest sample() throws BundleException {
        return Manifest.of(BUILDER, T, Policy.defaults(), List.of(
                new Directory("/bin", 0755), exec("/bin/sh"), new Directory("/etc", 0755),
                new DataFile("/etc/motd", 0644, B, 3), new Script("/etc/rc", 0755, B, 3, "/bin/sh")));
    }

    @Test
    void encodeDecodeIsTheIdentityAndCanonical() throws Exception {
        byte[] payload = ManifestCodec.encode(sample());
        assertThat(CanonicalJson.isCanonical(payload)).isTrue();
        assertThat(ManifestCodec.decode(payload)).isEqualTo(sample());
        assertThat(ManifestCodec.encode(ManifestCodec.decode(payload))).isEqualTo(payload);
        String json = new String(payload, StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicate\":{")
                .contains("\"predicateType\":\"https://nojit.dev/manifest/v1\"")
                .contains("{\"digest\":{\"sha256\":\"" + A + "\"},\"name\":\"/bin/sh\"}")
                .contains("\"policy\":{\"engine\":\"interpreter\",\"exec\":\"manifest-only\",\"memory\":\"deny-exec\",\"onViolation\":\"kill-process\",\"scripts\":\"via-interpreter\"}");
    }

    @Test
    void invariantsAreChecked() {
        assertRefused(List.of(new DataFile("/etc/motd", 0644, B, 3)), "has no parent directory entry '/etc'");
        assertRefused(List.of(new DataFile("/etc", 0644, B, 3), new DataFile("/etc/motd", 0644, B, 3)), "which is not a directory");
        assertRefused(List.of(new Directory("/b", 0755), new Directory("/a", 0755)), "not sorted");
        assertRefused(List.of(new Directory("/a", 0755), new Directory("/a", 0755)), "lists '/a' twice");
        assertRefused(List.of(new Directory("/a", 04755)), "has bits other than permissions");
        assertRefused(List.of(new DataFile("/x", 0644, "A".repeat(64), 3)), "64 lowercase hex");
        assertRefused(List.of(new DataFile("/x", 0644, B, 3), new DataFile("/y", 0644, B, 4)), "two different sizes");
        assertRefused(List.of(new Script("/s", 0755, B, 3, "/bin/sh")), "interpreter '/bin/sh' is not an executable");
        assertRefused(List.of(new DataFile("/x/../y", 0644, B, 3)), "invalid container path");
        assertRefused(List.of(new Executable("/x", 0755, A, 10, new ModuleInfo(List.of("env"), new BlobRef(PredecodedFormat.NOJIT_IMAGE, B, 3)), List.of())),
                "unknown personality 'env'");
        assertRefused(List.of(new Executable("/x", 0755, A, 10, new ModuleInfo(List.of(), new BlobRef("elf", B, 3)), List.of())),
                "unknown pre-decoded format 'elf'");
        // The placeholder form before the engine had its own: a module's bytes are never what the run time loads.
        assertRefused(List.of(new Executable("/x", 0755, A, 10, new ModuleInfo(List.of(), new BlobRef("wasm-binary", A, 10)), List.of())),
                "unknown pre-decoded format 'wasm-binary'");
    }

    @Test
    void decodeRefusesWhatTheSignedFormNeverHas() throws Exception {
        String good = new String(ManifestCodec.encode(sample()), StandardCharsets.UTF_8);
        assertDecodeRefused(good.replace("\"kind\":\"data\",", "\"extra\":1,\"kind\":\"data\","), "unknown member 'predicate.files[3].extra'");
        assertDecodeRefused(good.replace("https://nojit.dev/manifest/v1", "https://example/v9"), "predicateType is 'https://example/v9'");
        assertDecodeRefused(good.replace("\"mode\":\"0644\"", "\"mode\":\"644\""), "predicate.files[3].mode must be four octal digits");
        assertDecodeRefused(good.replace("\"memory\":\"deny-exec\"", "\"memory\":\"allow-exec\""), "policy.memory is 'allow-exec'");
        assertDecodeRefused(good.replace("\"name\":\"/etc/motd\"", "\"name\":\"/etc/passwd\""), "subject[1] ('/etc/passwd') does not match");
        assertDecodeRefused(good.replace("2026-01-01T00:00:00Z", "2026-01-01T00:00:00.5Z"), "created must be UTC in whole seconds");
        assertDecodeRefused(good.replace("\"size\":3", "\"size\":-3"), "size -3 out of range");
        assertDecodeRefused(good.replace("\"format\":\"nojit-image-v1\"", "\"format\":\"wasm-binary\""), "'/bin/sh': unknown pre-decoded format 'wasm-binary'");
        assertDecodeRefused("[]", "must be a JSON object");
        assertDecodeRefused("{", "not valid JSON");
    }

    @Test
    void policyFilesMayOmitKeysButNotInventThem() throws Exception {
        var partial = CanonicalJson.mapper().readTree("{\"onViolation\":\"kill-container\"}");
        Policy p = ManifestCodec.decodePolicy(dev.nojit.bundle.json.StrictObject.of(partial, "", "policy"), false);
        assertThat(p).isEqualTo(Policy.defaults().with("onViolation", "kill-container"));
        var unknown = CanonicalJson.mapper().readTree("{\"jit\":\"on\"}");
        assertThatThrownBy(() -> ManifestCodec.decodePolicy(dev.nojit.bundle.json.StrictObject.of(unknown, "", "policy"), false))
                .hasMessageContaining("unknown member 'jit'");
        var bad = CanonicalJson.mapper().readTree("{\"memory\":\"allow-exec\"}");
        assertThatThrownBy(() -> ManifestCodec.decodePolicy(dev.nojit.bundle.json.StrictObject.of(bad, "", "policy"), false))
                .hasMessageContaining("memory is 'allow-exec', not one of [deny-exec]");
    }

    private static void assertRefused(List<ImageEntry> entries, String fragment) {
        assertThatThrownBy(() -> Manifest.of(BUILDER, T, Policy.defaults(), entries))
                .isInstanceOf(BundleException.class).hasMessageContaining(fragment);
    }

    private static void assertDecodeRefused(String json, String fragment) {
        assertThatThrownBy(() -> ManifestCodec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(BundleException.class).hasMessageContaining(fragment);
    }
}
