package io.cairn.offsets.zookeeper.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where the store keeps what, below the chroot of {@code zookeeper.connect}:
 *
 * <pre>
 * /consumers/&lt;group&gt;/offsets/&lt;topic&gt;/&lt;partition&gt;          "42"  (Kafka 0.8's node: the offset, a decimal string)
 * /consumers/&lt;group&gt;/offset_metadata/&lt;topic&gt;/&lt;partition&gt;  {"version":1,"offset":42,"leader_epoch":7,"metadata":"…","commit_timestamp":…}
 * </pre>
 *
 * The first is exactly what Kafka 0.8's {@code ZookeeperConsumerConnector} wrote
 * ({@code ZkUtils.updatePersistentPath(topicDirs.consumerOffsetDir + "/" + partition, offset.toString)}),
 * so {@code zkCli get} and 0.8-era tools read it unchanged. Everything else Kafka's
 * {@code OffsetCommitValue} holds lives in the sibling tree {@code offset_metadata} ({@link OffsetDetails}),
 * which 0.8 tools never look at (they read {@code ids}, {@code owners} and {@code offsets}).
 *
 * <p>Node names: a group id (any string in Kafka) or topic name is used as it is when it is a
 * legal ZooKeeper node name without {@code %}, which covers every name Kafka 0.8 could store. Anything
 * else is percent-encoded (UTF-8 bytes as {@code %XX}): {@code /}, {@code %}, control and other
 * characters ZooKeeper refuses, and the names {@code .} and {@code ..}; the empty string is {@code %}.
 *
 * <p>Immutable, thread-safe.
 */
final class OffsetTree {

    static final String OFFSETS = "offsets";
    static final String METADATA = "offset_metadata";

    private final String consumers;

    /** @param chroot the chroot of {@code zookeeper.connect}, {@code ""} for none, else {@code /a/b} */
    OffsetTree(String chroot) {
        this.consumers = chroot + "/consumers";
    }

    /** {@code <chroot>/consumers}: created once, like Kafka brokers create it at start. */
    String consumers() {
        return consumers;
    }

    String group(String group) {
        return consumers + "/" + encode(group);
    }

    /** {@code /consumers/<group>/offsets} or {@code .../offset_metadata}. */
    String dir(String group, String tree) {
        return group(group) + "/" + tree;
    }

    String topic(String group, String tree, String topic) {
        return dir(group, tree) + "/" + encode(topic);
    }

    String partition(String group, String tree, String topic, int partition) {
        return topic(group, tree, topic) + "/" + partition;
    }

    /** A partition node's name as a partition number; empty for a name that is not one. */
    static Optional<Integer> partitionOf(String name) {
        if (name.isEmpty() || name.length() > 10 || !name.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        long p = Long.parseLong(name);
        return p <= Integer.MAX_VALUE ? Optional.of((int) p) : Optional.empty();
    }

    /** A group or topic name as a node name (see the class comment). */
    static String encode(String name) {
        if (name.isEmpty()) {
            return "%";
        }
        if (name.equals(".") || name.equals("..")) {
            return name.equals(".") ? "%2E" : "%2E%2E";
        }
        StringBuilder out = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (plain(c)) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(name.length() + 8).append(name, 0, i);
            }
            int cp = name.codePointAt(i);
            if (Character.isSupplementaryCodePoint(cp)) {
                i++;
            }
            for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return out == null ? name : out.toString();
    }

    /** The inverse of {@link #encode}; a name that is not an encoding (written by someone else) is taken as it is. */
    static String decode(String node) {
        if (node.equals("%")) {
            return "";
        }
        if (node.indexOf('%') < 0) {
            return node;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(node.length());
        for (int i = 0; i < node.length(); i++) {
            char c = node.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            int hi = i + 2 < node.length() ? Character.digit(node.charAt(i + 1), 16) : -1;
            int lo = i + 2 < node.length() ? Character.digit(node.charAt(i + 2), 16) : -1;
            if (hi < 0 || lo < 0) {
                return node;
            }
            bytes.write(hi << 4 | lo);
            i += 2;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Characters kept as they are: not {@code /} or {@code %}, and none of those ZooKeeper's
     * {@code PathUtils.validatePath} refuses (U+0000–U+001F, U+007F–U+009F, U+D800–U+F8FF,
     * U+FFF0–U+FFFF). Surrogates fall in the refused range, so supplementary characters are encoded.
     */
    private static boolean plain(char c) {
        return c != '/' && c != '%' && !(c <= '\u001f') && !(c >= '\u007f' && c <= '\u009f')
                && !(c >= '\ud800' && c <= '\uf8ff') && !(c >= '\ufff0');
    }
}
