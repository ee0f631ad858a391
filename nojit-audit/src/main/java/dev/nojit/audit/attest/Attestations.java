package dev.nojit.audit.attest;

import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.dsse.DsseSigner;
import dev.nojit.bundle.dsse.DsseVerifier;
import dev.nojit.bundle.dsse.Envelope;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Arrays;

/**
 * Signs and checks run attestations: a DSSE v1 envelope ({@code payloadType}
 * {@code application/vnd.in-toto+json}, Ed25519, the same envelope and keys as a bundle's
 * manifest) over the statement's canonical JSON ({@link AttestationCodec}).
 *
 * <p>A statement's <b>digest</b> is the SHA-256 (lowercase hex) of its exact payload bytes, as a
 * manifest's digest is. The start statement's digest is "the hash of the attestation" of SPEC §5:
 * the audit log's genesis (line 1's {@code prev}), and the stop statement names it in
 * {@code start.sha256}. The digest covers the statement, not the envelope, so it does not depend
 * on which key signed it or how the signature is spelled.
 */
public final class Attestations {
    private Attestations() {}

    /** A statement whose signature checked out, with its digest. */
    public record Verified(RunAttestation statement, String digest) {}

    /** The digest of a statement: SHA-256 of {@link AttestationCodec#encode}. */
    public static String digest(RunAttestation statement) {
        return Sha256.hex(AttestationCodec.encode(statement));
    }

    /**
     * The signed envelope's bytes: canonical JSON, one line, without a line end. Ed25519 is
     * deterministic, so the same statement and key give the same bytes.
     */
    public static byte[] sign(RunAttestation statement, KeyPair key) {
        return DsseSigner.sign(Envelope.IN_TOTO, AttestationCodec.encode(statement), key).toJson();
    }

    /**
     * Checks an envelope against the trusted key and returns what it states.
     *
     * @throws AttestationException one line: malformed envelope, wrong payload type, signed by
     *                              another key, signature does not verify (a changed byte), or a
     *                              statement that is not a valid run attestation (names the field)
     */
    public static Verified verify(byte[] envelope, PublicKey key) throws AttestationException {
        Envelope e;
        try {
            e = Envelope.parse(envelope);
        } catch (BundleException | RuntimeException ex) {
            throw new AttestationException("malformed envelope: " + ex.getMessage());
        }
        if (!Arrays.equals(e.toJson(), envelope)) {
            throw new AttestationException("malformed envelope: not in its canonical form (re-serialized or edited?)");
        }
        byte[] payload;
        try {
            payload = DsseVerifier.verify(e, Envelope.IN_TOTO, key, "the attestation");
        } catch (BundleException ex) {
            throw new AttestationException(ex.getMessage());
        }
        return new Verified(AttestationCodec.decode(payload), Sha256.hex(payload));
    }
}
