package dev.nojit.bundle.keys;

import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.dsse.DsseSigner;
import dev.nojit.bundle.dsse.DsseVerifier;
import dev.nojit.bundle.dsse.Pae;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Ed25519KeysTest {
    @TempDir
    Path dir;

    @Test
    void writtenKeysReadBackAndTheirHalvesMatch() throws Exception {
        var pair = Ed25519Keys.generate();
        Path key = dir.resolve("k");
        Ed25519Keys.write(pair, key);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(Files.readString(dir.resolve("k.pub"))).startsWith("-----BEGIN PUBLIC KEY-----\n");
        var read = Ed25519Keys.readPrivate(key);
        var pub = Ed25519Keys.readPublic(dir.resolve("k.pub"));
        assertThat(read.getPublic().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(pub.getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(Ed25519Keys.keyId(pub)).hasSize(64).isEqualTo(dev.nojit.bundle.Sha256.hex(pub.getEncoded()));
        byte[] payload = "x".getBytes();
        var env = DsseSigner.sign("t", payload, read);
        assertThat(DsseVerifier.verify(env, "t", pub)).isEqualTo(payload);
    }

    @Test
    void existingKeysAreNeverOverwritten() throws Exception {
        Path key = dir.resolve("k");
        Ed25519Keys.write(Ed25519Keys.generate(), key);
        byte[] before = Files.readAllBytes(key);
        assertThatThrownBy(() -> Ed25519Keys.write(Ed25519Keys.generate(), key)).hasMessageContaining("refusing to overwrite");
        assertThat(Files.readAllBytes(key)).isEqualTo(before);
        Path other = dir.resolve("j");
        Files.writeString(dir.resolve("j.pub"), "keep me");
        assertThatThrownBy(() -> Ed25519Keys.write(Ed25519Keys.generate(), other)).hasMessageContaining("j.pub");
        assertThat(other).doesNotExist();
        assertThat(Files.readString(dir.resolve("j.pub"))).isEqualTo("keep me");
    }

    @Test
    void wrongOrBrokenKeyFilesAreNamed() throws Exception {
        Path key = dir.resolve("k");
        Ed25519Keys.write(Ed25519Keys.generate(), key);
        assertThatThrownBy(() -> Ed25519Keys.readPublic(key)).isInstanceOf(BundleException.class).hasMessageContaining("not a PEM \"PUBLIC KEY\" file");
        assertThatThrownBy(() -> Ed25519Keys.readPrivate(dir.resolve("k.pub"))).hasMessageContaining("not a PEM \"PRIVATE KEY\" file");
        Files.writeString(dir.resolve("bad.pub"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        assertThatThrownBy(() -> Ed25519Keys.readPublic(dir.resolve("bad.pub"))).hasMessageContaining("not an Ed25519 public key");
        var rsa = java.security.KeyPairGenerator.getInstance("RSA").generateKeyPair();
        Files.writeString(dir.resolve("rsa.pub"), "-----BEGIN PUBLIC KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(rsa.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        assertThatThrownBy(() -> Ed25519Keys.readPublic(dir.resolve("rsa.pub"))).hasMessageContaining("not an Ed25519 public key");
        assertThatThrownBy(() -> Ed25519Keys.readPublic(dir.resolve("missing.pub"))).hasMessageContaining("key file not found");
    }

    @Test
    void paeIsTheDsseV1Encoding() {
        byte[] pae = Pae.encode("application/vnd.in-toto+json", "{}".getBytes());
        assertThat(new String(pae, StandardCharsets.UTF_8)).isEqualTo("DSSEv1 28 application/vnd.in-toto+json 2 {}");
        // Lengths are byte counts, not characters.
        assertThat(new String(Pae.encode("t", "é".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8)).isEqualTo("DSSEv1 1 t 2 é");
    }
}
