package io.cairn.offsets.topic.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import io.cairn.storage.spi.BatchHeader;
import io.cairn.storage.spi.Varints;

/**
 * Kafka v2 record batches, written and read without a Kafka library: an uncompressed batch of
 * key/value records to append, and the records of the batches read back. Layout in
 * {@link BatchHeader}; each record is
 * {@code varint length, int8 attributes, varlong timestamp delta, varint offset delta,
 * varint key length, key, varint value length (-1 for null), value, varint header count}, with
 * zig-zag varints, and the batch CRC is CRC-32C from the attributes to the end.
 *
 * <p>Stateless and thread-safe.
 */
final class RecordBatches {

    /** A record's key and value; the value is {@code null} for a tombstone. */
    record KeyValue(byte[] key, byte[] value) {
    }

    /** A record read back, with its offset. */
    record Read(long offset, ByteBuffer key, ByteBuffer value) {
    }

    private RecordBatches() {
    }

    /** An uncompressed v2 batch of {@code records} (base offset 0; the partition assigns offsets). */
    static ByteBuffer batch(List<KeyValue> records, long timestamp) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < records.size(); i++) {
            KeyValue kv = records.get(i);
            ByteArrayOutputStream r = new ByteArrayOutputStream();
            r.write(0); // attributes
            writeVarlong(r, 0); // timestamp delta
            writeVarint(r, i); // offset delta
            writeVarint(r, kv.key().length);
            r.writeBytes(kv.key());
            if (kv.value() == null) {
                writeVarint(r, -1);
            } else {
                writeVarint(r, kv.value().length);
                r.writeBytes(kv.value());
            }
            writeVarint(r, 0); // headers
            writeVarint(body, r.size());
            body.writeBytes(r.toByteArray());
        }
        byte[] recs = body.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(BatchHeader.HEADER_SIZE + recs.length);
        b.putLong(0) // base offset
                .putInt(BatchHeader.HEADER_SIZE - BatchHeader.LOG_OVERHEAD + recs.length) // batch length
                .putInt(-1) // partition leader epoch: stamped by the partition
                .put(BatchHeader.MAGIC_V2)
                .putInt(0) // crc, below
                .putShort((short) 0) // attributes: no compression, CreateTime
                .putInt(records.size() - 1) // last offset delta
                .putLong(timestamp).putLong(timestamp)
                .putLong(-1L).putShort((short) -1).putInt(-1) // no producer id, epoch, sequence
                .putInt(records.size())
                .put(recs);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), BatchHeader.ATTRIBUTES_OFFSET, b.capacity() - BatchHeader.ATTRIBUTES_OFFSET);
        b.putInt(17, (int) crc.getValue());
        return b.flip();
    }

    /**
     * The records of every whole batch in {@code batches}. Compressed and control batches are
     * skipped (this store never writes them); so is a batch whose CRC does not match.
     *
     * @return the records, and in {@code next[0]} the offset after the last whole batch
     */
    static List<Read> records(ByteBuffer batches, long[] next) {
        List<Read> result = new ArrayList<>();
        int position = batches.position();
        while (batches.limit() - position >= BatchHeader.HEADER_SIZE) {
            BatchHeader h = BatchHeader.read(batches, position);
            int size = h.sizeInBytes();
            if (size > batches.limit() - position) {
                break;
            }
            next[0] = h.baseOffset() + h.lastOffsetDelta() + 1;
            boolean control = (h.attributes() & 0x20) != 0;
            if (h.compression() == 0 && !control && BatchHeader.crcMatches(batches, position)) {
                ByteBuffer recs = batches.duplicate().position(position + BatchHeader.HEADER_SIZE).limit(position + size)
                        .slice();
                for (int i = 0; i < h.recordsCount() && recs.hasRemaining(); i++) {
                    int length = Varints.readVarint(recs);
                    int start = recs.position();
                    recs.get(); // attributes
                    Varints.readVarlong(recs); // timestamp delta
                    int offsetDelta = Varints.readVarint(recs);
                    int keyLength = Varints.readVarint(recs);
                    ByteBuffer key = keyLength < 0 ? null : recs.slice(recs.position(), keyLength);
                    recs.position(recs.position() + Math.max(keyLength, 0));
                    int valueLength = Varints.readVarint(recs);
                    ByteBuffer value = valueLength < 0 ? null : recs.slice(recs.position(), valueLength);
                    recs.position(start + length);
                    if (key != null) {
                        result.add(new Read(h.baseOffset() + offsetDelta, key, value));
                    }
                }
            }
            position += size;
        }
        return result;
    }

    private static void writeVarint(ByteArrayOutputStream out, int value) {
        int v = (value << 1) ^ (value >> 31);
        while ((v & 0xffffff80) != 0) {
            out.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static void writeVarlong(ByteArrayOutputStream out, long value) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & 0xffffffffffffff80L) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
