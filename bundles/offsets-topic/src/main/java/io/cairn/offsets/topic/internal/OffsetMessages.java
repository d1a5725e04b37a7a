package io.cairn.offsets.topic.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.cairn.broker.spi.offsets.CommittedOffset;

/**
 * Kafka's {@code __consumer_offsets} keys and values for committed offsets, byte for byte:
 *
 * <pre>
 * key   (version 1, as Kafka writes it; 0 reads the same):
 *       int16 version, int16+UTF-8 group, int16+UTF-8 topic, int32 partition
 * value (version 3, as Kafka writes it; 0–2 are read too):
 *       v0: int16 version, int64 offset, string metadata, int64 commit timestamp
 *       v1: v0 + int64 expire timestamp
 *       v2: as v0
 *       v3: int16 version, int64 offset, int32 leader epoch, string metadata, int64 commit timestamp
 * </pre>
 * A record whose value is null (a tombstone) deletes the offset. Keys of version 2 and up are
 * group metadata and other coordinator records; this store skips them.
 *
 * <p>Stateless and thread-safe.
 */
final class OffsetMessages {

    static final short KEY_VERSION = 1;
    static final short VALUE_VERSION = 3;

    /** A decoded offset commit key. */
    record Key(String group, String topic, int partition) {
    }

    private OffsetMessages() {
    }

    static byte[] key(String group, String topic, int partition) {
        byte[] g = group.getBytes(StandardCharsets.UTF_8);
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + 2 + g.length + 2 + t.length + 4);
        b.putShort(KEY_VERSION);
        putString(b, g);
        putString(b, t);
        b.putInt(partition);
        return b.array();
    }

    static byte[] value(CommittedOffset o) {
        byte[] m = o.metadata().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + 8 + 4 + 2 + m.length + 8);
        b.putShort(VALUE_VERSION).putLong(o.offset()).putInt(o.leaderEpoch());
        putString(b, m);
        b.putLong(o.commitTimestamp());
        return b.array();
    }

    /** The offset commit key in {@code key}, or empty for other record kinds and malformed keys. */
    static Optional<Key> readKey(ByteBuffer key) {
        try {
            ByteBuffer b = key.duplicate();
            short version = b.getShort();
            if (version != 0 && version != 1) {
                return Optional.empty();
            }
            return Optional.of(new Key(string(b), string(b), b.getInt()));
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The offset in {@code value} for {@code key}, or empty if the value's version is unknown or it is malformed. */
    static Optional<CommittedOffset> readValue(Key key, ByteBuffer value) {
        try {
            ByteBuffer b = value.duplicate();
            short version = b.getShort();
            long offset = b.getLong();
            int epoch = -1;
            if (version == 3) {
                epoch = b.getInt();
            } else if (version < 0 || version > 3) {
                return Optional.empty();
            }
            String metadata = string(b);
            long commitTimestamp = b.getLong();
            return Optional.of(new CommittedOffset(key.topic(), key.partition(), offset, epoch, metadata, commitTimestamp));
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void putString(ByteBuffer b, byte[] s) {
        if (s.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("string longer than " + Short.MAX_VALUE + " bytes");
        }
        b.putShort((short) s.length).put(s);
    }

    private static String string(ByteBuffer b) {
        int len = b.getShort();
        if (len < 0) {
            throw new IllegalArgumentException("null string");
        }
        byte[] s = new byte[len];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }
}
