package io.cairn.storage.segmented.internal;

import java.nio.ByteBuffer;

/**
 * Kafka's zig-zag variable-length integers (protobuf's sint32/sint64 encoding), as the v2 record
 * format uses them for record lengths, deltas and key/value/header sizes.
 *
 * <p>Stateless; thread-safe.
 */
final class Varints {

    private Varints() {
    }

    /** Reads a zig-zag varint at the buffer's position, advancing it. */
    static int readVarint(ByteBuffer buffer) {
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
    static long readVarlong(ByteBuffer buffer) {
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

    static void writeVarint(int value, ByteBuffer out) {
        int v = (value << 1) ^ (value >> 31);
        while ((v & 0xffffff80) != 0) {
            out.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    static void writeVarlong(long value, ByteBuffer out) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & 0xffffffffffffff80L) != 0L) {
            out.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    static int sizeOfVarint(int value) {
        int v = (value << 1) ^ (value >> 31);
        int bytes = 1;
        while ((v & 0xffffff80) != 0) {
            bytes++;
            v >>>= 7;
        }
        return bytes;
    }

    static int sizeOfVarlong(long value) {
        long v = (value << 1) ^ (value >> 63);
        int bytes = 1;
        while ((v & 0xffffffffffffff80L) != 0L) {
            bytes++;
            v >>>= 7;
        }
        return bytes;
    }
}
