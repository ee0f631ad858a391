package dev.nojit.bundle.dsse;

import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.json.CanonicalJson;
import dev.nojit.bundle.json.StrictObject;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A DSSE v1 envelope:
 * {@code {"payload": base64, "payloadType": "...", "signatures": [{"keyid": "...", "sig": base64}]}}.
 * Written in canonical JSON so that a bundle's bytes are reproducible; base64 is the
 * standard alphabet with padding (RFC 4648 §4), the form DSSE specifies.
 */
public record Envelope(String payloadType, byte[] payload, List<Signature> signatures) {
    /** The payload type of an in-toto statement. */
    public static final String IN_TOTO = "application/vnd.in-toto+json";
    private static final String CONTEXT = "signature envelope";

    public record Signature(String keyid, byte[] sig) {}

    public Envelope {
        signatures = List.copyOf(signatures);
    }

    public byte[] toJson() {
        ObjectNode root = CanonicalJson.mapper().createObjectNode();
        root.put("payload", Base64.getEncoder().encodeToString(payload));
        root.put("payloadType", payloadType);
        ArrayNode sigs = root.putArray("signatures");
        for (Signature s : signatures) {
            ObjectNode o = sigs.addObject();
            o.put("keyid", s.keyid());
            o.put("sig", Base64.getEncoder().encodeToString(s.sig()));
        }
        return CanonicalJson.canonicalize(root);
    }

    public static Envelope parse(byte[] json) throws BundleException {
        JsonNode root;
        try {
            root = CanonicalJson.mapper().readTree(json);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new BundleException("signature envelope is not valid JSON");
        }
        StrictObject o = StrictObject.of(root, "", CONTEXT);
        byte[] payload = base64(o, "payload", o.string("payload"));
        String type = o.string("payloadType");
        List<Signature> sigs = new ArrayList<>();
        List<JsonNode> items = o.array("signatures");
        for (int i = 0; i < items.size(); i++) {
            StrictObject s = StrictObject.of(items.get(i), "signatures[" + i + "]", CONTEXT);
            String keyid = s.optionalString("keyid").orElse("");
            byte[] sig = base64(s, "sig", s.string("sig"));
            s.noOtherMembers();
            sigs.add(new Signature(keyid, sig));
        }
        o.noOtherMembers();
        return new Envelope(type, payload, sigs);
    }

    private static byte[] base64(StrictObject o, String key, String text) throws BundleException {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw o.invalid(key, "is not valid base64");
        }
    }
}
