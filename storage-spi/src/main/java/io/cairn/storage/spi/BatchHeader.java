package io.cairn.storage.spi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The fixed 61-byte header of a Kafka v2 record batch (magic 2), read without any Kafka library,
 * so that an engine can find offsets, lengths, timestamps and leader epochs in the bytes it keeps.
 *
 * <pre>
 * offset  size  field
 *      0     8  baseOffset
 *      8     4  batchLength            bytes that follow this field: a batch is 12 + batchLength long
 *     12     4  partitionLeaderEpoch
 *     16     1  magic                  2
 *     17     4  crc                    CRC-32C of everything from attributes to the batch end
 *     21     2  attributes             bits 0-2 compression, 3 timestamp type, 4 transactional, 5 control
 *     23     4  lastOffsetDelta
 *     27     8  baseTimestamp
 *     35     8  maxTimestamp
 *     43     8  producerId
 *     51     2  producerEpoch
 *     53     4  baseSequence
 *     57     4  recordsCount
 *     61        records
 * </pre>
 *
 * <p>A value type; the static methods are pure and thread-safe. Positions are absolute indexes into
 * the buffer; no method changes a buffer's position or limit.
 */
@ProviderType
public record BatchHeader(long baseOffset, int batchLength, int partitionLeaderEpoch, byte magic, int crc,
        short attributes, int lastOffsetDelta, long baseTimestamp, long maxTimestamp, long producerId,
        short producerEpoch, int baseSequence, int recordsCount) {

    /** Bytes of the header, from {@code baseOffset} to the first record. */
    public static final int HEADER_SIZE = 61;
    /** Bytes before the {@code batchLength} field's content begins: baseOffset and batchLength. */
    public static final int LOG_OVERHEAD = 12;
    /** Where the part covered by the CRC begins. */
    public static final int ATTRIBUTES_OFFSET = 21;
    /** Where the partition leader epoch is, for engines that patch it (they should not need to). */
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    /** The only record batch format Cairn stores. */
    public static final byte MAGIC_V2 = 2;
    /** Kafka's "no timestamp". */
    public static final long NO_TIMESTAMP = -1L;

    private static final int MAGIC_OFFSET = 16;
    private static final int CRC_OFFSET = 17;
    private static final int TIMESTAMP_TYPE_MASK = 0x08;
    private static final int COMPRESSION_MASK = 0x07;
    private static final int TRANSACTIONAL_MASK = 0x10;
    private static final int CONTROL_MASK = 0x20;

    /**
     * Reads the header at {@code position}.
     *
     * @throws IllegalArgumentException if fewer than {@link #HEADER_SIZE} bytes remain before the limit
     */
    public static BatchHeader read(ByteBuffer buffer, int position) {
        if (buffer.limit() - position < HEADER_SIZE) {
            throw new IllegalArgumentException("Only " + (buffer.limit() - position)
                    + " bytes at position " + position + ", a batch header needs " + HEADER_SIZE);
        }
        return new BatchHeader(
                buffer.getLong(position),
                buffer.getInt(position + 8),
                buffer.getInt(position + PARTITION_LEADER_EPOCH_OFFSET),
                buffer.get(position + MAGIC_OFFSET),
                buffer.getInt(position + CRC_OFFSET),
                buffer.getShort(position + ATTRIBUTES_OFFSET),
                buffer.getInt(position + 23),
                buffer.getLong(position + 27),
                buffer.getLong(position + 35),
                buffer.getLong(position + 43),
                buffer.getShort(position + 51),
                buffer.getInt(position + 53),
                buffer.getInt(position + 57));
    }

    /**
     * The headers of the whole batches between the buffer's position and limit, checked as
     * {@link PartitionLog#append} requires: every batch well-formed ({@link #problem}) and whole,
     * the first base offset at least {@code minBaseOffset}, each next batch starting after the
     * previous one's last offset.
     *
     * @throws IllegalArgumentException naming the first thing wrong
     */
    public static List<BatchHeader> readAll(ByteBuffer batches, long minBaseOffset) {
        List<BatchHeader> headers = new ArrayList<>();
        long expected = minBaseOffset;
        int position = batches.position();
        while (position < batches.limit()) {
            int remaining = batches.limit() - position;
            if (remaining < HEADER_SIZE) {
                throw new IllegalArgumentException(remaining + " trailing bytes at " + position + " are not a batch");
            }
            BatchHeader header = read(batches, position);
            String problem = header.problem(remaining);
            if (problem != null) {
                throw new IllegalArgumentException("Batch at position " + position + ": " + problem);
            }
            if (header.baseOffset < expected) {
                throw new IllegalArgumentException("Batch at position " + position + " starts at offset "
                        + header.baseOffset + ", expected at least " + expected);
            }
            headers.add(header);
            expected = header.nextOffset();
            position += header.sizeInBytes();
        }
        return headers;
    }

    /**
     * Why this header cannot start a well-formed v2 batch, or {@code null} if it can: the magic
     * byte, the length (at least a header, at most {@code maxSize}), a non-negative base offset and
     * last offset delta. The CRC is not checked here: see {@link #crcMatches}.
     */
    public String problem(int maxSize) {
        if (magic != MAGIC_V2) {
            return "magic " + magic + " is not 2";
        }
        if (batchLength < HEADER_SIZE - LOG_OVERHEAD) {
            return "batch length " + batchLength + " is shorter than a header";
        }
        if ((long) batchLength + LOG_OVERHEAD > maxSize) {
            return "batch of " + ((long) batchLength + LOG_OVERHEAD) + " bytes does not fit in " + maxSize;
        }
        if (baseOffset < 0 || lastOffsetDelta < 0 || baseOffset + lastOffsetDelta < baseOffset) {
            return "offsets " + baseOffset + "+" + lastOffsetDelta + " are not valid";
        }
        return null;
    }

    /**
     * Whether the CRC-32C stored in the batch at {@code position} matches its content.
     *
     * @throws IllegalArgumentException if the whole batch is not within the buffer
     */
    public static boolean crcMatches(ByteBuffer buffer, int position) {
        BatchHeader header = read(buffer, position);
        int end = position + header.sizeInBytes();
        if (header.batchLength < HEADER_SIZE - LOG_OVERHEAD || end > buffer.limit() || end < position) {
            throw new IllegalArgumentException("Batch at " + position + " is not whole in the buffer");
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate().limit(end).position(position + ATTRIBUTES_OFFSET));
        return (int) crc.getValue() == header.crc;
    }

    /** Bytes of the whole batch, header included. */
    public int sizeInBytes() {
        return LOG_OVERHEAD + batchLength;
    }

    /** The offset of the batch's last record. */
    public long lastOffset() {
        return baseOffset + lastOffsetDelta;
    }

    /** The offset that follows this batch. */
    public long nextOffset() {
        return lastOffset() + 1;
    }

    /** The compression codec id: 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd. */
    public int compression() {
        return attributes & COMPRESSION_MASK;
    }

    /** Whether the batch's timestamps are the broker's append time rather than the producer's. */
    public boolean isLogAppendTime() {
        return (attributes & TIMESTAMP_TYPE_MASK) != 0;
    }

    /** Whether the batch belongs to a transaction. */
    public boolean isTransactional() {
        return (attributes & TRANSACTIONAL_MASK) != 0;
    }

    /** Whether the batch holds a control record (a transaction marker). */
    public boolean isControl() {
        return (attributes & CONTROL_MASK) != 0;
    }

    /**
     * The first record of the batch at {@code position} whose timestamp is at least
     * {@code timestamp}, as Kafka's ListOffsets answers it.
     *
     * <p>Records are looked at one by one when the batch is uncompressed; in a compressed batch
     * (whose records an engine does not decompress) the answer is the batch's base offset with its
     * max timestamp, which is never later than the exact record: a consumer that seeks there sees
     * every record at or after the timestamp, and possibly a few before it.
     *
     * @param minOffset records below this offset (the log start) are not answers
     * @return {@code null} if no record at or above {@code minOffset} can be that late
     */
    public static TimestampOffset firstRecordAtOrAfter(ByteBuffer buffer, int position, long timestamp, long minOffset) {
        BatchHeader header = read(buffer, position);
        if (header.maxTimestamp < timestamp || header.lastOffset() < minOffset) {
            return null;
        }
        long batchAnswer = Math.max(header.baseOffset, minOffset);
        if (header.isLogAppendTime()) {
            // Every record of a LogAppendTime batch has the batch's timestamp.
            return new TimestampOffset(header.maxTimestamp, batchAnswer);
        }
        if (header.compression() != 0) {
            return new TimestampOffset(header.maxTimestamp, batchAnswer);
        }
        ByteBuffer records = buffer.duplicate().limit(position + header.sizeInBytes()).position(position + HEADER_SIZE);
        for (int i = 0; i < header.recordsCount && records.hasRemaining(); i++) {
            int length = Varints.readVarint(records);
            int start = records.position();
            records.get(); // record attributes, unused
            long recordTimestamp = header.baseTimestamp + Varints.readVarlong(records);
            int offsetDelta = Varints.readVarint(records);
            if (recordTimestamp >= timestamp && header.baseOffset + offsetDelta >= minOffset) {
                return new TimestampOffset(recordTimestamp, header.baseOffset + offsetDelta);
            }
            records.position(start + length);
        }
        // The max timestamp is on a record below minOffset, or the records are malformed.
        return null;
    }
}
