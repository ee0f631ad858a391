package dev.nojit.bundle.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nojit.bundle.json.CanonicalJson;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fuzzes {@link CanonicalJson}: {@code canonicalize(byte[])} either returns or throws
 * {@link IllegalArgumentException} with a one-line message. What it returns is canonical:
 * canonicalizing it again is the identity, {@code isCanonical} holds of it, the input is canonical
 * exactly when it equals its output, and the tree path ({@code mapper().readTree} then
 * {@code canonicalize(JsonNode)}) gives the same bytes.
 */
@ExtendWith(ReplayTimeout.class)
class CanonicalJsonFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void canonicalize(byte[] data) {
        byte[] out;
        try {
            out = CanonicalJson.canonicalize(data);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            if (m == null || m.isBlank() || m.indexOf('\n') >= 0 || m.indexOf('\r') >= 0) {
                throw new AssertionError("refusal message is not one non-empty line: " + m, e);
            }
            if (CanonicalJson.isCanonical(data)) throw new AssertionError("isCanonical holds of input canonicalize refuses");
            return;
        }
        byte[] again;
        try {
            again = CanonicalJson.canonicalize(out);
        } catch (IllegalArgumentException e) {
            throw new AssertionError("canonical output is refused when read back: " + e.getMessage() + "\nout: " + show(out), e);
        }
        if (!Arrays.equals(again, out)) throw new AssertionError("canonicalize is not idempotent:\n 1: " + show(out) + "\n 2: " + show(again));
        if (!CanonicalJson.isCanonical(out)) throw new AssertionError("isCanonical is false of canonical output " + show(out));
        if (CanonicalJson.isCanonical(data) != Arrays.equals(data, out)) throw new AssertionError("isCanonical(input) disagrees with canonicalize");
        byte[] viaTree = CanonicalJson.canonicalize(CanonicalJson.mapper().readTree(out));
        if (!Arrays.equals(viaTree, out)) throw new AssertionError("tree path differs:\n bytes: " + show(out) + "\n  tree: " + show(viaTree));
    }

    private static String show(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
    }
}
