package dev.nojit.bundle.dsse;

import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.keys.Ed25519Keys;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;

/**
 * Checks a DSSE envelope against one trusted Ed25519 public key. It succeeds only if the
 * payload type is the expected one and a signature whose keyid names that key verifies
 * over the pre-authentication encoding. Signatures by other keys are ignored, never trusted.
 */
public final class DsseVerifier {
    private DsseVerifier() {}

    /** Returns the verified payload (a manifest: messages say so). */
    public static byte[] verify(Envelope envelope, String expectedType, PublicKey key) throws BundleException {
        return verify(envelope, expectedType, key, "the manifest");
    }

    /**
     * Returns the verified payload.
     *
     * @param document what the payload is, for the message when it does not verify ("the manifest", "the attestation")
     */
    public static byte[] verify(Envelope envelope, String expectedType, PublicKey key, String document) throws BundleException {
        requirePayloadType(envelope, expectedType);
        if (envelope.signatures().isEmpty()) throw new BundleException("signature envelope has no signatures");
        String keyid = Ed25519Keys.keyId(key);
        byte[] pae = Pae.encode(envelope.payloadType(), envelope.payload());
        boolean byThisKey = false;
        for (Envelope.Signature s : envelope.signatures()) {
            if (!s.keyid().equals(keyid)) continue;
            byThisKey = true;
            if (verifies(key, pae, s.sig())) return envelope.payload();
        }
        throw new BundleException(byThisKey
                ? "signature does not verify: " + document + " or its signature was altered"
                : "not signed by the given public key (keyid " + keyid.substring(0, 16) + "...)");
    }

    /** Refuses an envelope whose payload is declared to be something other than expected. */
    public static void requirePayloadType(Envelope envelope, String expectedType) throws BundleException {
        if (!expectedType.equals(envelope.payloadType())) {
            throw new BundleException("signature envelope has payloadType '" + envelope.payloadType() + "', expected '" + expectedType + "'");
        }
    }

    private static boolean verifies(PublicKey key, byte[] pae, byte[] sig) {
        try {
            Signature ed = Signature.getInstance("Ed25519");
            ed.initVerify(key);
            ed.update(pae);
            return ed.verify(sig);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false; // a malformed signature is simply not a valid one
        }
    }
}
