package dev.nojit.bundle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 from the JDK, and the lowercase hex form that names every blob and digest. */
public final class Sha256 {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    private Sha256() {}

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    public static byte[] digest(byte[] data) {
        return newDigest().digest(data);
    }

    public static String hex(byte[] data) {
        return HexFormat.of().formatHex(digest(data));
    }

    public static String toHex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /** True for exactly 64 lowercase hex digits, the only form a digest takes in a bundle. */
    public static boolean isHex(String s) {
        return s != null && HEX.matcher(s).matches();
    }
}
