package dev.nojit.host.landlock;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Landlock policy: every filesystem right is handled (denied unless a rule grants it), all TCP bind
 * and connect are denied (ABI 4+), abstract unix sockets and signals are scoped to the domain (ABI 6+),
 * and {@code paths} lists what is granted.
 *
 * <p>Text form, for the attestation ("Landlock ABI and rules"): one {@link PathRule#describe()} line per
 * rule, sorted by path, each ending in '\n'. {@link #sha256()} hashes that text in UTF-8.
 */
public record LandlockRules(List<PathRule> paths) {
    public LandlockRules {
        paths = paths.stream().sorted(Comparator.comparing(r -> r.path().toString())).toList();
    }

    public String describe() {
        return paths.stream().map(r -> r.describe() + "\n").collect(Collectors.joining());
    }

    public String sha256() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(describe().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
