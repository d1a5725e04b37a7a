package io.cairn.rest.proxy.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON (RFC 8259) reader and writer, enough for the REST proxy's request and
 * response bodies, so that the bundle needs no JSON library.
 *
 * <p>Values: {@code Map<String, Object>} (insertion order, a repeated name is refused),
 * {@code List<Object>}, {@link String}, {@link Number} (the literal text kept exactly, so numbers
 * round-trip without floating-point changes), {@link Boolean} and {@link #NULL}.
 *
 * <p>Limits, checked before anything is allocated for the input: at most {@code maxBytes} bytes
 * (the HTTP layer already refuses larger bodies by their Content-Length) and at most
 * {@code maxDepth} nested arrays and objects, so that a hostile body cannot exhaust the stack.
 * Input must be well-formed UTF-8.
 *
 * <p>Stateless and thread-safe; each {@link #parse} call uses its own cursor.
 */
final class Json {

    /** JSON {@code null}, distinct from an absent member. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** A JSON number, kept as its literal text. */
    record Number(String text) {
        /** The value as an int, or an exception if it has a fraction, an exponent or is out of range. */
        int intValueExact() {
            return Integer.parseInt(text);
        }
    }

    /** Malformed or over-limit input; the message says where. */
    static final class JsonException extends Exception {
        private static final long serialVersionUID = 1L;

        JsonException(String message) {
            super(message);
        }
    }

    private final int maxBytes;
    private final int maxDepth;

    Json(int maxBytes, int maxDepth) {
        this.maxBytes = maxBytes;
        this.maxDepth = maxDepth;
    }

    /** Parses one JSON text (surrounding whitespace allowed, nothing else). */
    Object parse(byte[] input) throws JsonException {
        if (input.length > maxBytes) {
            throw new JsonException("Body of " + input.length + " bytes exceeds the limit of " + maxBytes + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(input)).toString();
        } catch (CharacterCodingException e) {
            throw new JsonException("Body is not valid UTF-8");
        }
        Cursor c = new Cursor(text);
        c.skipWhitespace();
        Object value = c.value(0);
        c.skipWhitespace();
        if (c.pos < text.length()) {
            throw c.error("unexpected data after the JSON value");
        }
        return value;
    }

    private final class Cursor {
        private final String s;
        private int pos;

        Cursor(String s) {
            this.s = s;
        }

        JsonException error(String what) {
            return new JsonException("Malformed JSON at character " + pos + ": " + what);
        }

        void skipWhitespace() {
            while (pos < s.length()) {
                char ch = s.charAt(pos);
                if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') {
                    return;
                }
                pos++;
            }
        }

        Object value(int depth) throws JsonException {
            if (pos >= s.length()) {
                throw error("unexpected end of input");
            }
            char ch = s.charAt(pos);
            switch (ch) {
                case '{':
                    return object(depth + 1);
                case '[':
                    return array(depth + 1);
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", NULL);
                default:
                    if (ch == '-' || (ch >= '0' && ch <= '9')) {
                        return number();
                    }
                    throw error("unexpected character '" + ch + "'");
            }
        }

        private Object literal(String word, Object value) throws JsonException {
            if (!s.startsWith(word, pos)) {
                throw error("expected " + word);
            }
            pos += word.length();
            return value;
        }

        private Map<String, Object> object(int depth) throws JsonException {
            checkDepth(depth);
            pos++; // '{'
            Map<String, Object> members = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return members;
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw error("expected a member name in quotes");
                }
                String name = string();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                if (members.containsKey(name)) {
                    throw error("member \"" + name + "\" appears twice");
                }
                members.put(name, value(depth));
                skipWhitespace();
                char ch = next();
                if (ch == '}') {
                    return members;
                }
                if (ch != ',') {
                    pos--;
                    throw error("expected ',' or '}'");
                }
            }
        }

        private List<Object> array(int depth) throws JsonException {
            checkDepth(depth);
            pos++; // '['
            List<Object> items = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return items;
            }
            while (true) {
                skipWhitespace();
                items.add(value(depth));
                skipWhitespace();
                char ch = next();
                if (ch == ']') {
                    return items;
                }
                if (ch != ',') {
                    pos--;
                    throw error("expected ',' or ']'");
                }
            }
        }

        private void checkDepth(int depth) throws JsonException {
            if (depth > maxDepth) {
                throw error("nested deeper than " + maxDepth + " levels");
            }
        }

        private String string() throws JsonException {
            pos++; // opening quote
            StringBuilder out = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw error("unterminated string");
                }
                char ch = s.charAt(pos++);
                if (ch == '"') {
                    return out.toString();
                }
                if (ch < 0x20) {
                    pos--;
                    throw error("control character in string (escape it)");
                }
                if (ch != '\\') {
                    out.append(ch);
                    continue;
                }
                char esc = next();
                switch (esc) {
                    case '"', '\\', '/' -> out.append(esc);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw error("truncated \\u escape");
                        }
                        int code = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = Character.digit(s.charAt(pos++), 16);
                            if (d < 0) {
                                pos--;
                                throw error("bad hex digit in \\u escape");
                            }
                            code = code * 16 + d;
                        }
                        out.append((char) code);
                    }
                    default -> {
                        pos--;
                        throw error("bad escape \\" + esc);
                    }
                }
            }
        }

        private Number number() throws JsonException {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
            } else if (isDigit(peek())) {
                digits();
            } else {
                throw error("expected a digit");
            }
            if (peek() == '.') {
                pos++;
                if (!isDigit(peek())) {
                    throw error("expected a digit after '.'");
                }
                digits();
            }
            if (peek() == 'e' || peek() == 'E') {
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                if (!isDigit(peek())) {
                    throw error("expected a digit in the exponent");
                }
                digits();
            }
            return new Number(s.substring(start, pos));
        }

        private void digits() {
            while (isDigit(peek())) {
                pos++;
            }
        }

        private boolean isDigit(char ch) {
            return ch >= '0' && ch <= '9';
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private char next() throws JsonException {
            if (pos >= s.length()) {
                throw error("unexpected end of input");
            }
            return s.charAt(pos++);
        }

        private void expect(char ch) throws JsonException {
            if (peek() != ch) {
                throw error("expected '" + ch + "'");
            }
            pos++;
        }
    }

    /** Compact JSON text of a value of the kinds {@link #parse} returns (also longs, ints and null). */
    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static void write(StringBuilder out, Object value) {
        if (value == null || value == NULL) {
            out.append("null");
        } else if (value instanceof String str) {
            quote(out, str);
        } else if (value instanceof Number n) {
            out.append(n.text());
        } else if (value instanceof java.lang.Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                quote(out, e.getKey());
                out.append(':');
                write(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(out, list.get(i));
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        out.append('"');
    }
}
