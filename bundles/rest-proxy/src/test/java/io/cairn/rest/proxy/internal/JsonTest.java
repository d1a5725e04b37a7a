package io.cairn.rest.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cairn.rest.proxy.internal.Json.JsonException;

class JsonTest {

    private final Json json = new Json(1024, 8);

    private Object parse(String s) throws JsonException {
        return json.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    private void assertMalformed(String s) {
        JsonException e = assertThrows(JsonException.class, () -> parse(s), s);
        assertTrue(e.getMessage().startsWith("Malformed JSON") || e.getMessage().contains("UTF-8"), e.getMessage());
    }

    @Test
    void parsesEveryKindAndWritesItBackCompactly() throws Exception {
        String text = " {\"records\" : [ {\"key\": \"a\\\"b\\\\c\\u00e9\\n\", \"value\": {\"n\": -0.5e+3, \"i\": 12,"
                + " \"t\": true, \"f\": false, \"z\": null, \"e\": [], \"o\": {}}} ] } ";
        Object v = parse(text);
        Map<?, ?> record = (Map<?, ?>) ((List<?>) ((Map<?, ?>) v).get("records")).get(0);
        assertEquals("a\"b\\cé\n", record.get("key"));
        Map<?, ?> value = (Map<?, ?>) record.get("value");
        assertEquals(new Json.Number("-0.5e+3"), value.get("n"));
        assertEquals(12, ((Json.Number) value.get("i")).intValueExact());
        assertSame(Json.NULL, value.get("z"));
        assertEquals("{\"records\":[{\"key\":\"a\\\"b\\\\cé\\n\",\"value\":{\"n\":-0.5e+3,\"i\":12,\"t\":true,"
                + "\"f\":false,\"z\":null,\"e\":[],\"o\":{}}}]}", Json.write(v));
        assertEquals("\"\\u0001\"", Json.write("\u0001"));
    }

    @Test
    void refusesMalformedInput() {
        for (String bad : List.of("", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "'x'", "01", "1.",
                "-", "1e", "+1", "tru", "nul", "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "\"tab\tinside\"",
                "{} {}", "[1] x", "{\"a\":1,\"a\":2}", "NaN", "[1 2]")) {
            assertMalformed(bad);
        }
    }

    @Test
    void refusesInvalidUtf8() {
        assertThrows(JsonException.class, () -> json.parse(new byte[] {'"', (byte) 0xc3, '"'}));
    }

    @Test
    void enforcesSizeBeforeParsing() {
        byte[] big = new byte[1025];
        JsonException e = assertThrows(JsonException.class, () -> json.parse(big));
        assertEquals("Body of 1025 bytes exceeds the limit of 1024 bytes", e.getMessage());
    }

    @Test
    void enforcesNestingDepth() throws Exception {
        parse("[[[[[[[[1]]]]]]]]"); // 8 levels: the limit
        JsonException e = assertThrows(JsonException.class, () -> parse("[[[[[[[[[1]]]]]]]]]"));
        assertTrue(e.getMessage().contains("nested deeper than 8"), e.getMessage());
        // A hostile body of only brackets fails on depth, not with a StackOverflowError.
        Json roomy = new Json(1 << 20, 64);
        byte[] deep = "[".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
        assertThrows(JsonException.class, () -> roomy.parse(deep));
    }
}
