package dev.nojit.bundle.keys;

import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.Sha256;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Ed25519 keys from the JDK, stored as PEM: the private key as PKCS#8 ("PRIVATE KEY", file
 * mode 0600), the public key as X.509 SubjectPublicKeyInfo ("PUBLIC KEY"). A key's id is
 * the SHA-256 (hex) of its SubjectPublicKeyInfo bytes.
 */
public final class Ed25519Keys {
    private static final String PRIVATE_LABEL = "PRIVATE KEY";
    private static final String PUBLIC_LABEL = "PUBLIC KEY";
    private static final int MAX_PEM_BYTES = 16 * 1024;

    private Ed25519Keys() {}

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519", e);
        }
    }

    public static String keyId(PublicKey key) {
        return Sha256.hex(key.getEncoded());
    }

    /**
     * Writes {@code out} (private, created 0600) and {@code out.pub}. Refuses to overwrite
     * either; on failure leaves neither behind.
     */
    public static void write(KeyPair pair, Path out) throws IOException, BundleException {
        Path pub = publicKeyPath(out);
        if (Files.exists(out, java.nio.file.LinkOption.NOFOLLOW_LINKS)) throw new BundleException("refusing to overwrite existing key " + out);
        if (Files.exists(pub, java.nio.file.LinkOption.NOFOLLOW_LINKS)) throw new BundleException("refusing to overwrite existing key " + pub);
        boolean done = false;
        try {
            Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(out, pem(PRIVATE_LABEL, pair.getPrivate().getEncoded()), StandardOpenOption.TRUNCATE_EXISTING);
            Files.write(pub, pem(PUBLIC_LABEL, pair.getPublic().getEncoded()), StandardOpenOption.CREATE_NEW);
            done = true;
        } catch (FileAlreadyExistsException e) {
            throw new BundleException("refusing to overwrite existing key " + e.getFile());
        } finally {
            if (!done) {
                Files.deleteIfExists(out);
                Files.deleteIfExists(pub);
            }
        }
    }

    /** Writes a public key alone (PEM, SPKI), refusing to overwrite a file. */
    public static void writePublic(PublicKey key, Path out) throws IOException {
        Files.write(out, pem(PUBLIC_LABEL, key.getEncoded()), StandardOpenOption.CREATE_NEW);
    }

    public static Path publicKeyPath(Path privateKey) {
        return privateKey.resolveSibling(privateKey.getFileName() + ".pub");
    }

    public static PublicKey readPublic(Path file) throws BundleException {
        byte[] der = readPem(file, PUBLIC_LABEL);
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
            requireEd25519(key, file);
            return key;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new BundleException(file + ": not an Ed25519 public key");
        }
    }

    /** Reads a private key and derives its public half. */
    public static KeyPair readPrivate(Path file) throws BundleException {
        byte[] der = readPem(file, PRIVATE_LABEL);
        try {
            PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
            requireEd25519(key, file);
            return new KeyPair(derivePublic((EdECPrivateKey) key), key);
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new BundleException(file + ": not an Ed25519 private key");
        }
    }

    /**
     * The key pair of a 32-byte Ed25519 seed (RFC 8032 §5.1.5: the private key is the seed,
     * the public key follows from it). The JDK derives a pair only inside key generation,
     * which draws exactly the seed from its random source: so that source replays the seed.
     * Used to recover the public half of a stored private key, and by tests and benchmarks
     * that need the same key in every run.
     */
    public static KeyPair fromSeed(byte[] seed) {
        if (seed.length != 32) throw new IllegalArgumentException("an Ed25519 seed has 32 bytes, not " + seed.length);
        byte[] copy = seed.clone();
        SecureRandom replay = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                if (bytes.length != copy.length) throw new IllegalStateException("unexpected request for " + bytes.length + " random bytes");
                System.arraycopy(copy, 0, bytes, 0, copy.length);
            }
        };
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("Ed25519");
            gen.initialize(NamedParameterSpec.ED25519, replay);
            return gen.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519", e);
        }
    }

    /** The public half of a private key, checked by deriving the private key back. */
    private static PublicKey derivePublic(EdECPrivateKey key) throws GeneralSecurityException {
        byte[] seed = key.getBytes().orElseThrow(() -> new GeneralSecurityException("private key has no seed bytes"));
        KeyPair pair = fromSeed(seed);
        if (!Arrays.equals(pair.getPrivate().getEncoded(), key.getEncoded())) {
            throw new GeneralSecurityException("could not derive the public key");
        }
        return pair.getPublic();
    }

    private static void requireEd25519(java.security.Key key, Path file) throws BundleException {
        if (!(key instanceof EdECKey ed) || !"Ed25519".equalsIgnoreCase(ed.getParams().getName())) {
            throw new BundleException(file + ": not an Ed25519 key");
        }
    }

    private static byte[] pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return ("-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] readPem(Path file, String label) throws BundleException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_PEM_BYTES) throw new BundleException(file + ": too large to be a key file");
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BundleException("key file not found: " + file);
        } catch (IOException e) {
            throw new BundleException("cannot read key file " + file + ": " + e.getMessage());
        }
        String text = new String(bytes, StandardCharsets.US_ASCII).strip();
        String begin = "-----BEGIN " + label + "-----", end = "-----END " + label + "-----";
        if (!text.startsWith(begin) || !text.endsWith(end)) {
            throw new BundleException(file + ": not a PEM \"" + label + "\" file");
        }
        String body = text.substring(begin.length(), text.length() - end.length()).replaceAll("\\s+", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new BundleException(file + ": PEM body is not valid base64");
        }
    }
}
