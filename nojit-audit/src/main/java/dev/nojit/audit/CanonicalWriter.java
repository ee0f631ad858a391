package dev.nojit.audit;

import dev.nojit.bundle.json.CanonicalJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * Writes the plain Java values an {@link AuditEvent} carries straight into RFC 8785 canonical
 * JSON, without building a JSON tree first: recording an event is on the path of every exec and
 * process exit, and a tree plus {@link CanonicalJson} per member costs several times more. The
 * output is byte for byte what {@link CanonicalJson#canonicalize} gives for the same value (a
 * test compares them on generated values, and the verifier re-checks every line with it).
 *
 * <p>Values, chosen so that recording an event can fail only on a programming error, never on
 * an odd value from a guest:
 * <ul>
 *   <li>{@code null} map values are left out; a {@code null} list element is JSON null.</li>
 *   <li>Strings are written as RFC 8785 says (only {@code "}, {@code \} and controls escaped;
 *       UTF-8); a lone surrogate, which has no UTF-8 form, becomes U+FFFD.</li>
 *   <li>Integers ({@code Byte}..{@code Long}, {@code BigInteger}): a number when the magnitude is
 *       at most 2^53 (exact as a double), otherwise the decimal digits as a string (a 64-bit flag
 *       word or address must not be rounded).</li>
 *   <li>{@code Double}/{@code Float}: a number when finite (ECMAScript form, via
 *       {@link CanonicalJson}), otherwise its name as a string.</li>
 *   <li>{@code Boolean}; {@code Map} (keys by {@code String.valueOf}, sorted; two keys with the
 *       same text are an error); {@code Collection}, {@code Object[]}, {@code int[]},
 *       {@code long[]} as arrays; a {@link JsonNode} through {@link CanonicalJson}.</li>
 *   <li>At most {@link CanonicalJson#MAX_DEPTH} levels of nesting, as the verifier's parser allows.</li>
 * </ul>
 * Anything else is refused with {@link AuditException} naming the member.
 */
final class CanonicalWriter {
    private static final long MAX_EXACT = 1L << 53;
    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};

    private byte[] buf;
    private int len;

    CanonicalWriter(int capacity) {
        buf = new byte[capacity];
    }

    byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }

    /** {@code "name":} */
    CanonicalWriter name(String name) {
        string(name);
        put(':');
        return this;
    }

    CanonicalWriter raw(char c) {
        put(c);
        return this;
    }

    CanonicalWriter number(long v) {
        if (-MAX_EXACT <= v && v <= MAX_EXACT) ascii(Long.toString(v));
        else string(Long.toString(v));
        return this;
    }

    /** An RFC 8785 string; lone surrogates become U+FFFD. */
    CanonicalWriter string(String s) {
        int n = s.length();
        // Room for the worst case once: a control character takes 6 bytes, any other char at most 3
        // (a surrogate pair, two chars, takes 4).
        ensure(6L * n + 2);
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20) {
                    if (c == '"' || c == '\\') buf[len++] = '\\';
                    buf[len++] = (byte) c;
                } else {
                    buf[len++] = '\\';
                    switch (c) {
                        case '\b' -> buf[len++] = 'b';
                        case '\t' -> buf[len++] = 't';
                        case '\n' -> buf[len++] = 'n';
                        case '\f' -> buf[len++] = 'f';
                        case '\r' -> buf[len++] = 'r';
                        default -> {
                            buf[len++] = 'u';
                            buf[len++] = '0';
                            buf[len++] = '0';
                            buf[len++] = HEX[c >> 4];
                            buf[len++] = HEX[c & 0xF];
                        }
                    }
                }
                continue;
            }
            int cp = c;
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                cp = Character.toCodePoint(c, s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                cp = 0xFFFD;
            }
            if (cp < 0x800) {
                buf[len++] = (byte) (0xC0 | (cp >> 6));
                buf[len++] = (byte) (0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                buf[len++] = (byte) (0xE0 | (cp >> 12));
                buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[len++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                buf[len++] = (byte) (0xF0 | (cp >> 18));
                buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[len++] = (byte) (0x80 | (cp & 0x3F));
            }
        }
        buf[len++] = '"';
        return this;
    }

    /**
     * Any supported value (see the class comment); {@code where} names it in an error, and
     * {@code depth} is the nesting depth of the object or array that holds it (the event is 1).
     */
    CanonicalWriter value(Object v, String where, int depth) {
        switch (v) {
            case null -> ascii("null");
            case String s -> string(s);
            case Integer i -> ascii(Integer.toString(i));
            case Long l -> number(l);
            case Short s -> ascii(Short.toString(s));
            case Byte b -> ascii(Byte.toString(b));
            case BigInteger b -> {
                if (b.bitLength() <= 53) ascii(b.toString());
                else string(b.toString());
            }
            case Double d -> real(d);
            case Float f -> {
                if (Float.isFinite(f)) real(f.doubleValue());
                else string(f.toString());
            }
            case Boolean b -> ascii(b ? "true" : "false");
            case JsonNode n -> node(n, where);
            case Map<?, ?> m -> object(m, where, depth + 1);
            case Collection<?> c -> {
                open('[', where, depth + 1);
                boolean first = true;
                for (Object o : c) {
                    if (!first) put(',');
                    first = false;
                    value(o, where, depth + 1);
                }
                put(']');
            }
            case Object[] a -> value(Arrays.asList(a), where, depth);
            case long[] a -> value(Arrays.stream(a).boxed().toList(), where, depth);
            case int[] a -> value(Arrays.stream(a).boxed().toList(), where, depth);
            default -> throw new AuditException("audit event member " + where + ": unsupported value type " + v.getClass().getName());
        }
        return this;
    }

    /**
     * A map as an object: null values left out, members sorted by name (UTF-16 code units).
     * {@code depth} is this object's own nesting depth (the event is 1).
     */
    CanonicalWriter object(Map<?, ?> m, String where, int depth) {
        open('{', where, depth);
        String[] keys = new String[m.size()];
        Object[] values = new Object[m.size()];
        int n = 0;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (e.getValue() == null) continue;
            keys[n] = String.valueOf(e.getKey());
            values[n++] = e.getValue();
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        String[] k = keys;
        Arrays.sort(order, (a, b) -> wellFormed(k[a]).compareTo(wellFormed(k[b])));
        for (int i = 0; i < n; i++) {
            String key = keys[order[i]];
            if (i > 0) {
                if (wellFormed(keys[order[i - 1]]).equals(wellFormed(key))) {
                    throw new AuditException("audit event member " + where + ": two keys read \"" + key + "\"");
                }
                put(',');
            }
            name(key);
            value(values[order[i]], where + "." + key, depth);
        }
        put('}');
        return this;
    }

    /** {@code s} as it will be written: lone surrogates replaced by U+FFFD (sorting must see the same). */
    static String wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isSurrogate(c)) continue;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            }
            StringBuilder b = new StringBuilder(s.length());
            for (int j = 0; j < s.length(); j++) {
                char d = s.charAt(j);
                if (Character.isHighSurrogate(d) && j + 1 < s.length() && Character.isLowSurrogate(s.charAt(j + 1))) {
                    b.append(d).append(s.charAt(++j));
                } else {
                    b.append(Character.isSurrogate(d) ? '\uFFFD' : d);
                }
            }
            return b.toString();
        }
        return s;
    }

    private void open(char bracket, String where, int depth) {
        if (depth > CanonicalJson.MAX_DEPTH) {
            throw new AuditException("audit event member " + where + ": nested deeper than " + CanonicalJson.MAX_DEPTH + " levels");
        }
        put(bracket);
    }

    private void real(double d) {
        if (!Double.isFinite(d)) {
            string(Double.toString(d));
            return;
        }
        put(CanonicalJson.canonicalize(JsonNodeFactory.instance.numberNode(d)));
    }

    private void node(JsonNode n, String where) {
        try {
            put(CanonicalJson.canonicalize(n));
        } catch (IllegalArgumentException e) {
            throw new AuditException("audit event member " + where + " has no canonical JSON form: " + e.getMessage());
        }
    }

    private void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) buf[len++] = (byte) s.charAt(i);
    }

    private void put(char c) {
        ensure(1);
        buf[len++] = (byte) c;
    }

    private void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    private void ensure(long extra) {
        long needed = len + extra;
        if (needed <= buf.length) return;
        if (needed > Integer.MAX_VALUE - 16) throw new AuditException("audit event too large to record");
        buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(2L * buf.length, needed)));
    }
}
