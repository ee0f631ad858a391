package dev.nojit.audit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Turns the plain Java values an {@link AuditEvent} carries (its details, a syscall's decoded
 * arguments) into JSON that always has an RFC 8785 canonical form, so that recording an event
 * can only fail on I/O, never on an odd value:
 *
 * <ul>
 *   <li>{@code null} map values are left out; a {@code null} list element is JSON null.</li>
 *   <li>Strings: a lone surrogate (no UTF-8 form) becomes U+FFFD.</li>
 *   <li>Integers ({@code Byte}..{@code Long}, {@code BigInteger}): a number when its magnitude is at
 *       most 2^53 (exact as a double), otherwise its decimal digits as a string (a 64-bit flag word
 *       or address must not be rounded).</li>
 *   <li>{@code Double}/{@code Float}: a number when finite, otherwise its name as a string.</li>
 *   <li>{@code Boolean}; {@code Map} (keys by {@code String.valueOf}); {@code Collection},
 *       {@code Object[]}, {@code int[]}, {@code long[]} as arrays; a {@link JsonNode} as itself.</li>
 * </ul>
 *
 * Anything else is a programming error in the caller: {@link AuditException} naming the member.
 */
final class JsonValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final long MAX_EXACT = 1L << 53;

    private JsonValues() {}

    static JsonNode node(Object value, String where) {
        return switch (value) {
            case null -> NODES.nullNode();
            case String s -> NODES.stringNode(wellFormed(s));
            case Integer i -> NODES.numberNode(i);
            case Long l -> -MAX_EXACT <= l && l <= MAX_EXACT ? NODES.numberNode(l) : NODES.stringNode(Long.toString(l));
            case Short s -> NODES.numberNode(s.intValue());
            case Byte b -> NODES.numberNode(b.intValue());
            case BigInteger b -> b.bitLength() <= 53 ? NODES.numberNode(b.longValueExact()) : NODES.stringNode(b.toString());
            case Double d -> Double.isFinite(d) ? NODES.numberNode(d) : NODES.stringNode(d.toString());
            case Float f -> Float.isFinite(f) ? NODES.numberNode(f.doubleValue()) : NODES.stringNode(f.toString());
            case Boolean b -> NODES.booleanNode(b);
            case JsonNode n -> n;
            case Map<?, ?> m -> object(m, where);
            case Collection<?> c -> {
                ArrayNode a = NODES.arrayNode(c.size());
                for (Object o : c) a.add(node(o, where));
                yield a;
            }
            case Object[] arr -> {
                ArrayNode a = NODES.arrayNode(arr.length);
                for (Object o : arr) a.add(node(o, where));
                yield a;
            }
            case long[] arr -> {
                ArrayNode a = NODES.arrayNode(arr.length);
                for (long l : arr) a.add(node(l, where));
                yield a;
            }
            case int[] arr -> {
                ArrayNode a = NODES.arrayNode(arr.length);
                for (int i : arr) a.add(i);
                yield a;
            }
            default -> throw new AuditException("audit event member " + where + ": unsupported value type "
                    + value.getClass().getName());
        };
    }

    static ObjectNode object(Map<?, ?> map, String where) {
        ObjectNode o = NODES.objectNode();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getValue() == null) continue;
            String key = wellFormed(String.valueOf(e.getKey()));
            o.set(key, node(e.getValue(), where + "." + key));
        }
        return o;
    }

    /** {@code s} with every lone surrogate replaced by U+FFFD (the string then has a UTF-8 form). */
    static String wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) return replaceLoneSurrogates(s);
        }
        return s;
    }

    private static String replaceLoneSurrogates(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else {
                b.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return b.toString();
    }
}
