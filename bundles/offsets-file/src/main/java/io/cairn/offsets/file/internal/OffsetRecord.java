package io.cairn.offsets.file.internal;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import io.cairn.broker.spi.offsets.CommittedOffset;
import io.cairn.broker.spi.offsets.PartitionKey;

/**
 * One change to a group's offsets, as it is framed in the write-ahead log and the snapshot.
 *
 * <pre>
 * int32  length     bytes after the crc field
 * int32  crc        CRC-32C of those bytes
 * int8   type       1 commit, 2 delete partitions, 3 delete group
 * int16  group length, UTF-8 group id
 * commit:            int32 count, then per offset: int16+UTF-8 topic, int32 partition, int64 offset,
 *                    int32 leader epoch, int32+UTF-8 metadata, int64 commit timestamp
 * delete partitions: int32 count, then per partition: int16+UTF-8 topic, int32 partition
 * </pre>
 * Big-endian, as Kafka's own formats. A record is applied whole or not at all: a torn or
 * corrupted one fails its length or CRC check and ends recovery there.
 *
 * @param type what the record does
 * @param groupId the group
 * @param offsets the offsets committed (commit), else empty
 * @param partitions the partitions deleted (delete partitions), else empty
 */
record OffsetRecord(Type type, String groupId, List<CommittedOffset> offsets, List<PartitionKey> partitions) {

    /** Largest record accepted on read: a bad length field must not make recovery allocate gigabytes. */
    static final int MAX_RECORD_BYTES = 256 * 1024 * 1024;
    /** Bytes before the body: length and CRC. */
    static final int HEADER_BYTES = 8;

    enum Type {
        COMMIT(1), DELETE_PARTITIONS(2), DELETE_GROUP(3);

        final byte code;

        Type(int code) {
            this.code = (byte) code;
        }

        static Type of(byte code) throws IOException {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw new IOException("unknown record type " + code);
        }
    }

    static OffsetRecord commit(String groupId, List<CommittedOffset> offsets) {
        return new OffsetRecord(Type.COMMIT, groupId, List.copyOf(offsets), List.of());
    }

    static OffsetRecord delete(String groupId, List<PartitionKey> partitions) {
        return new OffsetRecord(Type.DELETE_PARTITIONS, groupId, List.of(), List.copyOf(partitions));
    }

    static OffsetRecord deleteGroup(String groupId) {
        return new OffsetRecord(Type.DELETE_GROUP, groupId, List.of(), List.of());
    }

    /** The framed record, ready to append. */
    ByteBuffer encode() {
        byte[] group = utf8(groupId);
        int size = 1 + 2 + group.length;
        List<byte[]> texts = new ArrayList<>();
        if (type == Type.COMMIT) {
            size += 4;
            for (CommittedOffset o : offsets) {
                byte[] t = utf8(o.topic());
                byte[] m = utf8(o.metadata());
                texts.add(t);
                texts.add(m);
                size += 2 + t.length + 4 + 8 + 4 + 4 + m.length + 8;
            }
        } else if (type == Type.DELETE_PARTITIONS) {
            size += 4;
            for (PartitionKey k : partitions) {
                byte[] t = utf8(k.topic());
                texts.add(t);
                size += 2 + t.length + 4;
            }
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + size);
        b.putInt(size).putInt(0).put(type.code);
        putShortString(b, group);
        int i = 0;
        if (type == Type.COMMIT) {
            b.putInt(offsets.size());
            for (CommittedOffset o : offsets) {
                putShortString(b, texts.get(i++));
                b.putInt(o.partition()).putLong(o.offset()).putInt(o.leaderEpoch());
                byte[] m = texts.get(i++);
                b.putInt(m.length).put(m);
                b.putLong(o.commitTimestamp());
            }
        } else if (type == Type.DELETE_PARTITIONS) {
            b.putInt(partitions.size());
            for (PartitionKey k : partitions) {
                putShortString(b, texts.get(i++));
                b.putInt(k.partition());
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), HEADER_BYTES, size);
        b.putInt(4, (int) crc.getValue());
        return b.flip();
    }

    /**
     * Decodes the body of a record whose length and CRC were checked.
     *
     * @throws IOException if the body is malformed despite its checksum
     */
    static OffsetRecord decode(ByteBuffer body) throws IOException {
        try {
            Type type = Type.of(body.get());
            String group = shortString(body);
            if (type == Type.COMMIT) {
                int n = count(body);
                List<CommittedOffset> offsets = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    String topic = shortString(body);
                    int partition = body.getInt();
                    long offset = body.getLong();
                    int epoch = body.getInt();
                    int mlen = body.getInt();
                    if (mlen < 0 || mlen > body.remaining()) {
                        throw new IOException("bad metadata length " + mlen);
                    }
                    byte[] m = new byte[mlen];
                    body.get(m);
                    offsets.add(new CommittedOffset(topic, partition, offset, epoch, new String(m, StandardCharsets.UTF_8),
                            body.getLong()));
                }
                return new OffsetRecord(type, group, offsets, List.of());
            }
            if (type == Type.DELETE_PARTITIONS) {
                int n = count(body);
                List<PartitionKey> keys = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    keys.add(new PartitionKey(shortString(body), body.getInt()));
                }
                return new OffsetRecord(type, group, List.of(), keys);
            }
            return new OffsetRecord(type, group, List.of(), List.of());
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IOException("malformed offset record: " + e, e);
        }
    }

    /** CRC-32C of {@code length} bytes of {@code b} from its position, position unchanged. */
    static int crc(ByteBuffer b, int length) {
        CRC32C crc = new CRC32C();
        ByteBuffer slice = b.duplicate();
        slice.limit(slice.position() + length);
        crc.update(slice);
        return (int) crc.getValue();
    }

    private static int count(ByteBuffer b) throws IOException {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw new IOException("bad count " + n);
        }
        return n;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void putShortString(ByteBuffer b, byte[] s) {
        if (s.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("name longer than " + Short.MAX_VALUE + " bytes");
        }
        b.putShort((short) s.length).put(s);
    }

    private static String shortString(ByteBuffer b) throws IOException {
        int len = b.getShort();
        if (len < 0 || len > b.remaining()) {
            throw new IOException("bad string length " + len);
        }
        byte[] s = new byte[len];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }
}
