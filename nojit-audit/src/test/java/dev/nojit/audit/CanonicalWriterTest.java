package dev.nojit.audit;

import dev.nojit.bundle.json.CanonicalJson;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The direct writer gives exactly what the project's RFC 8785 implementation gives for the same value. */
class CanonicalWriterTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The value as the writer's rules say it is written, as a tree for CanonicalJson. */
    static JsonNode expected(Object v) {
        return switch (v) {
            case null -> NODES.nullNode();
            case String s -> NODES.stringNode(CanonicalWriter.wellFormed(s));
            case Integer i -> NODES.numberNode(i);
            case Long l -> Math.abs(l) <= (1L << 53) ? NODES.numberNode(l) : NODES.stringNode(Long.toString(l));
            case Double d -> Double.isFinite(d) ? NODES.numberNode(d) : NODES.stringNode(d.toString());
            case Boolean b -> NODES.booleanNode(b);
            case Map<?, ?> m -> {
                ObjectNode o = NODES.objectNode();
                m.forEach((k, x) -> {
                    if (x != null) o.set(CanonicalWriter.wellFormed(String.valueOf(k)), expected(x));
                });
                yield o;
            }
            case List<?> l -> {
                ArrayNode a = NODES.arrayNode();
                l.forEach(x -> a.add(expected(x)));
                yield a;
            }
            default -> throw new IllegalArgumentException(v.getClass().toString());
        };
    }

    static String randomString(Random r) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(8)) {
                case 0 -> b.append((char) r.nextInt(0x20));                 // controls
                case 1 -> b.append("\"\\/\u007f\u2028".charAt(r.nextInt(5)));
                case 2 -> b.append((char) (0x80 + r.nextInt(0x780)));       // two-byte UTF-8
                case 3 -> b.append((char) (0x800 + r.nextInt(0xD000)));     // three-byte, below surrogates
                case 4 -> b.appendCodePoint(0x10000 + r.nextInt(0x100000)); // a surrogate pair
                case 5 -> b.append((char) (0xD800 + r.nextInt(0x800)));     // a lone surrogate
                case 6 -> b.append((char) (0xE000 + r.nextInt(0x2000)));     // above the surrogates
                default -> b.append((char) ('a' + r.nextInt(26)));
            }
        }
        return b.toString();
    }

    static Object randomValue(Random r, int depth) {
        int kind = r.nextInt(depth > 3 ? 6 : 8);
        return switch (kind) {
            case 0 -> null;
            case 1 -> randomString(r);
            case 2 -> r.nextInt();
            case 3 -> switch (r.nextInt(4)) {
                case 0 -> r.nextLong();
                case 1 -> (1L << 53) + r.nextInt(3) - 1;
                case 2 -> -(1L << 53) - r.nextInt(3) + 1;
                default -> (long) r.nextInt(1000);
            };
            case 4 -> switch (r.nextInt(5)) {
                case 0 -> Double.NaN;
                case 1 -> r.nextDouble() * Math.pow(10, r.nextInt(60) - 30);
                case 2 -> -0.0;
                case 3 -> (double) r.nextInt(100);
                default -> Double.longBitsToDouble(r.nextLong());
            };
            case 5 -> r.nextBoolean();
            case 6 -> {
                Map<String, Object> m = new LinkedHashMap<>();
                int n = r.nextInt(6);
                for (int i = 0; i < n; i++) m.put(randomString(r), randomValue(r, depth + 1));
                yield m;
            }
            default -> {
                List<Object> l = new ArrayList<>();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) l.add(randomValue(r, depth + 1));
                yield l;
            }
        };
    }

    @Test
    void matchesCanonicalJsonOnGeneratedValues() {
        Random r = new Random(8785);
        int compared = 0;
        for (int i = 0; i < 20_000; i++) {
            Object v = randomValue(r, 0);
            if (v instanceof Map<?, ?> m && hasKeyClash(m)) continue;
            if (v instanceof Double d && Double.isFinite(d) == false) continue;
            byte[] want;
            try {
                want = CanonicalJson.canonicalize(expected(v));
            } catch (IllegalArgumentException e) {
                continue; // a nested key clash after U+FFFD replacement: the writer refuses those (below)
            }
            byte[] got;
            try {
                got = new CanonicalWriter(16).value(v, "v", 1).toBytes();
            } catch (AuditException e) {
                assertThat(e.getMessage()).contains("two keys read");
                continue;
            }
            assertThat(new String(got, StandardCharsets.UTF_8)).as("value #%d", i).isEqualTo(new String(want, StandardCharsets.UTF_8));
            assertThat(got).isEqualTo(want);
            compared++;
        }
        assertThat(compared).isGreaterThan(15_000);
    }

    private static boolean hasKeyClash(Map<?, ?> m) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (e.getValue() != null && !seen.add(CanonicalWriter.wellFormed(String.valueOf(e.getKey())))) return true;
        }
        return false;
    }

    @Test
    void sortsKeysByUtf16CodeUnitsNotCodePoints() {
        // U+10000 is D800 DC00 in UTF-16, below U+E000: RFC 8785 puts it first, code point order would not.
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("\uE000", 1);
        m.put(new String(Character.toChars(0x10000)), 2);
        String got = new String(new CanonicalWriter(16).value(m, "m", 1).toBytes(), StandardCharsets.UTF_8);
        assertThat(got).isEqualTo("{\"" + new String(Character.toChars(0x10000)) + "\":2,\"\uE000\":1}");
    }

    @Test
    void refusesWhatItCannotWriteExactly() {
        Map<Object, Object> clash = new LinkedHashMap<>();
        clash.put(1, "a");
        clash.put("1", "b");
        assertThatThrownBy(() -> new CanonicalWriter(16).value(clash, "m", 1))
                .isInstanceOf(AuditException.class).hasMessageContaining("two keys read \"1\"");
        Object deep = "x";
        for (int i = 0; i < 70; i++) deep = List.of(deep);
        Object tooDeep = deep;
        assertThatThrownBy(() -> new CanonicalWriter(16).value(tooDeep, "d", 1))
                .isInstanceOf(AuditException.class).hasMessageContaining("nested deeper");
        assertThatThrownBy(() -> new CanonicalWriter(16).value(new StringBuilder("x"), "s", 1))
                .isInstanceOf(AuditException.class).hasMessageContaining("unsupported value type java.lang.StringBuilder");
    }
}
