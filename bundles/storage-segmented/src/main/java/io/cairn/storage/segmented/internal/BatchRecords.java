package io.cairn.storage.segmented.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import io.cairn.storage.spi.BatchHeader;
import io.cairn.storage.spi.Varints;

/**
 * The records inside one Kafka v2 batch, decoded without any Kafka library, and the rewriting of a
 * batch that keeps only some of them, as Kafka's log cleaner rewrites batches.
 *
 * <p>A record in the (decompressed) records section is
 * {@code length varint | attributes int8 | timestampDelta varlong | offsetDelta varint |
 * keyLength varint | key | valueLength varint | value | headerCount varint | headers}; a negative
 * key or value length means null. Only what compaction needs is decoded: the offset, the
 * timestamp, the key and whether the value is null. Headers and everything else are copied as
 * bytes, so a rewritten record is the same record.
 *
 * <p>Not thread-safe: one instance per batch being looked at.
 */
final class BatchRecords {

    /** Attribute bit Kafka sets when the base timestamp holds the batch's delete horizon (KIP-534). */
    static final int DELETE_HORIZON_FLAG = 0x40;
    private static final int COMPRESSION_MASK = 0x07;

    /**
     * One record, as positions into the decompressed records section.
     *
     * @param start where its length varint starts
     * @param bodyStart where its attributes byte starts (just after the length varint)
     * @param afterTimestamp where its offset delta starts (just after the timestamp delta)
     * @param end the position after its last header
     * @param keyStart where the key starts, or -1 for a null key
     */
    record Record(int start, int bodyStart, int afterTimestamp, int end, long offset, long timestamp,
            int keyStart, int keyLength, boolean hasValue) {

        boolean hasKey() {
            return keyStart >= 0;
        }
    }

    private final BatchHeader header;
    private final ByteBuffer records;
    private final List<Record> list;

    private BatchRecords(BatchHeader header, ByteBuffer records, List<Record> list) {
        this.header = header;
        this.records = records;
        this.list = list;
    }

    /** Whether the batch has a delete horizon (its base timestamp is then that horizon). */
    static boolean hasDeleteHorizon(BatchHeader header) {
        return (header.attributes() & DELETE_HORIZON_FLAG) != 0;
    }

    /**
     * Decodes the records of the whole batch in {@code batch} (position 0 to limit), decompressing
     * the records section if needed.
     *
     * @throws IOException if the batch or its records are malformed
     */
    static BatchRecords decode(ByteBuffer batch) throws IOException {
        BatchHeader header = BatchHeader.read(batch, 0);
        ByteBuffer section = batch.duplicate().limit(header.sizeInBytes()).position(BatchHeader.HEADER_SIZE).slice();
        ByteBuffer records = Compression.decompress(header.compression(), section, section.remaining() * 2);
        List<Record> list = new ArrayList<>(Math.max(0, Math.min(header.recordsCount(), 1 << 16)));
        try {
            ByteBuffer in = records.duplicate();
            for (int i = 0; i < header.recordsCount(); i++) {
                int start = in.position();
                int length = Varints.readVarint(in);
                int bodyStart = in.position();
                int end = bodyStart + length;
                if (length < 0 || end > in.limit()) {
                    throw new IOException("Record " + i + " of the batch at offset " + header.baseOffset() + " is truncated");
                }
                in.get(); // attributes: unused by the format today
                long timestampDelta = Varints.readVarlong(in);
                int afterTimestamp = in.position();
                int offsetDelta = Varints.readVarint(in);
                int keyLength = Varints.readVarint(in);
                int keyStart = keyLength < 0 ? -1 : in.position();
                if (keyLength > 0) {
                    in.position(in.position() + keyLength);
                }
                int valueLength = Varints.readVarint(in);
                list.add(new Record(start, bodyStart, afterTimestamp, end, header.baseOffset() + offsetDelta,
                        header.baseTimestamp() + timestampDelta, keyStart, Math.max(keyLength, 0), valueLength >= 0));
                in.position(end);
            }
        } catch (RuntimeException e) {
            throw new IOException("Malformed records in the batch at offset " + header.baseOffset() + ": " + e, e);
        }
        return new BatchRecords(header, records, list);
    }

    BatchHeader header() {
        return header;
    }

    List<Record> records() {
        return list;
    }

    /** The key of {@code record} as a read-only view (valid while this object is). */
    ByteBuffer key(Record record) {
        return records.duplicate().limit(record.keyStart() + record.keyLength()).position(record.keyStart()).slice();
    }

    /**
     * A new batch holding only {@code retained} (a subsequence of {@link #records()}), with
     * Kafka's cleaner rules: base offset, last offset delta, partition leader epoch, producer id,
     * epoch and base sequence, timestamp type, the transactional and control flags and the codec
     * are kept; the records section is recompressed; the max timestamp is that of the retained
     * records (the batch's own for LogAppendTime); with {@code deleteHorizonMs} ≥ 0 the horizon
     * flag is set and the base timestamp becomes the horizon (record timestamps are re-based so
     * they do not change).
     */
    ByteBuffer rebuild(List<Record> retained, long deleteHorizonMs) throws IOException {
        if (retained.isEmpty()) {
            return emptyBatch(header);
        }
        boolean horizon = deleteHorizonMs >= 0;
        long baseTimestamp = horizon ? deleteHorizonMs : header.baseTimestamp();
        long maxTimestamp = BatchHeader.NO_TIMESTAMP;
        int size = 0;
        for (Record r : retained) {
            maxTimestamp = Math.max(maxTimestamp, r.timestamp());
            size += horizon ? rebasedSize(r, baseTimestamp) : r.end() - r.start();
        }
        if (header.isLogAppendTime()) {
            maxTimestamp = header.maxTimestamp();
        }
        byte[] section = new byte[size];
        ByteBuffer out = ByteBuffer.wrap(section);
        for (Record r : retained) {
            if (horizon) {
                int bodyLength = 1 + Varints.sizeOfVarlong(r.timestamp() - baseTimestamp) + (r.end() - r.afterTimestamp());
                Varints.writeVarint(bodyLength, out);
                out.put(records.get(r.bodyStart()));
                Varints.writeVarlong(r.timestamp() - baseTimestamp, out);
                out.put(records.duplicate().limit(r.end()).position(r.afterTimestamp()));
            } else {
                out.put(records.duplicate().limit(r.end()).position(r.start()));
            }
        }
        int codec = header.compression();
        byte[] body = codec == Compression.NONE ? section : Compression.compress(codec, section, 0, section.length);
        short attributes = (short) (horizon ? header.attributes() | DELETE_HORIZON_FLAG : header.attributes());
        ByteBuffer batch = ByteBuffer.allocate(BatchHeader.HEADER_SIZE + body.length);
        writeHeader(batch, header.baseOffset(), header.partitionLeaderEpoch(), attributes, header.lastOffsetDelta(),
                baseTimestamp, maxTimestamp, header.producerId(), header.producerEpoch(), header.baseSequence(),
                retained.size());
        batch.position(BatchHeader.HEADER_SIZE);
        batch.put(body);
        return sealed(batch);
    }

    private static int rebasedSize(Record r, long baseTimestamp) {
        int body = 1 + Varints.sizeOfVarlong(r.timestamp() - baseTimestamp) + (r.end() - r.afterTimestamp());
        return Varints.sizeOfVarint(body) + body;
    }

    /**
     * A batch with no records that keeps {@code original}'s offsets and producer metadata, as
     * Kafka's cleaner keeps the last batch of a producer ({@code DefaultRecordBatch.writeEmptyHeader}):
     * no codec, both timestamps set to the original max timestamp.
     */
    static ByteBuffer emptyBatch(BatchHeader original) {
        ByteBuffer batch = ByteBuffer.allocate(BatchHeader.HEADER_SIZE);
        short attributes = (short) (original.attributes() & ~COMPRESSION_MASK & ~DELETE_HORIZON_FLAG);
        writeHeader(batch, original.baseOffset(), original.partitionLeaderEpoch(), attributes, original.lastOffsetDelta(),
                original.maxTimestamp(), original.maxTimestamp(), original.producerId(), original.producerEpoch(),
                original.baseSequence(), 0);
        return sealed(batch);
    }

    private static void writeHeader(ByteBuffer batch, long baseOffset, int leaderEpoch, short attributes,
            int lastOffsetDelta, long baseTimestamp, long maxTimestamp, long producerId, short producerEpoch,
            int baseSequence, int count) {
        batch.order(ByteOrder.BIG_ENDIAN);
        batch.putLong(0, baseOffset);
        batch.putInt(8, batch.capacity() - BatchHeader.LOG_OVERHEAD);
        batch.putInt(12, leaderEpoch);
        batch.put(16, BatchHeader.MAGIC_V2);
        batch.putShort(21, attributes);
        batch.putInt(23, lastOffsetDelta);
        batch.putLong(27, baseTimestamp);
        batch.putLong(35, maxTimestamp);
        batch.putLong(43, producerId);
        batch.putShort(51, producerEpoch);
        batch.putInt(53, baseSequence);
        batch.putInt(57, count);
    }

    private static ByteBuffer sealed(ByteBuffer batch) {
        CRC32C crc = new CRC32C();
        crc.update(batch.duplicate().clear().position(BatchHeader.ATTRIBUTES_OFFSET));
        batch.putInt(17, (int) crc.getValue());
        return batch.clear();
    }
}
