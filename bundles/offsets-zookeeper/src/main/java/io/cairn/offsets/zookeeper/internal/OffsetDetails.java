package io.cairn.offsets.zookeeper.internal;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.cairn.broker.spi.offsets.CommittedOffset;

/**
 * The content of an {@code offset_metadata} node: what a committed offset holds besides the
 * offset itself, as a small JSON object in the style of Kafka's ZooKeeper nodes:
 * {@code {"version":1,"offset":42,"leader_epoch":7,"metadata":"…","commit_timestamp":1700000000000}}.
 *
 * <p>The offset is repeated so that a reader can tell whether the details still belong to the
 * offset node beside them: someone who resets an offset with {@code zkCli set} or a Kafka 0.8
 * consumer writes only the 0.8 node, and then these details are stale.
 *
 * @param offset the offset these details were written with
 * @param leaderEpoch the leader epoch, -1 if unknown
 * @param metadata the client's metadata string
 * @param commitTimestamp the coordinator's commit time, ms since the epoch
 */
record OffsetDetails(long offset, int leaderEpoch, String metadata, long commitTimestamp) {

    static final int VERSION = 1;

    static OffsetDetails of(CommittedOffset o) {
        return new OffsetDetails(o.offset(), o.leaderEpoch(), o.metadata(), o.commitTimestamp());
    }

    byte[] toJson() {
        StringBuilder json = new StringBuilder(96 + metadata.length());
        json.append("{\"version\":").append(VERSION).append(",\"offset\":").append(offset).append(",\"leader_epoch\":")
                .append(leaderEpoch).append(",\"metadata\":");
        quote(metadata, json);
        json.append(",\"commit_timestamp\":").append(commitTimestamp).append('}');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The details in {@code data}; empty if it is not such an object (a reader then falls back, it does not fail). */
    static Optional<OffsetDetails> parse(byte[] data) {
        if (data == null) {
            return Optional.empty();
        }
        try {
            Map<String, Object> fields = new FlatJson(new String(data, StandardCharsets.UTF_8)).object();
            if (!(fields.get("offset") instanceof Long offset) || !(fields.get("leader_epoch") instanceof Long epoch)
                    || !(fields.get("metadata") instanceof String metadata)
                    || !(fields.get("commit_timestamp") instanceof Long timestamp)
                    || epoch < Integer.MIN_VALUE || epoch > Integer.MAX_VALUE) {
                return Optional.empty();
            }
            return Optional.of(new OffsetDetails(offset, (int) (long) epoch, metadata, timestamp));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c) && !validSurrogate(s, i)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** A lone surrogate cannot be written as UTF-8; it is escaped so that it comes back exactly. */
    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /** A strict reader of one flat JSON object whose values are strings or integers. */
    private static final class FlatJson {

        private final String text;
        private int pos;

        FlatJson(String text) {
            this.text = text;
        }

        Map<String, Object> object() {
            Map<String, Object> fields = new HashMap<>();
            skipSpace();
            expect('{');
            skipSpace();
            if (peek() == '}') {
                pos++;
            } else {
                while (true) {
                    skipSpace();
                    String key = string();
                    skipSpace();
                    expect(':');
                    skipSpace();
                    fields.put(key, peek() == '"' ? string() : number());
                    skipSpace();
                    char c = next();
                    if (c == '}') {
                        break;
                    }
                    if (c != ',') {
                        throw new IllegalArgumentException("expected , or } at " + (pos - 1));
                    }
                }
            }
            skipSpace();
            if (pos != text.length()) {
                throw new IllegalArgumentException("trailing characters at " + pos);
            }
            return fields;
        }

        private Long number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            try {
                return Long.parseLong(text.substring(start, pos));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an integer at " + start);
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw new IllegalArgumentException("short \\u escape");
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException bad) {
                            throw new IllegalArgumentException("bad \\u escape at " + pos);
                        }
                        pos += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape \\" + e);
                }
            }
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private char peek() {
            if (pos >= text.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            return text.charAt(pos);
        }

        private char next() {
            char c = peek();
            pos++;
            return c;
        }

        private void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("expected " + c + " at " + (pos - 1));
            }
        }
    }
}
