package io.cairn.producer.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;

import io.cairn.producer.Header;
import io.cairn.storage.spi.Varints;

/**
 * Writes records as one uncompressed Kafka record batch, magic v2 — the format the log stores and
 * Kafka's clients read. Written here rather than with kafka-clients so that this bundle depends on
 * no Kafka code; the unit test reads every batch back with Kafka's own {@code MemoryRecords}.
 *
 * <p>Batch header, 61 bytes, big-endian: base offset (8, zero: the partition assigns offsets),
 * batch length (4, bytes after this field), partition leader epoch (4, -1: the partition stamps it),
 * magic (1, = 2), CRC (4, CRC-32C of everything from attributes to the end), attributes (2: no
 * compression, create time, not transactional, not control), last offset delta (4), base and max
 * timestamp (8 each), producer id (8, -1), producer epoch (2, -1), base sequence (4, -1: not
 * idempotent), record count (4). Each record: length (varint), attributes (1, unused = 0),
 * timestamp delta (varlong), offset delta (varint), key length (varint, -1 for none) and key, value
 * length and value likewise, header count (varint), and per header key length, UTF-8 key, value
 * length (-1 for none) and value. Varints are zig-zag encoded, as in protobuf.
 *
 * <p>Stateless and thread-safe.
 */
final class RecordBatchEncoder {

    static final int HEADER_BYTES = 61;
    private static final byte MAGIC = 2;
    /** Offset of the attributes field: where the CRC's coverage starts. */
    private static final int ATTRIBUTES_OFFSET = 21;
    private static final int CRC_OFFSET = 17;

    private RecordBatchEncoder() {
    }

    /**
     * The size of one record in a batch, its length prefix included.
     *
     * @param timestampDelta the record's timestamp minus the batch's first
     * @param offsetDelta the record's index in the batch
     */
    static int sizeInBatch(OutgoingRecord r, long timestampDelta, int offsetDelta) {
        int body = bodySize(r, timestampDelta, offsetDelta);
        return Varints.sizeOfVarint(body) + body;
    }

    /**
     * One batch of {@code records}, in order, ready for {@code PartitionReplica.append}.
     *
     * @throws IllegalArgumentException if {@code records} is empty
     */
    static ByteBuffer encode(List<OutgoingRecord> records) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one record");
        }
        long baseTimestamp = records.get(0).timestamp();
        long maxTimestamp = baseTimestamp;
        int size = HEADER_BYTES;
        for (int i = 0; i < records.size(); i++) {
            OutgoingRecord r = records.get(i);
            size += sizeInBatch(r, r.timestamp() - baseTimestamp, i);
            maxTimestamp = Math.max(maxTimestamp, r.timestamp());
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        buf.putLong(0L); // base offset: assigned by the partition
        buf.putInt(size - 12); // batch length: everything after base offset and this field
        buf.putInt(-1); // partition leader epoch: stamped by the partition
        buf.put(MAGIC);
        buf.putInt(0); // CRC, filled in below
        buf.putShort((short) 0); // attributes: uncompressed, CreateTime
        buf.putInt(records.size() - 1); // last offset delta
        buf.putLong(baseTimestamp);
        buf.putLong(maxTimestamp);
        buf.putLong(-1L); // producer id: not idempotent
        buf.putShort((short) -1); // producer epoch
        buf.putInt(-1); // base sequence
        buf.putInt(records.size());
        for (int i = 0; i < records.size(); i++) {
            OutgoingRecord r = records.get(i);
            writeRecord(buf, r, r.timestamp() - baseTimestamp, i);
        }
        if (buf.position() != size) {
            throw new IllegalStateException("batch size " + size + " computed, " + buf.position() + " written");
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), ATTRIBUTES_OFFSET, size - ATTRIBUTES_OFFSET);
        buf.putInt(CRC_OFFSET, (int) crc.getValue());
        return buf.flip();
    }

    private static int bodySize(OutgoingRecord r, long timestampDelta, int offsetDelta) {
        int n = 1 + Varints.sizeOfVarlong(timestampDelta) + Varints.sizeOfVarint(offsetDelta);
        n += bytesFieldSize(r.key());
        n += bytesFieldSize(r.value());
        n += Varints.sizeOfVarint(r.headers().size());
        for (Header h : r.headers()) {
            n += bytesFieldSize(h.key().getBytes(StandardCharsets.UTF_8));
            n += bytesFieldSize(h.value());
        }
        return n;
    }

    private static void writeRecord(ByteBuffer buf, OutgoingRecord r, long timestampDelta, int offsetDelta) {
        Varints.writeVarint(bodySize(r, timestampDelta, offsetDelta), buf);
        buf.put((byte) 0); // record attributes: unused in v2
        Varints.writeVarlong(timestampDelta, buf);
        Varints.writeVarint(offsetDelta, buf);
        writeBytesField(buf, r.key());
        writeBytesField(buf, r.value());
        Varints.writeVarint(r.headers().size(), buf);
        for (Header h : r.headers()) {
            writeBytesField(buf, h.key().getBytes(StandardCharsets.UTF_8));
            writeBytesField(buf, h.value());
        }
    }

    private static int bytesFieldSize(byte[] b) {
        return b == null ? Varints.sizeOfVarint(-1) : Varints.sizeOfVarint(b.length) + b.length;
    }

    private static void writeBytesField(ByteBuffer buf, byte[] b) {
        if (b == null) {
            Varints.writeVarint(-1, buf);
        } else {
            Varints.writeVarint(b.length, buf);
            buf.put(b);
        }
    }
}
