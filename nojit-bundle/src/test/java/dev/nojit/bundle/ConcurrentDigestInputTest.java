package dev.nojit.bundle;

import dev.nojit.bundle.keys.Ed25519Keys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrentDigestInputTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4096, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 5 * (1 << 20) + 12345})
    void returnsEveryByteAndHashesExactlyThem(int length) throws Exception {
        byte[] data = new byte[length];
        new Random(length).nextBytes(data);
        for (long hint : new long[] {length, -1}) {
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            Random sizes = new Random(7);
            try (ConcurrentDigestInput in = new ConcurrentDigestInput(new ByteArrayInputStream(data), hint)) {
                byte[] buf = new byte[70_000];
                for (int n; (n = in.read(buf, 0, 1 + sizes.nextInt(buf.length))) >= 0; ) seen.write(buf, 0, n);
                assertThat(in.read()).isEqualTo(-1);
                assertThat(Sha256.toHex(in.digest())).isEqualTo(Sha256.hex(data));
            }
            assertThat(seen.toByteArray()).isEqualTo(data);
        }
    }

    @Test
    void aMultiMegabyteBundleVerifiesWithTheRightMegabinaryDigest() throws Exception {
        byte[] big = new byte[7 * (1 << 20) + 3];
        new Random(1).nextBytes(big);
        Files.write(dir.resolve("big.bin"), big);
        var key = Ed25519Keys.generate();
        Path out = dir.resolve("big.nojit");
        new BundleBuilder().created(java.time.Instant.EPOCH).file("/data/big.bin", dir.resolve("big.bin")).build(key, out);
        try (VerifiedBundle b = BundleReader.open(out, key.getPublic())) {
            assertThat(b.megabinarySha256()).isEqualTo(Sha256.hex(Files.readAllBytes(out)));
            assertThat(b.readBlob(Sha256.hex(big))).isEqualTo(big);
        }
    }
}
