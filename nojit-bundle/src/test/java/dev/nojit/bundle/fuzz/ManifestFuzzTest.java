package dev.nojit.bundle.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.manifest.ImageEntry;
import dev.nojit.bundle.manifest.Manifest;
import dev.nojit.bundle.manifest.ManifestCodec;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Arrays;

/**
 * Fuzzes {@link ManifestCodec#decode}: it returns or throws {@link BundleException} (one
 * non-empty line), nothing else. And since decode accepts only the canonical form of a valid
 * manifest, encoding what it returns gives back exactly the input bytes.
 */
@ExtendWith(ReplayTimeout.class)
class ManifestFuzzTest {
    @ManifestDictionary
    @FuzzTest(maxDuration = "2m")
    void decode(byte[] data) throws BundleException {
        Manifest m;
        try {
            m = ManifestCodec.decode(data);
        } catch (BundleException e) {
            FuzzSupport.checkRefusal(e);
            return;
        }
        byte[] again = ManifestCodec.encode(m);
        if (!Arrays.equals(again, data)) {
            throw new AssertionError("decode/encode is not the identity:\n in: " + show(data) + "\nout: " + show(again));
        }
        // What decode returns is a manifest Manifest.of accepts as it is, and lookup finds every entry.
        Manifest.of(m.builder(), m.created(), m.policy(), m.entries());
        for (ImageEntry e : m.entries()) {
            if (!m.lookup(e.path()).map(e::equals).orElse(false)) throw new AssertionError("lookup misses " + e.path());
        }
    }

    private static String show(byte[] b) {
        String s = new String(b, java.nio.charset.StandardCharsets.UTF_8);
        return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
    }
}
