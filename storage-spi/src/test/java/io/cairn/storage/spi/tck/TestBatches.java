package io.cairn.storage.spi.tck;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32C;

import io.cairn.storage.spi.BatchHeader;

/**
 * Builds uncompressed Kafka v2 record batches byte by byte, as the broker stamps them, so that the
 * contract test needs no Kafka library. Engine tests cross-check these bytes against kafka-clients.
 *
 * <p>Record {@code i} of a batch has offset {@code baseOffset + i}, timestamp
 * {@code baseTimestamp + i}, no key, no headers, and a value of {@code valueSize} bytes that encode
 * its offset (see {@link #valueOf}).
 */
public final class TestBatches {

    private TestBatches() {
    }

    /** One batch of {@code records} records with {@code valueSize}-byte values. */
    public static ByteBuffer batch(long baseOffset, int epoch, long baseTimestamp, int records, int valueSize) {
        long[] timestamps = new long[records];
        for (int i = 0; i < records; i++) {
            timestamps[i] = baseTimestamp + i;
        }
        return batch(baseOffset, epoch, timestamps, valueSize);
    }

    /** One batch whose record {@code i} has timestamp {@code timestamps[i]}. */
    public static ByteBuffer batch(long baseOffset, int epoch, long[] timestamps, int valueSize) {
        if (timestamps.length == 0) {
            throw new IllegalArgumentException("A batch holds at least one record");
        }
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        long baseTimestamp = timestamps[0];
        long maxTimestamp = Long.MIN_VALUE;
        for (int i = 0; i < timestamps.length; i++) {
            maxTimestamp = Math.max(maxTimestamp, timestamps[i]);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(0); // attributes
            writeVarlong(body, timestamps[i] - baseTimestamp);
            writeVarint(body, i);
            writeVarint(body, -1); // null key
            byte[] value = valueOf(baseOffset + i, valueSize);
            writeVarint(body, value.length);
            body.writeBytes(value);
            writeVarint(body, 0); // no headers
            writeVarint(records, body.size());
            records.writeBytes(body.toByteArray());
        }
        int size = BatchHeader.HEADER_SIZE + records.size();
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putLong(baseOffset);
        buffer.putInt(size - BatchHeader.LOG_OVERHEAD);
        buffer.putInt(epoch);
        buffer.put(BatchHeader.MAGIC_V2);
        buffer.putInt(0); // crc, below
        buffer.putShort((short) 0); // attributes: no compression, CreateTime
        buffer.putInt(timestamps.length - 1);
        buffer.putLong(baseTimestamp);
        buffer.putLong(maxTimestamp);
        buffer.putLong(-1L); // producer id
        buffer.putShort((short) -1); // producer epoch
        buffer.putInt(-1); // base sequence
        buffer.putInt(timestamps.length);
        buffer.put(records.toByteArray());
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), BatchHeader.ATTRIBUTES_OFFSET, size - BatchHeader.ATTRIBUTES_OFFSET);
        buffer.putInt(17, (int) crc.getValue());
        return buffer.flip();
    }

    /** Several buffers as one, in order. */
    public static ByteBuffer concat(List<ByteBuffer> buffers) {
        int size = buffers.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer all = ByteBuffer.allocate(size);
        buffers.forEach(b -> all.put(b.duplicate()));
        return all.flip();
    }

    /** The value of the record at {@code offset}: its offset as 8 bytes, then filler. */
    public static byte[] valueOf(long offset, int valueSize) {
        byte[] value = new byte[Math.max(valueSize, 8)];
        ByteBuffer.wrap(value).putLong(offset);
        for (int i = 8; i < value.length; i++) {
            value[i] = (byte) (offset * 31 + i);
        }
        return value;
    }

    private static void writeVarint(ByteArrayOutputStream out, int value) {
        int v = (value << 1) ^ (value >> 31);
        while ((v & ~0x7f) != 0) {
            out.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static void writeVarlong(ByteArrayOutputStream out, long value) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
