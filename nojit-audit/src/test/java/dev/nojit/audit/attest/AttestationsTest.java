package dev.nojit.audit.attest;

import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.dsse.DsseSigner;
import dev.nojit.bundle.dsse.Envelope;
import dev.nojit.bundle.json.CanonicalJson;
import dev.nojit.bundle.keys.Ed25519Keys;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DSSE signing and checking of one statement: every way a forged or damaged envelope fails, with its message. */
class AttestationsTest {
    static final KeyPair KEY = Ed25519Keys.fromSeed(new byte[32]);
    static final KeyPair OTHER = Ed25519Keys.fromSeed("another key, another signer....".concat("!").getBytes(StandardCharsets.US_ASCII));
    static final RunAttestation START = AttestationCodecTest.START;

    @Test
    void signedStatementVerifiesAndItsDigestIsTheSha256OfThePayload() throws Exception {
        byte[] envelope = Attestations.sign(START, KEY);
        Attestations.Verified v = Attestations.verify(envelope, KEY.getPublic());
        assertThat(v.statement()).isEqualTo(START);
        assertThat(v.digest()).isEqualTo(Sha256.hex(AttestationCodec.encode(START))).isEqualTo(Attestations.digest(START));
        Envelope e = Envelope.parse(envelope);
        assertThat(e.payloadType()).isEqualTo("application/vnd.in-toto+json");
        assertThat(e.signatures()).singleElement().extracting(Envelope.Signature::keyid).isEqualTo(Ed25519Keys.keyId(KEY.getPublic()));
        assertThat(Attestations.sign(START, KEY)).as("Ed25519 is deterministic").isEqualTo(envelope);
        assertThat(new String(envelope, StandardCharsets.UTF_8)).doesNotContain("\n");
    }

    @Test
    void wrongKeyIsRefused() {
        byte[] envelope = Attestations.sign(START, KEY);
        assertThatThrownBy(() -> Attestations.verify(envelope, OTHER.getPublic()))
                .isInstanceOf(AttestationException.class).hasMessageStartingWith("not signed by the given public key (keyid ");
    }

    @Test
    void everySingleFlippedByteIsRefused() {
        byte[] envelope = Attestations.sign(START, KEY);
        for (int i = 0; i < envelope.length; i++) {
            for (int bit : new int[] {0x01, 0x20}) {
                byte[] bad = envelope.clone();
                bad[i] ^= (byte) bit;
                int at = i;
                assertThatThrownBy(() -> Attestations.verify(bad, KEY.getPublic())).as("byte %d ^ %x", at, bit)
                        .isInstanceOf(AttestationException.class)
                        .message().satisfiesAnyOf(
                                m -> assertThat(m).startsWith("malformed envelope: "),
                                m -> assertThat(m).startsWith("not signed by the given public key"),
                                m -> assertThat(m).isEqualTo("signature does not verify: the attestation or its signature was altered"),
                                m -> assertThat(m).startsWith("signature envelope has payloadType"));
            }
        }
    }

    @Test
    void aFlippedByteInThePayloadIsASignatureFailure() throws Exception {
        Envelope e = Envelope.parse(Attestations.sign(START, KEY));
        byte[] payload = e.payload().clone();
        int at = new String(payload, StandardCharsets.UTF_8).indexOf("\"strict\"") + 1;
        payload[at] = 'S';
        byte[] forged = new Envelope(e.payloadType(), payload, e.signatures()).toJson();
        assertThatThrownBy(() -> Attestations.verify(forged, KEY.getPublic()))
                .hasMessage("signature does not verify: the attestation or its signature was altered");
    }

    @Test
    void aSignedStatementOfAnotherKindIsRefusedAfterTheSignatureChecks() throws Exception {
        ObjectNode root = (ObjectNode) CanonicalJson.mapper().readTree(AttestationCodec.encode(START));
        root.put("predicateType", "https://slsa.dev/provenance/v1");
        byte[] envelope = DsseSigner.sign(Envelope.IN_TOTO, CanonicalJson.canonicalize(root), KEY).toJson();
        assertThatThrownBy(() -> Attestations.verify(envelope, KEY.getPublic()))
                .hasMessage("attestation: predicateType is 'https://slsa.dev/provenance/v1', not https://nojit.dev/attestation/run/v1 (not a nojit run attestation)");

        byte[] wrongType = DsseSigner.sign("text/plain", AttestationCodec.encode(START), KEY).toJson();
        assertThatThrownBy(() -> Attestations.verify(wrongType, KEY.getPublic()))
                .hasMessage("signature envelope has payloadType 'text/plain', expected 'application/vnd.in-toto+json'");
    }

    @Test
    void malformedEnvelopesAreOneLineFailures() {
        assertThatThrownBy(() -> Attestations.verify("not json".getBytes(StandardCharsets.UTF_8), KEY.getPublic()))
                .hasMessage("malformed envelope: signature envelope is not valid JSON");
        String spaced = new String(Attestations.sign(START, KEY), StandardCharsets.UTF_8).replaceFirst("\",\"payloadType", "\", \"payloadType");
        assertThatThrownBy(() -> Attestations.verify(spaced.getBytes(StandardCharsets.UTF_8), KEY.getPublic()))
                .hasMessage("malformed envelope: not in its canonical form (re-serialized or edited?)");
    }
}
