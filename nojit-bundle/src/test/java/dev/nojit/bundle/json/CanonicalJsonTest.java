package dev.nojit.bundle.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CanonicalJsonTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String canon(String json) {
        return new String(CanonicalJson.canonicalize(utf8(json)), StandardCharsets.UTF_8);
    }

    private static String canon(JsonNode node) {
        return new String(CanonicalJson.canonicalize(node), StandardCharsets.UTF_8);
    }

    private static String canonDouble(double d) {
        return canon(NODES.numberNode(d));
    }

    // ------------------------------------------------------------ numbers: RFC 8785 Appendix B

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0000000000000000, 0",
            "8000000000000000, 0",
            "0000000000000001, 5e-324",
            "8000000000000001, -5e-324",
            "7fefffffffffffff, 1.7976931348623157e+308",
            "ffefffffffffffff, -1.7976931348623157e+308",
            "4340000000000000, 9007199254740992",
            "c340000000000000, -9007199254740992",
            "4430000000000000, 295147905179352830000",
            "44b52d02c7e14af5, 9.999999999999997e+22",
            "44b52d02c7e14af6, 1e+23",
            "44b52d02c7e14af7, 1.0000000000000001e+23",
            "444b1ae4d6e2ef4e, 999999999999999700000",
            "444b1ae4d6e2ef4f, 999999999999999900000",
            "444b1ae4d6e2ef50, 1e+21",
            "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
            "3eb0c6f7a0b5ed8d, 0.000001",
            "41b3de4355555553, 333333333.3333332",
            "41b3de4355555554, 333333333.33333325",
            "41b3de4355555555, 333333333.3333333",
            "41b3de4355555556, 333333333.3333334",
            "41b3de4355555557, 333333333.33333343",
            "becbf647612f3696, -0.0000033333333333333333",
            "43143ff3c1cb0959, 1424953923781206.2",
    })
    void appendixBNumbers(String ieee754, String expected) {
        double d = Double.longBitsToDouble(HexFormat.fromHexDigitsToLong(ieee754));
        assertThat(canonDouble(d)).isEqualTo(expected);
        // The canonical text reads back to the very same double, and our own reader accepts it
        // as canonical (this includes integral doubles beyond 2^53 such as 295147905179352830000).
        assertThat(Double.parseDouble(expected)).isEqualTo(d == 0 ? 0.0 : d);
        assertThat(CanonicalJson.isCanonical(utf8(expected))).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"7fffffffffffffff", "7ff0000000000000", "fff0000000000000", "7ff8000000000001"})
    void appendixBNanAndInfinityAreRefused(String ieee754) {
        double d = Double.longBitsToDouble(HexFormat.fromHexDigitsToLong(ieee754));
        assertThat(Double.isFinite(d)).isFalse();
        assertThatThrownBy(() -> CanonicalJson.canonicalize(NODES.numberNode(d)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.canonicalize(NODES.numberNode((float) d)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "1e-7, 1e-7",
            "1.5e-7, 1.5e-7",
            "1.0000001e-7, 1.0000001e-7",
            "9.9e-7, 9.9e-7",
            "1e-6, 0.000001",
            "1.5e-6, 0.0000015",
            "0.1, 0.1",
            "0.25, 0.25",
            "-1.5, -1.5",
            "123.456, 123.456",
            "1e20, 100000000000000000000",
            "1e21, 1e+21",
            "1.5e21, 1.5e+21",
            "-1e300, -1e+300",
            "2e-323, 2e-323",
            "9.9e-324, 1e-323",
            "4294967296.5, 4294967296.5",
            "9007199254740994, 9007199254740994",
    })
    void ecmascriptLayout(double d, String expected) {
        assertThat(canonDouble(d)).isEqualTo(expected);
    }

    @Test
    void floatNodesAreWidenedToDouble() {
        assertThat(canon(NODES.numberNode(0.5f))).isEqualTo("0.5");
        assertThat(canon(NODES.numberNode(0.1f))).isEqualTo("0.10000000149011612");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "0 | 0",
            "-0 | 0",
            "-0.0 | 0",
            "0e10 | 0",
            "1.0 | 1",
            "1.50 | 1.5",
            "1.5E3 | 1500",
            "1E30 | 1e+30",
            "1e-27 | 1e-27",
            "4.50 | 4.5",
            "2e-3 | 0.002",
            "9007199254740992 | 9007199254740992",
            "-9007199254740992 | -9007199254740992",
            "123456789 | 123456789",
            "0.1000000000000000055511151231257827021181583404541015625 | 0.1",
            "295147905179352830000 | 295147905179352830000",
            "100000000000000000000 | 100000000000000000000",
            "-18446744073709552000 | -18446744073709552000",
            "1000000000000000000000 | 1e+21",
            "9007199254740994 | 9007199254740994",
    })
    void numbersFromText(String json, String expected) {
        assertThat(canon(json)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "9007199254740993", "-9007199254740993", "18446744073709551616",
            "123456789012345678901234567890", "1e400", "-1e400", "1e-400", "[1, 2, 99999999999999999999]",
    })
    void numbersWithoutAnExactCanonicalFormAreRefused(String json) {
        assertThatThrownBy(() -> CanonicalJson.canonicalize(utf8(json)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void integerNodesThatADoubleWouldRoundAreRefused() {
        long limit = 1L << 53;
        assertThat(canon(NODES.numberNode(limit))).isEqualTo("9007199254740992");
        assertThat(canon(NODES.numberNode(-limit))).isEqualTo("-9007199254740992");
        assertThat(canon(NODES.numberNode(Integer.MIN_VALUE))).isEqualTo("-2147483648");
        assertThat(canon(NODES.numberNode((short) -7))).isEqualTo("-7");
        assertThat(canon(NODES.numberNode(BigInteger.valueOf(limit)))).isEqualTo("9007199254740992");
        assertThat(canon(NODES.numberNode(BigInteger.valueOf(-limit + 1)))).isEqualTo("-9007199254740991");
        // Beyond 2^53, integers that survive the trip through double unchanged are fine.
        assertThat(canon(NODES.numberNode(1152921504606847000L))).isEqualTo("1152921504606847000");
        assertThat(canon(NODES.numberNode(BigInteger.TEN.pow(21)))).isEqualTo("1e+21");
        assertThat(canon(NODES.numberNode(BigInteger.TEN.pow(22).negate()))).isEqualTo("-1e+22");
        for (JsonNode tooBig : List.of(NODES.numberNode(limit + 1), NODES.numberNode(-limit - 1),
                NODES.numberNode(Long.MIN_VALUE), NODES.numberNode(Long.MAX_VALUE),
                NODES.numberNode(BigInteger.ONE.shiftLeft(53).add(BigInteger.ONE)),
                NODES.numberNode(1L << 60),
                NODES.numberNode(BigInteger.ONE.shiftLeft(200).negate()),
                NODES.numberNode(BigInteger.TEN.pow(400)))) {
            assertThatThrownBy(() -> CanonicalJson.canonicalize(tooBig))
                    .as("%s", tooBig)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("2^53");
        }
    }

    @Test
    void decimalNodesGoThroughDouble() {
        assertThat(canon(NODES.numberNode(new BigDecimal("333333333.33333329")))).isEqualTo("333333333.3333333");
        assertThat(canon(NODES.numberNode(new BigDecimal("1E+21")))).isEqualTo("1e+21");
        assertThatThrownBy(() -> CanonicalJson.canonicalize(NODES.numberNode(new BigDecimal("1E+400"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.canonicalize(NODES.numberNode(new BigDecimal("-1E-400"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------ sorting: RFC 8785 §3.2.3

    @Test
    void rfcSortingExample() {
        String input = """
                {
                  "\\u20ac": "Euro Sign",
                  "\\r": "Carriage Return",
                  "\\ufb33": "Hebrew Letter Dalet With Dagesh",
                  "1": "One",
                  "\\ud83d\\ude00": "Emoji: Grinning Face",
                  "\\u0080": "Control",
                  "\\u00f6": "Latin Small Letter O With Diaeresis"
                }""";
        String expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";
        assertThat(canon(input)).isEqualTo(expected);
    }

    @Test
    void sortingIsByUtf16CodeUnitsNotCodePoints() {
        ObjectNode o = NODES.objectNode();
        o.put("\uffff", 1);          // code point U+FFFF, code unit 0xFFFF
        o.put("\ud83d\ude00", 2);    // code point U+1F600, first code unit 0xD83D
        o.put("b", 3);
        o.put("a", 4);
        o.put("ab", 5);
        o.put("", 6);
        assertThat(canon(o)).isEqualTo("{\"\":6,\"a\":4,\"ab\":5,\"b\":3,\"\ud83d\ude00\":2,\"\uffff\":1}");
    }

    @Test
    void nestedObjectsAreSortedToo() {
        assertThat(canon("{\"z\":{\"b\":[{\"y\":1,\"x\":2}],\"a\":null},\"a\":true}"))
                .isEqualTo("{\"a\":true,\"z\":{\"a\":null,\"b\":[{\"x\":2,\"y\":1}]}}");
    }

    // ------------------------------------------------------------ strings: RFC 8785 §3.2.2.2

    static Stream<Arguments> escapes() {
        return Stream.of(
                Arguments.of("\u0000", "\"\\u0000\""),
                Arguments.of("\u0001", "\"\\u0001\""),
                Arguments.of("\u000b", "\"\\u000b\""),
                Arguments.of("\u001a", "\"\\u001a\""),
                Arguments.of("\u001f", "\"\\u001f\""),
                Arguments.of("\b", "\"\\b\""),
                Arguments.of("\t", "\"\\t\""),
                Arguments.of("\n", "\"\\n\""),
                Arguments.of("\f", "\"\\f\""),
                Arguments.of("\r", "\"\\r\""),
                Arguments.of("\"", "\"\\\"\""),
                Arguments.of("\\", "\"\\\\\""),
                Arguments.of("/", "\"/\""),
                Arguments.of(" ", "\" \""),
                Arguments.of("\u007f", "\"\u007f\""),
                Arguments.of("\u0080", "\"\u0080\""),
                Arguments.of("\u2028\u2029", "\"\u2028\u2029\""),
                Arguments.of("caf\u00e9 \u20ac \ud83d\ude00", "\"caf\u00e9 \u20ac \ud83d\ude00\""),
                Arguments.of("", "\"\""));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("escapes")
    void stringEscaping(String value, String expected) {
        byte[] bytes = CanonicalJson.canonicalize(NODES.stringNode(value));
        assertThat(bytes).isEqualTo(utf8(expected));
        // The same via parsing, from the JSON-escaped form of every character.
        StringBuilder escaped = new StringBuilder("\"");
        value.chars().forEach(c -> escaped.append(String.format("\\u%04X", c)));
        escaped.append('"');
        assertThat(CanonicalJson.canonicalize(utf8(escaped.toString()))).isEqualTo(bytes);
    }

    @Test
    void utf8EncodingOfEachWidth() {
        assertThat(CanonicalJson.canonicalize(NODES.stringNode("A\u00e9\u20ac\ud83d\ude00\u007f")))
                .isEqualTo(new byte[]{'"', 'A', (byte) 0xC3, (byte) 0xA9, (byte) 0xE2, (byte) 0x82, (byte) 0xAC,
                        (byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80, 0x7F, '"'});
    }

    @Test
    void memberNamesAreEscapedLikeStrings() {
        ObjectNode o = NODES.objectNode();
        o.put("a\"b\\c\u0001", "\n");
        assertThat(canon(o)).isEqualTo("{\"a\\\"b\\\\c\\u0001\":\"\\n\"}");
    }

    // ------------------------------------------------------------ RFC 8785 §3.2.4

    @Test
    void rfcCompleteExample() {
        String input = """
                {
                  "numbers": [333333333.33333329, 1E30, 4.50,
                              2e-3, 0.000000000000000000000000001],
                  "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
                  "literals": [null, true, false]
                }""";
        String expected = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
        byte[] out = CanonicalJson.canonicalize(utf8(input));
        assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo(expected);
        // The RFC also lists the UTF-8 bytes of the result; check the start and the euro sign.
        assertThat(HexFormat.of().formatHex(out, 0, 16)).isEqualTo("7b226c69746572616c73223a5b6e756c");
        int euro = new String(out, StandardCharsets.UTF_8).indexOf("\"string\":\"") + 10;
        assertThat(HexFormat.of().formatHex(out, euro, euro + 3)).isEqualTo("e282ac");
        assertThat(CanonicalJson.isCanonical(out)).isTrue();
        assertThat(CanonicalJson.isCanonical(utf8(input))).isFalse();
    }

    // ------------------------------------------------------------ refusals

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"a\":1,\"a\":2}",
            "{\"a\":1,\"b\":{\"c\":1,\"c\":1}}",
            "[{\"x\":null,\"y\":0,\"x\":null}]",
            "{\"\\u0061\":1,\"a\":2}",
    })
    void duplicateKeysAreRefused(String json) {
        assertThatThrownBy(() -> CanonicalJson.canonicalize(utf8(json)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(CanonicalJson.isCanonical(utf8(json))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{} x", "{}{}", "1 2", "[] ]", "null null", "\"a\" \"b\"", "{}\u0000", "true,"})
    void trailingContentIsRefused(String json) {
        assertThatThrownBy(() -> CanonicalJson.canonicalize(utf8(json)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"NaN", "[NaN]", "Infinity", "-Infinity", "{\"a\":+Infinity}", "[1,NaN]"})
    void nonNumbersAreRefused(String json) {
        assertThatThrownBy(() -> CanonicalJson.canonicalize(utf8(json)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "\"\\ud800\"", "\"\\udc00\"", "\"a\\ud83d\"", "\"\\ude00\\ud83d\"", "\"\\ud83dx\\ude00\"",
            "{\"\\udfff\":1}", "[\"ok\",\"\\udbff\"]",
    })
    void loneSurrogatesInTextAreRefused(String json) {
        assertThatThrownBy(() -> CanonicalJson.canonicalize(utf8(json)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("surrogate");
    }

    @Test
    void loneSurrogatesInNodesAreRefused() {
        assertThatThrownBy(() -> CanonicalJson.canonicalize(NODES.stringNode("x\ud800")))
                .isInstanceOf(IllegalArgumentException.class);
        ObjectNode o = NODES.objectNode();
        o.put("\udc00", 1);
        assertThatThrownBy(() -> CanonicalJson.canonicalize(o))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> malformedBytes() {
        return Stream.of(
                Arguments.of("invalid UTF-8 byte", new byte[]{'"', (byte) 0xC3, 0x28, '"'}),
                Arguments.of("overlong encoding", new byte[]{'"', (byte) 0xC0, (byte) 0xAF, '"'}),
                Arguments.of("UTF-8-encoded surrogate", new byte[]{'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}),
                Arguments.of("truncated sequence", new byte[]{'"', (byte) 0xE2, (byte) 0x82, '"'}),
                Arguments.of("UTF-8 byte order mark", new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'}),
                Arguments.of("UTF-16BE", "[]".getBytes(StandardCharsets.UTF_16BE)),
                Arguments.of("UTF-16 with BOM", "{}".getBytes(StandardCharsets.UTF_16)),
                Arguments.of("empty", new byte[0]),
                Arguments.of("whitespace only", utf8(" \n\t ")),
                Arguments.of("comment", utf8("{} // c")),
                Arguments.of("block comment", utf8("/* c */ {}")),
                Arguments.of("single quotes", utf8("{'a':1}")),
                Arguments.of("unquoted name", utf8("{a:1}")),
                Arguments.of("trailing comma in array", utf8("[1,]")),
                Arguments.of("trailing comma in object", utf8("{\"a\":1,}")),
                Arguments.of("leading zero", utf8("01")),
                Arguments.of("leading plus", utf8("+1")),
                Arguments.of("bare fraction", utf8(".5")),
                Arguments.of("raw control character in string", utf8("\"a\u0001b\"")),
                Arguments.of("raw newline in string", utf8("\"a\nb\"")),
                Arguments.of("invalid escape", utf8("\"\\x41\"")),
                Arguments.of("unterminated string", utf8("\"abc")),
                Arguments.of("unterminated object", utf8("{\"a\":1")),
                Arguments.of("missing value", utf8("{\"a\":}")),
                Arguments.of("capitalized literal", utf8("True")),
                Arguments.of("no-break space as whitespace", utf8("\u00a0{}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBytes")
    void malformedInputIsIllegalArgument(String what, byte[] json) {
        assertThatThrownBy(() -> CanonicalJson.canonicalize(json))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(250));
        assertThat(CanonicalJson.isCanonical(json)).isFalse();
    }

    @Test
    void nonJsonNodeTypesAreRefused() {
        assertThatThrownBy(() -> CanonicalJson.canonicalize(NODES.binaryNode(new byte[]{1, 2})))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.canonicalize(NODES.pojoNode(new Object())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.canonicalize(NODES.missingNode()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------ nesting depth

    private static String nestedArrays(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private static JsonNode nestedArrayNodes(int depth) {
        ArrayNode root = NODES.arrayNode();
        ArrayNode current = root;
        for (int i = 1; i < depth; i++) {
            current = current.addArray();
        }
        return root;
    }

    @Test
    void deepNestingFromTextIsRefusedNotAStackOverflow() {
        assertThatThrownBy(() -> CanonicalJson.canonicalize(utf8(nestedArrays(10_000))))
                .isInstanceOf(IllegalArgumentException.class);
        String deepObjects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
        assertThatThrownBy(() -> CanonicalJson.canonicalize(utf8(deepObjects)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(CanonicalJson.isCanonical(utf8(nestedArrays(10_000)))).isFalse();
    }

    @Test
    void deepNestingFromNodesIsRefusedNotAStackOverflow() {
        assertThatThrownBy(() -> CanonicalJson.canonicalize(nestedArrayNodes(10_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Integer.toString(CanonicalJson.MAX_DEPTH));
    }

    @Test
    void depthLimitIsExactlyMaxDepthForTextAndNodes() {
        int max = CanonicalJson.MAX_DEPTH;
        assertThat(canon(nestedArrays(max))).isEqualTo(nestedArrays(max));
        assertThat(canon(nestedArrayNodes(max))).isEqualTo(nestedArrays(max));
        assertThatThrownBy(() -> CanonicalJson.canonicalize(utf8(nestedArrays(max + 1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.canonicalize(nestedArrayNodes(max + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        // The shared mapper applies the same limit.
        assertThat(CanonicalJson.mapper().readTree(nestedArrays(max)).isArray()).isTrue();
        assertThatThrownBy(() -> CanonicalJson.mapper().readTree(nestedArrays(max + 1)))
                .isInstanceOf(JacksonException.class);
    }

    // ------------------------------------------------------------ isCanonical, idempotence

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{}", "[]", "0", "-1", "1.5", "1e+21", "\"\"", "null", "true", "false",
            "{\"a\":1,\"b\":[true,false,null,\"x\"]}",
            "[0.000001,1e-7,-5e-324,\"\\u001f\\n\u00e9\"]",
    })
    void canonicalInputsAreRecognized(String json) {
        assertThat(CanonicalJson.isCanonical(utf8(json))).isTrue();
        assertThat(canon(json)).isEqualTo(json);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{ }", " {}", "{}\n", "[1, 2]", "{\"b\":1,\"a\":2}", "1.0", "1E3", "-0", "0.0", "1e21", "1E+21",
            "\"\\u0041\"", "\"\\/\"", "\"\\u001F\"", "\"\\u00e9\"", "\"\\u007f\"", "\"\\u0008\"",
            "\"\\ud83d\\ude00\"", "100000000000000000000.0", "0.0000001",
    })
    void nonCanonicalInputsAreRecognized(String json) {
        assertThat(CanonicalJson.isCanonical(utf8(json))).isFalse();
        // ... but they are valid, and their canonical form is canonical.
        assertThat(CanonicalJson.isCanonical(CanonicalJson.canonicalize(utf8(json)))).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"z\": [1.0, 2.50, -0.0, 1e-7, 1E21, {\"\\u00e9\": \"\\u20ac\", \"e\": \"\\t\"}], \"a\": \"\\ud83d\\ude00\"}",
            "[333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001]",
            "\"\\u0000\\u001f\\u007f\\\\\\\"/\"",
            "  [ { } , [ ] , { \"\" : \"\" } ]  ",
    })
    void canonicalizationIsIdempotent(String json) {
        byte[] once = CanonicalJson.canonicalize(utf8(json));
        byte[] twice = CanonicalJson.canonicalize(once);
        assertThat(twice).isEqualTo(once);
        assertThat(CanonicalJson.canonicalize(CanonicalJson.mapper().readTree(once))).isEqualTo(once);
        assertThat(CanonicalJson.isCanonical(once)).isTrue();
    }

    @Test
    void memberOrderAndWhitespaceDoNotChangeTheCanonicalForm() {
        byte[] a = CanonicalJson.canonicalize(utf8("{\"size\": 12, \"path\": \"/bin/sh\", \"mode\": 493}"));
        byte[] b = CanonicalJson.canonicalize(utf8("{\n  \"mode\":493,\n  \"size\":12,\n  \"path\":\"\\/bin\\/sh\"\n}"));
        assertThat(a).isEqualTo(b);
        assertThat(new String(a, StandardCharsets.UTF_8)).isEqualTo("{\"mode\":493,\"path\":\"/bin/sh\",\"size\":12}");
    }

    // ------------------------------------------------------------ mapper and size

    @Test
    void sharedMapperIsStrict() {
        assertThat(CanonicalJson.mapper()).isSameAs(CanonicalJson.mapper());
        assertThat(CanonicalJson.mapper().readTree("1.10").isBigDecimal()).isTrue();
        assertThat(CanonicalJson.mapper().readTree("1.10").decimalValue()).isEqualByComparingTo("1.1");
        assertThatThrownBy(() -> CanonicalJson.mapper().readTree("{\"a\":1,\"a\":1}"))
                .isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> CanonicalJson.mapper().readTree("{} {}"))
                .isInstanceOf(JacksonException.class);
    }

    @Test
    void largeDocumentsAreHandled() {
        ArrayNode files = NODES.arrayNode();
        for (int i = 0; i < 100_000; i++) {
            ObjectNode f = files.addObject();
            f.put("size", i);
            f.put("path", "/usr/lib/file-" + i + ".so");
        }
        ObjectNode root = NODES.objectNode();
        root.set("files", files);
        root.put("blob", "\u00e9".repeat(1_000_000));
        byte[] out = CanonicalJson.canonicalize(root);
        assertThat(out.length).isGreaterThan(5_000_000);
        assertThat(new String(out, 0, 30, StandardCharsets.UTF_8)).startsWith("{\"blob\":\"\u00e9");
        assertThat(CanonicalJson.isCanonical(out)).isTrue();
        assertThat(CanonicalJson.canonicalize(out)).isEqualTo(out);
    }
}
