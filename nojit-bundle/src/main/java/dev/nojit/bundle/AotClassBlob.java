package dev.nojit.bundle;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One class of an executable's AOT code (nojit's AOT engine mode) as the bundle stores it: a blob,
 * content-addressed and listed in the signed manifest beside its module like every other blob. The
 * blob's SHA-256 covers all of these bytes, and the class bytes the run time defines are exactly the
 * last field, so a class is defined only from bytes whose hash the signed manifest lists.
 *
 * <pre>
 *   offset  size  field
 *   0       20    magic: the ASCII bytes "nojit-aot-class-v1" then "\r\n"
 *   20      32    the SHA-256 (raw bytes) of the WebAssembly module the class was translated from
 *   52      2     n: the length of the class's binary name, unsigned big-endian, 1..{@value #MAX_NAME_BYTES}
 *   54      n     the binary name, ASCII: dev.nojit.aot.generated.M&lt;first 16 hex digits of that SHA-256&gt;_&lt;k&gt;
 *   54+n    4     c: the length of the class file, unsigned big-endian, at least 4
 *   58+n    c     the class file (starts with 0xCAFEBABE); nothing follows it
 * </pre>
 *
 * {@link #decode} checks every length against what is left before it reads, and refuses a wrong
 * magic, a name outside the generated package or not naming the header's module, a class file that
 * does not start with the class-file magic, any byte after it, a class file over {@value #MAX_CLASS_BYTES} bytes,
 * and one that links against anything but its module's classes and the engine's AOT interface ({@link AotClassLinks}). Which module a class belongs to is
 * thus part of its signed content: a blob listed for an executable whose header names another module
 * is refused (see {@code BundleReader}).
 */
public final class AotClassBlob {
    /** The manifest's name for this format ({@code module.aot[].format}). */
    public static final String FORMAT = "nojit-aot-class-v1";
    /** The one package generated classes may be in. */
    public static final String PACKAGE = "dev.nojit.aot.generated";
    /** Largest class file accepted (the translator splits a module into classes far smaller). */
    public static final int MAX_CLASS_BYTES = 64 << 20;
    /** Longest binary name accepted (the names the translator gives are far shorter). */
    public static final int MAX_NAME_BYTES = 128;
    static final byte[] MAGIC = (FORMAT + "\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final int SHA_BYTES = 32;
    /** Bytes before the name: magic, module hash, name length. */
    public static final int FIXED_HEADER = MAGIC.length + SHA_BYTES + 2;
    /** Enough of a blob to decode its header whatever the name's length ({@link #header}). */
    public static final int MAX_HEADER = FIXED_HEADER + MAX_NAME_BYTES + 4;
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PACKAGE) + "\\.M([0-9a-f]{16})_(0|[1-9][0-9]{0,8})");

    private AotClassBlob() {}

    /** A blob's header: the module it belongs to and the class it holds. */
    public record Header(String moduleSha256, String className) {
        /** Whether this is the module's entry class ({@code _0}, the one implementing {@code CompiledModule}). */
        public boolean isEntry() {
            return className.endsWith("_0");
        }
    }

    /**
     * A decoded blob: its header, the class file (exactly the blob's last bytes), and the other generated classes
     * it names ({@link AotClassLinks}), which must be classes of the same executable.
     */
    public record Decoded(Header header, byte[] classFile, Set<String> references) {}

    /** Whether {@code name} is a binary name the translator may give a class of the module with this SHA-256. */
    public static boolean isClassNameFor(String name, String moduleSha256) {
        var m = NAME.matcher(name);
        return m.matches() && moduleSha256.startsWith(m.group(1));
    }

    /** The blob for one class; {@code className} must be a generated name for this module. */
    public static byte[] encode(String moduleSha256, String className, byte[] classFile) throws BundleException {
        if (!Sha256.isHex(moduleSha256)) throw new IllegalArgumentException("module sha256 " + moduleSha256);
        if (!isClassNameFor(className, moduleSha256)) {
            throw new BundleException("AOT class name '" + className + "' is not a generated name for module " + moduleSha256
                    + " (" + PACKAGE + ".M<first 16 hex digits>_<n>)");
        }
        if (!hasClassMagic(classFile)) throw new BundleException("AOT class " + className + " is not a class file");
        if (classFile.length > MAX_CLASS_BYTES) throw new BundleException("AOT class " + className + " is over the limit of " + MAX_CLASS_BYTES + " bytes");
        AotClassLinks.check(className, classFile);
        byte[] name = className.getBytes(StandardCharsets.US_ASCII);
        long total = (long) FIXED_HEADER + name.length + 4 + classFile.length;
        if (total > BundleLimits.MAX_BLOB_BYTES) throw new BundleException("AOT class " + className + " is over the blob limit");
        ByteBuffer b = ByteBuffer.allocate((int) total);
        b.put(MAGIC).put(HexFormat.of().parseHex(moduleSha256)).putShort((short) name.length).put(name)
                .putInt(classFile.length).put(classFile);
        return b.array();
    }

    /** The header of a blob, from its first bytes (at most {@link #MAX_HEADER} are needed; more are ignored). */
    public static Header header(byte[] prefix) throws BundleException {
        return parse(prefix, false).header();
    }

    /** The whole blob, every length checked. */
    public static Decoded decode(byte[] blob) throws BundleException {
        return parse(blob, true);
    }

    private static Decoded parse(byte[] bytes, boolean whole) throws BundleException {
        if (bytes.length < FIXED_HEADER) throw malformed("shorter than its header");
        if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) throw malformed("does not start with \"" + FORMAT + "\"");
        String module = HexFormat.of().formatHex(bytes, MAGIC.length, MAGIC.length + SHA_BYTES);
        int nameLength = ((bytes[FIXED_HEADER - 2] & 0xff) << 8) | (bytes[FIXED_HEADER - 1] & 0xff);
        if (nameLength < 1 || nameLength > MAX_NAME_BYTES) throw malformed("class name length " + nameLength + " is not 1.." + MAX_NAME_BYTES);
        if (bytes.length - FIXED_HEADER < nameLength + 4) throw malformed("ends inside its header");
        String name = new String(bytes, FIXED_HEADER, nameLength, StandardCharsets.ISO_8859_1);
        if (!isClassNameFor(name, module)) {
            throw malformed("class name '" + printable(name) + "' is not a generated name for module " + module);
        }
        int at = FIXED_HEADER + nameLength;
        long classLength = ByteBuffer.wrap(bytes, at, 4).getInt() & 0xffffffffL;
        Header header = new Header(module, name);
        if (!whole) return new Decoded(header, null, Set.of());
        at += 4;
        if (classLength != bytes.length - at) {
            throw malformed("class " + name + " declares " + classLength + " bytes but " + (bytes.length - at) + " follow");
        }
        if (classLength > MAX_CLASS_BYTES) throw malformed("class " + name + " is over the limit of " + MAX_CLASS_BYTES + " bytes");
        byte[] classFile = Arrays.copyOfRange(bytes, at, bytes.length);
        if (!hasClassMagic(classFile)) throw malformed("class " + name + " is not a class file (no 0xCAFEBABE)");
        return new Decoded(header, classFile, AotClassLinks.check(name, classFile));
    }

    private static boolean hasClassMagic(byte[] c) {
        return c.length >= 4 && (c[0] & 0xff) == 0xCA && (c[1] & 0xff) == 0xFE && (c[2] & 0xff) == 0xBA && (c[3] & 0xff) == 0xBE;
    }

    /** A name as messages show it: printable ASCII, at most 200 characters. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) b.append(c >= 0x20 && c < 0x7f ? c : '?');
        return b.length() > 200 ? b.substring(0, 200) + "..." : b.toString();
    }

    private static BundleException malformed(String why) {
        return new BundleException("AOT class blob (" + FORMAT + ") " + why);
    }
}
