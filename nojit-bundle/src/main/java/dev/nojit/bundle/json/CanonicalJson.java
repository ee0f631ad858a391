package dev.nojit.bundle.json;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.CharArrayReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): turns a JSON value into the one byte sequence
 * that every conforming implementation produces for it.
 *
 * <h2>Why</h2>
 * A hash or a signature is taken over bytes, but JSON has many spellings of the same value
 * (member order, whitespace, {@code 1.0} vs {@code 1}, <code>"&#92;u0041"</code> vs {@code "A"}).
 * Signing the canonical form makes the signature a property of the value: the signer
 * canonicalizes before hashing, and a reader ({@link #isCanonical(byte[])}) refuses any payload
 * that is not already canonical, so there is exactly one accepted encoding of each signed
 * document (the bundle manifest, the audit-log hash chain) and nothing to smuggle in through
 * alternative spellings.
 *
 * <h2>Output (RFC 8785 §3.2)</h2>
 * <ul>
 *   <li>No whitespace between tokens.</li>
 *   <li>Object members sorted by name, compared as arrays of UTF-16 code units
 *       ({@link String#compareTo} order).</li>
 *   <li>Strings: only {@code "}, {@code \} and U+0000..U+001F are escaped; {@code \b \t \n \f \r}
 *       use their short forms, other controls <code>&#92;u00xx</code> with lowercase hex; everything else
 *       (including U+007F and all non-ASCII) is written literally in UTF-8.</li>
 *   <li>Numbers as ECMAScript {@code Number.prototype.toString} writes the IEEE-754 double:
 *       integral values in plain form, {@code -0} as {@code 0}, otherwise the shortest digits that
 *       round-trip, in plain notation when {@code 1e-7 <= |x| < 1e21} and as
 *       {@code d[.ddd]e±n} outside that range.</li>
 *   <li>{@code true}, {@code false}, {@code null} as literals; UTF-8 output.</li>
 * </ul>
 *
 * <h2>Refused (always {@link IllegalArgumentException})</h2>
 * <ul>
 *   <li>Strings (values or member names) containing a lone surrogate: they have no UTF-8 form.</li>
 *   <li>NaN and infinities (not JSON), decimal numbers that overflow a double, and non-zero
 *       decimals that underflow to zero.</li>
 *   <li>Integer numbers (integer tokens, {@code int}/{@code long}/{@code BigInteger} nodes) whose
 *       value the canonical form would change: RFC 8785 silently rounds them to the nearest
 *       double, which for a size or a counter means signing a different number than the one
 *       meant. Every integer of magnitude up to 2<sup>53</sup> is exact. Above that, an integer is
 *       accepted only if it is numerically equal to its own canonical text (for example
 *       {@code 295147905179352830000}, the canonical form of the double 2<sup>68</sup>, so that
 *       canonical output always reads back as canonical), and refused otherwise (for example
 *       {@code 9007199254740993}, or 2<sup>64</sup>, whose canonical text would be
 *       {@code 18446744073709552000}). Tokens with a fraction or exponent (such as
 *       {@code 333333333.33333329} or {@code 1E30}) are rounded to the nearest double as the RFC
 *       specifies.</li>
 *   <li>Nesting deeper than {@link #MAX_DEPTH} arrays/objects, so hostile input cannot exhaust
 *       the stack (the parser stops at that depth, and the serializer checks it too for trees
 *       built in code).</li>
 *   <li>When parsing ({@link #canonicalize(byte[])}): anything that is not a single strict JSON
 *       text in UTF-8: malformed UTF-8, a byte-order mark, duplicate member names, trailing
 *       content, comments, NaN literals and other Jackson leniencies.</li>
 * </ul>
 *
 * <p>The serializer writes straight into one growing byte array (linear in the output size), so it
 * is fit for multi-megabyte manifests. The class is stateless and thread-safe.
 */
public final class CanonicalJson {
    /**
     * Maximum nesting depth of arrays and objects (the outermost container is depth 1), both for
     * parsing and for serializing. Signed documents in this project nest a handful of levels.
     */
    public static final int MAX_DEPTH = 64;

    /** 2^53: the largest magnitude up to which every integer is exactly a double. */
    private static final long MAX_EXACT_INTEGER = 1L << 53;

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private static final JsonMapper MAPPER = JsonMapper.builder(
                    JsonFactory.builder()
                            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                            .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private CanonicalJson() {
    }

    /**
     * The project's shared strict JSON mapper: duplicate member names and trailing content are
     * errors, nesting is limited to {@link #MAX_DEPTH}, and non-integer numbers are read as
     * {@link BigDecimal} (exact) so that {@link #canonicalize(JsonNode)} decides how they map to
     * doubles. Mappers are immutable in Jackson 3, so the instance is safe to share.
     *
     * <p>Reading {@code byte[]} through it lets Jackson guess the encoding (UTF-16/32 too);
     * callers that need "UTF-8 or nothing" should also check {@link #isCanonical(byte[])} or use
     * {@link #canonicalize(byte[])}, which decodes strictly as UTF-8 first.
     */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    /**
     * The RFC 8785 canonical form of {@code node}, as UTF-8 bytes.
     *
     * @throws IllegalArgumentException if the value has no canonical form here (see the class
     *         documentation: lone surrogates, NaN/infinite or out-of-range numbers, integers above
     *         2^53 that a double would round, nesting deeper than {@link #MAX_DEPTH}, non-JSON node types)
     */
    public static byte[] canonicalize(JsonNode node) {
        Objects.requireNonNull(node, "node");
        Out out = new Out(256);
        write(node, out, 0);
        return out.toByteArray();
    }

    /**
     * Parses {@code json} strictly (see the class documentation) and returns its canonical form.
     *
     * @throws IllegalArgumentException if the input is not a single strict JSON text in UTF-8 or
     *         its value has no canonical form; the message is one short line (parser detail
     *         is cut to 160 characters and never includes the source document)
     */
    public static byte[] canonicalize(byte[] json) {
        Objects.requireNonNull(json, "json");
        JsonNode root = parse(json);
        Out out = new Out(json.length + 16);
        write(root, out, 0);
        return out.toByteArray();
    }

    /**
     * Whether {@code json} is exactly its own canonical form. False for anything
     * {@link #canonicalize(byte[])} refuses.
     */
    public static boolean isCanonical(byte[] json) {
        Objects.requireNonNull(json, "json");
        try {
            return Arrays.equals(json, canonicalize(json));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- parsing

    private static JsonNode parse(byte[] json) {
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(json));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("invalid JSON: not well-formed UTF-8");
        }
        if (chars.hasRemaining() && chars.get(chars.position()) == '\uFEFF') {
            throw new IllegalArgumentException("invalid JSON: byte order mark");
        }
        JsonNode root;
        // Parse characters, not bytes: Jackson would otherwise sniff UTF-16/UTF-32 from NUL bytes.
        try (CharArrayReader reader = new CharArrayReader(chars.array(), chars.arrayOffset() + chars.position(), chars.remaining())) {
            root = MAPPER.readTree(reader);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("invalid JSON: " + shortMessage(e));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            // Hostile input must never surface as anything but IllegalArgumentException.
            throw new IllegalArgumentException("invalid JSON: " + e.getClass().getSimpleName());
        }
        if (root == null || root.isMissingNode()) {
            throw new IllegalArgumentException("invalid JSON: no value");
        }
        return root;
    }

    private static String shortMessage(JacksonException e) {
        String m = e.getOriginalMessage();
        if (m == null || m.isBlank()) return e.getClass().getSimpleName();
        int nl = m.indexOf('\n');
        if (nl >= 0) m = m.substring(0, nl);
        return m.length() > 160 ? m.substring(0, 160) + "..." : m;
    }

    // ---------------------------------------------------------------- serialization

    private static void write(JsonNode node, Out out, int depth) {
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(node, out, depth + 1);
            case ARRAY -> writeArray(node, out, depth + 1);
            case STRING -> writeString(node.stringValue(), out);
            case NUMBER -> writeNumber(node, out);
            case BOOLEAN -> out.ascii(node.booleanValue() ? "true" : "false");
            case NULL -> out.ascii("null");
            default -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        }
    }

    private static void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private static void writeObject(JsonNode node, Out out, int depth) {
        checkDepth(depth);
        String[] names = node.propertyNames().toArray(new String[0]);
        // String.compareTo compares UTF-16 code units, exactly the order RFC 8785 §3.2.3 asks for.
        Arrays.sort(names);
        out.put('{');
        for (int i = 0; i < names.length; i++) {
            if (i > 0) out.put(',');
            writeString(names[i], out);
            out.put(':');
            write(node.get(names[i]), out, depth);
        }
        out.put('}');
    }

    private static void writeArray(JsonNode node, Out out, int depth) {
        checkDepth(depth);
        out.put('[');
        boolean first = true;
        for (JsonNode element : node) {
            if (!first) out.put(',');
            first = false;
            write(element, out, depth);
        }
        out.put(']');
    }

    /** RFC 8785 §3.2.2.2 string serialization, UTF-8 encoded. */
    private static void writeString(String s, Out out) {
        int len = s.length();
        out.ensure(len + 2);
        out.put('"');
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            out.ensure(6);
            if (c < 0x80) {
                if (c >= 0x20) {
                    if (c == '"' || c == '\\') out.putUnchecked('\\');
                    out.putUnchecked(c);
                } else {
                    out.putUnchecked('\\');
                    switch (c) {
                        case '\b' -> out.putUnchecked('b');
                        case '\t' -> out.putUnchecked('t');
                        case '\n' -> out.putUnchecked('n');
                        case '\f' -> out.putUnchecked('f');
                        case '\r' -> out.putUnchecked('r');
                        default -> {
                            out.putUnchecked('u');
                            out.putUnchecked('0');
                            out.putUnchecked('0');
                            out.putUnchecked(HEX[c >> 4]);
                            out.putUnchecked(HEX[c & 0xF]);
                        }
                    }
                }
            } else if (c < 0x800) {
                out.putUnchecked(0xC0 | (c >> 6));
                out.putUnchecked(0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                char low;
                if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(low = s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, low);
                    out.putUnchecked(0xF0 | (cp >> 18));
                    out.putUnchecked(0x80 | ((cp >> 12) & 0x3F));
                    out.putUnchecked(0x80 | ((cp >> 6) & 0x3F));
                    out.putUnchecked(0x80 | (cp & 0x3F));
                    i++;
                } else {
                    throw new IllegalArgumentException(
                            "string contains a lone surrogate U+" + Integer.toHexString(c).toUpperCase() + " at index " + i);
                }
            } else {
                out.putUnchecked(0xE0 | (c >> 12));
                out.putUnchecked(0x80 | ((c >> 6) & 0x3F));
                out.putUnchecked(0x80 | (c & 0x3F));
            }
        }
        out.ensure(1);
        out.putUnchecked('"');
    }

    private static void writeNumber(JsonNode node, Out out) {
        Number n = node.numberValue();
        switch (n) {
            case null -> throw new IllegalArgumentException("number node without a value");
            case Integer i -> out.ascii(Integer.toString(i));
            case Short sh -> out.ascii(Short.toString(sh));
            case Byte b -> out.ascii(Byte.toString(b));
            case Long l -> {
                if (-MAX_EXACT_INTEGER <= l && l <= MAX_EXACT_INTEGER) out.ascii(Long.toString(l));
                else writeLargeInteger(BigInteger.valueOf(l), out);
            }
            case BigInteger b -> {
                if (b.bitLength() <= 53) out.ascii(b.toString());
                else writeLargeInteger(b, out);
            }
            case BigDecimal d -> writeDouble(decimalToDouble(d), out);
            case Double d -> writeDouble(d, out);
            case Float f -> writeDouble(f.doubleValue(), out);
            default -> throw new IllegalArgumentException("unsupported number type " + n.getClass().getSimpleName());
        }
    }

    /**
     * An integer of magnitude above 2^53 is written only if its canonical text (that of the nearest
     * double) denotes the very same integer; anything else would be silently rounded.
     */
    private static void writeLargeInteger(BigInteger b, Out out) {
        double v = b.doubleValue(); // round to nearest, like parsing the integer as a double
        if (Double.isFinite(v)) {
            Out text = new Out(32);
            writeDouble(v, text);
            String canonical = new String(text.buf, 0, text.len, StandardCharsets.US_ASCII);
            if (new BigDecimal(canonical).compareTo(new BigDecimal(b)) == 0) {
                out.ascii(canonical);
                return;
            }
        }
        throw new IllegalArgumentException(
                "integer beyond 2^53 that an IEEE-754 double cannot carry exactly (it would be rounded)");
    }

    /** The double a decimal denotes (round to nearest), refusing overflow and total underflow. */
    private static double decimalToDouble(BigDecimal d) {
        double v = d.doubleValue();
        if (Double.isInfinite(v)) {
            throw new IllegalArgumentException("number out of the IEEE-754 double range");
        }
        if (v == 0 && d.signum() != 0) {
            throw new IllegalArgumentException("non-zero number underflows to zero as an IEEE-754 double");
        }
        return v;
    }

    /** ECMAScript Number::toString (ECMA-262 §7.1.12.1 / Number::toString), as RFC 8785 §3.2.2.3 requires. */
    private static void writeDouble(double v, Out out) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("NaN and Infinity are not JSON numbers");
        }
        if (v == 0) {
            out.put('0'); // both +0 and -0
            return;
        }
        if (v < 0) {
            out.put('-');
            v = -v;
        }
        if (v <= MAX_EXACT_INTEGER && v == Math.rint(v)) {
            out.ascii(Long.toString((long) v));
            return;
        }
        Decimal dec = shortest(v);
        layout(dec.digits, dec.k, dec.n, out);
    }

    /**
     * Digits s (k of them, no trailing zero) and the exponent n such that s * 10^(n-k) is the
     * shortest decimal that rounds to v, the closest to v among those (ties: even s).
     */
    private record Decimal(byte[] digits, int k, int n) {
    }

    private static Decimal shortest(double v) {
        // Since JDK 19, Double.toString gives the shortest round-tripping decimal closest to v,
        // except that when one digit would do it may pick a closer two-digit decimal (it prints
        // 4.9E-324 where ECMAScript prints 5e-324); that case is corrected below.
        String js = Double.toString(v);
        byte[] digits = new byte[js.length()];
        int k = 0;
        int fracLen = 0;
        int exp10 = 0;
        boolean inFraction = false;
        for (int i = 0; i < js.length(); i++) {
            char c = js.charAt(i);
            if (c == 'E') {
                exp10 = Integer.parseInt(js, i + 1, js.length(), 10);
                break;
            }
            if (c == '.') {
                inFraction = true;
                continue;
            }
            if (inFraction) fracLen++;
            if (k == 0 && c == '0') continue; // leading zeros carry no value
            digits[k++] = (byte) c;
        }
        int e = exp10 - fracLen; // v = digits * 10^e
        while (k > 1 && digits[k - 1] == '0') {
            k--;
            e++;
        }
        if (k == 2) {
            int s = (digits[0] - '0') * 10 + (digits[1] - '0');
            int best = -1;
            int bestExp = 0;
            BigDecimal bestDistance = null;
            for (int c = s / 10; c <= s / 10 + 1; c++) {
                int candidate = c;
                int candidateExp = e + 1;
                if (candidate == 10) {
                    candidate = 1;
                    candidateExp++;
                }
                if (Double.parseDouble(candidate + "E" + candidateExp) != v) continue;
                BigDecimal distance = new BigDecimal(v).subtract(BigDecimal.valueOf(candidate, -candidateExp)).abs();
                int cmp = bestDistance == null ? -1 : distance.compareTo(bestDistance);
                if (cmp < 0 || (cmp == 0 && candidate % 2 == 0)) {
                    best = candidate;
                    bestExp = candidateExp;
                    bestDistance = distance;
                }
            }
            if (best >= 0) {
                digits[0] = (byte) ('0' + best);
                k = 1;
                e = bestExp;
            }
        }
        return new Decimal(digits, k, e + k);
    }

    /** The layout steps of ECMAScript Number::toString for a positive value s * 10^(n-k). */
    private static void layout(byte[] digits, int k, int n, Out out) {
        out.ensure(k + 30);
        if (k <= n && n <= 21) {
            out.put(digits, 0, k);
            for (int i = 0; i < n - k; i++) out.putUnchecked('0');
        } else if (0 < n && n <= 21) {
            out.put(digits, 0, n);
            out.putUnchecked('.');
            out.put(digits, n, k - n);
        } else if (-6 < n && n <= 0) {
            out.putUnchecked('0');
            out.putUnchecked('.');
            for (int i = 0; i < -n; i++) out.putUnchecked('0');
            out.put(digits, 0, k);
        } else {
            out.putUnchecked(digits[0]);
            if (k > 1) {
                out.putUnchecked('.');
                out.put(digits, 1, k - 1);
            }
            out.putUnchecked('e');
            out.putUnchecked(n - 1 >= 0 ? '+' : '-');
            out.ascii(Integer.toString(Math.abs(n - 1)));
        }
    }

    /** A growable byte buffer; amortized linear in the bytes written. */
    private static final class Out {
        private byte[] buf;
        private int len;

        Out(int initialCapacity) {
            buf = new byte[Math.max(16, initialCapacity)];
        }

        void ensure(int extra) {
            int needed = len + extra;
            if (needed < 0) throw new IllegalArgumentException("canonical JSON too large");
            if (needed > buf.length) {
                long grown = Math.max((long) buf.length * 2, needed);
                buf = Arrays.copyOf(buf, (int) Math.min(grown, Integer.MAX_VALUE - 16));
                if (needed > buf.length) throw new IllegalArgumentException("canonical JSON too large");
            }
        }

        void putUnchecked(int b) {
            buf[len++] = (byte) b;
        }

        void put(int b) {
            ensure(1);
            buf[len++] = (byte) b;
        }

        void put(byte[] src, int off, int n) {
            ensure(n);
            System.arraycopy(src, off, buf, len, n);
            len += n;
        }

        /** Appends an ASCII-only string. */
        void ascii(String s) {
            int n = s.length();
            ensure(n);
            for (int i = 0; i < n; i++) buf[len++] = (byte) s.charAt(i);
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, len);
        }
    }
}
