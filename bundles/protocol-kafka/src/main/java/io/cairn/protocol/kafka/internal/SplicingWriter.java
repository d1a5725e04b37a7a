package io.cairn.protocol.kafka.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.record.internal.BaseRecords;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;

/**
 * kafka-clients' {@link Writable} over a Netty buffer, in the byte order and varint encoding of
 * kafka-clients' own {@code ByteBufferAccessor}, except for records: a {@link LogRegionRecords}
 * field is not copied but noted as a cut in the buffer with its region, to be interleaved with
 * the buffer by {@link #finish()}. Other records (in-memory) are copied as kafka-clients does.
 *
 * <p>Thread-safety: confined to one encode call.
 */
final class SplicingWriter implements Writable {

    private final ByteBuf buffer;
    private final List<Integer> cuts = new ArrayList<>();
    private final List<Object> regions = new ArrayList<>();
    private long splicedBytes;

    SplicingWriter(ByteBuf buffer) {
        this.buffer = buffer;
    }

    @Override
    public void writeByte(byte val) {
        buffer.writeByte(val);
    }

    @Override
    public void writeShort(short val) {
        buffer.writeShort(val);
    }

    @Override
    public void writeInt(int val) {
        buffer.writeInt(val);
    }

    @Override
    public void writeLong(long val) {
        buffer.writeLong(val);
    }

    @Override
    public void writeDouble(double val) {
        buffer.writeDouble(val);
    }

    @Override
    public void writeByteArray(byte[] arr) {
        buffer.writeBytes(arr);
    }

    @Override
    public void writeUnsignedVarint(int i) {
        int value = i;
        while ((value & 0xffffff80) != 0) {
            buffer.writeByte((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        buffer.writeByte(value);
    }

    @Override
    public void writeByteBuffer(ByteBuffer buf) {
        buffer.writeBytes(buf.duplicate());
    }

    @Override
    public void writeVarint(int i) {
        writeUnsignedVarint((i << 1) ^ (i >> 31));
    }

    @Override
    public void writeVarlong(long i) {
        long value = (i << 1) ^ (i >> 63);
        while ((value & 0xffffffffffffff80L) != 0L) {
            buffer.writeByte(((int) value & 0x7f) | 0x80);
            value >>>= 7;
        }
        buffer.writeByte((int) value);
    }

    @Override
    public void writeRecords(BaseRecords records) {
        if (records instanceof LogRegionRecords region) {
            cuts.add(buffer.writerIndex());
            splicedBytes += region.sizeInBytes();
            regions.add(region.toFileRegion());
        } else {
            Writable.super.writeRecords(records);
        }
    }

    /** Record bytes noted rather than written. */
    long splicedBytes() {
        return splicedBytes;
    }

    /**
     * The output, in stream order: slices of the buffer (each retained, so the caller still releases
     * the buffer itself) interleaved with the regions, which the output now owns.
     */
    List<Object> finish() {
        List<Object> parts = new ArrayList<>(2 * regions.size() + 1);
        int from = 0;
        for (int i = 0; i < regions.size(); i++) {
            int at = cuts.get(i);
            if (at > from) {
                parts.add(buffer.retainedSlice(from, at - from));
            }
            parts.add(regions.get(i));
            from = at;
        }
        if (buffer.writerIndex() > from) {
            parts.add(buffer.retainedSlice(from, buffer.writerIndex() - from));
        }
        regions.clear();
        return parts;
    }

    /** Releases the regions taken so far, when the encode fails before {@link #finish()}. */
    void abandon() {
        regions.forEach(ReferenceCountUtil::release);
        regions.clear();
    }
}
