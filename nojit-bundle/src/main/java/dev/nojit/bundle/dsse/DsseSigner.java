package dev.nojit.bundle.dsse;

import dev.nojit.bundle.keys.Ed25519Keys;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.util.List;

/** Signs a payload into a DSSE envelope with Ed25519 (deterministic, so reproducible). */
public final class DsseSigner {
    private DsseSigner() {}

    public static Envelope sign(String payloadType, byte[] payload, KeyPair key) {
        try {
            Signature ed = Signature.getInstance("Ed25519");
            ed.initSign(key.getPrivate());
            ed.update(Pae.encode(payloadType, payload));
            byte[] sig = ed.sign();
            return new Envelope(payloadType, payload, List.of(new Envelope.Signature(Ed25519Keys.keyId(key.getPublic()), sig)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }
}
