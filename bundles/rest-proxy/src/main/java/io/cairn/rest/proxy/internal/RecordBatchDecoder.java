package io.cairn.rest.proxy.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;

import io.cairn.storage.spi.BatchHeader;
import io.cairn.storage.spi.Varints;
import net.jpountz.lz4.LZ4FrameInputStream;
import org.xerial.snappy.SnappyInputStream;

/**
 * Reads the records out of Kafka v2 record batches as the log stores them, for the REST proxy's
 * consumers, without any Kafka library.
 *
 * <p>Each batch: the 61-byte header ({@link BatchHeader}), CRC-32C checked as a Kafka consumer
 * does ({@code check.crcs}), then the records, compressed as a whole when the header's codec bits
 * say so — gzip ({@code java.util.zip}), snappy (xerial's stream framing, which Kafka writes),
 * lz4 (the LZ4 frame format) and zstd (a zstd frame), from the codec bundles the broker already
 * deploys for the Kafka front end. A record is: length, attributes, timestamp delta (varlong),
 * offset delta, key length (-1 for none) and key, value likewise, header count and headers, all
 * varints zig-zag encoded. Control batches (transaction markers) are skipped; records of
 * transactional batches are returned as a {@code read_uncommitted} consumer sees them.
 *
 * <p>Stateless and thread-safe.
 */
final class RecordBatchDecoder {

    /** One record of a batch. {@code key} and {@code value} are {@code null} when absent. */
    record DecodedRecord(long offset, long timestamp, byte[] key, byte[] value) {
        /** The bytes the proxy counts against a response's {@code max_bytes}. */
        int size() {
            return (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        }
    }

    /** A batch that is not a well-formed v2 batch, or whose records cannot be read. */
    static final class CorruptBatchException extends Exception {
        private static final long serialVersionUID = 1L;

        CorruptBatchException(String message) {
            super(message);
        }

        CorruptBatchException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** What one call read: the records at or after the requested offset, and where to read next. */
    record Decoded(List<DecodedRecord> records, long nextOffset) {
    }

    private RecordBatchDecoder() {
    }

    /**
     * The records of the whole batches between {@code batches}' position and limit whose offsets are
     * at least {@code fromOffset} (a read may start inside a batch). A trailing partial batch is
     * ignored.
     *
     * @return the records in offset order and the offset after the last batch read (or
     *     {@code fromOffset} if none was whole)
     * @throws CorruptBatchException naming the batch that is not readable
     */
    static Decoded decode(ByteBuffer batches, long fromOffset) throws CorruptBatchException {
        List<DecodedRecord> out = new ArrayList<>();
        long next = fromOffset;
        int position = batches.position();
        while (batches.limit() - position >= BatchHeader.HEADER_SIZE) {
            BatchHeader header = BatchHeader.read(batches, position);
            int remaining = batches.limit() - position;
            if (header.magic() != BatchHeader.MAGIC_V2) {
                throw new CorruptBatchException("Batch at offset " + header.baseOffset() + " has magic "
                        + header.magic() + "; only v2 batches are read");
            }
            if ((long) header.batchLength() + BatchHeader.LOG_OVERHEAD > remaining) {
                break; // partial batch at the end of the region
            }
            String problem = header.problem(remaining);
            if (problem != null) {
                throw new CorruptBatchException("Batch at offset " + header.baseOffset() + ": " + problem);
            }
            if (!BatchHeader.crcMatches(batches, position)) {
                throw new CorruptBatchException("Batch at offset " + header.baseOffset() + " fails its CRC-32C check");
            }
            if (!header.isControl() && header.lastOffset() >= fromOffset) {
                ByteBuffer body = batches.duplicate().limit(position + header.sizeInBytes())
                        .position(position + BatchHeader.HEADER_SIZE).slice();
                readRecords(header, records(header, body), fromOffset, out);
            }
            next = Math.max(next, header.nextOffset());
            position += header.sizeInBytes();
        }
        return new Decoded(out, next);
    }

    /** The batch's record bytes, decompressed. */
    private static ByteBuffer records(BatchHeader header, ByteBuffer body) throws CorruptBatchException {
        int codec = header.compression();
        if (codec == 0) {
            return body;
        }
        byte[] compressed = new byte[body.remaining()];
        body.get(compressed);
        try (InputStream in = decompressing(codec, new ByteArrayInputStream(compressed))) {
            ByteArrayOutputStream plain = new ByteArrayOutputStream(Math.max(64, compressed.length * 4));
            in.transferTo(plain);
            return ByteBuffer.wrap(plain.toByteArray());
        } catch (IOException | RuntimeException | LinkageError e) {
            throw new CorruptBatchException("Batch at offset " + header.baseOffset() + " cannot be decompressed ("
                    + codecName(codec) + "): " + e, e);
        }
    }

    private static InputStream decompressing(int codec, InputStream in) throws IOException, CorruptBatchException {
        switch (codec) {
            case 1:
                return new GZIPInputStream(in, 8192);
            case 2:
                return new SnappyInputStream(in);
            case 3:
                return new LZ4FrameInputStream(in);
            case 4:
                return new ZstdInputStreamNoFinalizer(in);
            default:
                throw new CorruptBatchException("Unknown compression codec " + codec);
        }
    }

    /** Kafka's name of a codec id. */
    static String codecName(int codec) {
        return switch (codec) {
            case 0 -> "none";
            case 1 -> "gzip";
            case 2 -> "snappy";
            case 3 -> "lz4";
            case 4 -> "zstd";
            default -> "codec " + codec;
        };
    }

    private static void readRecords(BatchHeader header, ByteBuffer records, long fromOffset, List<DecodedRecord> out)
            throws CorruptBatchException {
        try {
            for (int i = 0; i < header.recordsCount(); i++) {
                int length = Varints.readVarint(records);
                int end = records.position() + length;
                if (length < 0 || end > records.limit()) {
                    throw new CorruptBatchException("Record " + i + " of the batch at offset " + header.baseOffset()
                            + " has length " + length + " beyond the batch");
                }
                records.get(); // attributes: unused in v2
                long timestampDelta = Varints.readVarlong(records);
                int offsetDelta = Varints.readVarint(records);
                byte[] key = readBytes(records);
                byte[] value = readBytes(records);
                // Headers follow; v2 of the REST API has none to return, so they are skipped whole.
                records.position(end);
                long offset = header.baseOffset() + offsetDelta;
                if (offset >= fromOffset) {
                    long timestamp = header.isLogAppendTime() ? header.maxTimestamp() : header.baseTimestamp() + timestampDelta;
                    out.add(new DecodedRecord(offset, timestamp, key, value));
                }
            }
        } catch (RuntimeException e) {
            throw new CorruptBatchException("Records of the batch at offset " + header.baseOffset() + " are malformed: " + e, e);
        }
    }

    private static byte[] readBytes(ByteBuffer buffer) {
        int length = Varints.readVarint(buffer);
        if (length < 0) {
            return null;
        }
        byte[] b = new byte[length];
        buffer.get(b);
        return b;
    }
}
