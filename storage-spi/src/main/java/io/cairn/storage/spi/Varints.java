package io.cairn.storage.spi;

import java.nio.ByteBuffer;

/**
 * Kafka's zig-zag variable-length integers (protobuf's {@code sint32}/{@code sint64} encoding), as
 * the v2 record format uses them inside a batch for record lengths, timestamp and offset deltas,
 * and key, value and header sizes. Shared by every bundle that reads or writes records inside a
 * batch, so that the format is decoded one way.
 *
 * <p>Readers check the encoded length (at most 5 bytes for an int, 10 for a long) and throw
 * {@link IllegalArgumentException} beyond it; a buffer that ends first throws
 * {@link java.nio.BufferUnderflowException}.
 *
 * <p>Stateless; thread-safe.
 */
public final class Varints {

    private Varints() {
    }

    /** Reads a zig-zag varint at the buffer's position, advancing it. */
    public static int readVarint(ByteBuffer buffer) {
        int value = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            byte b = buffer.get();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (value >>> 1) ^ -(value & 1);
            }
        }
        throw new IllegalArgumentException("Varint is longer than 5 bytes");
    }

    /** Reads a zig-zag varlong at the buffer's position, advancing it. */
    public static long readVarlong(ByteBuffer buffer) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = buffer.get();
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (value >>> 1) ^ -(value & 1);
            }
        }
        throw new IllegalArgumentException("Varlong is longer than 10 bytes");
    }

    /** Writes {@code value} zig-zag encoded at the buffer's position, advancing it. */
    public static void writeVarint(int value, ByteBuffer out) {
        int v = (value << 1) ^ (value >> 31);
        while ((v & 0xffffff80) != 0) {
            out.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    /** Writes {@code value} zig-zag encoded at the buffer's position, advancing it. */
    public static void writeVarlong(long value, ByteBuffer out) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & 0xffffffffffffff80L) != 0L) {
            out.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    /** The number of bytes {@link #writeVarint} writes for {@code value}: 1 to 5. */
    public static int sizeOfVarint(int value) {
        int v = (value << 1) ^ (value >> 31);
        int bytes = 1;
        while ((v & 0xffffff80) != 0) {
            bytes++;
            v >>>= 7;
        }
        return bytes;
    }

    /** The number of bytes {@link #writeVarlong} writes for {@code value}: 1 to 10. */
    public static int sizeOfVarlong(long value) {
        long v = (value << 1) ^ (value >> 63);
        int bytes = 1;
        while ((v & 0xffffffffffffff80L) != 0L) {
            bytes++;
            v >>>= 7;
        }
        return bytes;
    }
}
