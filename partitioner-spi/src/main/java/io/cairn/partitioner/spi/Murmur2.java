package io.cairn.partitioner.spi;

import java.nio.ByteBuffer;

/**
 * Kafka's key hash: 32-bit MurmurHash2 (Austin Appleby's public-domain algorithm) with the seed
 * and byte order that Kafka's Java client uses, so that {@link #partitionForKey} puts a key in the
 * partition where {@code kafka-clients}' default partitioner, librdkafka's {@code murmur2_random}
 * and KafkaJS's default partitioner put it. Stateless and thread-safe.
 */
public final class Murmur2 {

    /** Kafka's seed. */
    private static final int SEED = 0x9747b28c;
    /** MurmurHash2's mixing constants. */
    private static final int M = 0x5bd1e995;
    private static final int R = 24;

    private Murmur2() {
    }

    /**
     * The hash of {@code data}.
     *
     * @param data the bytes
     * @return the 32-bit hash
     */
    public static int hash(byte[] data) {
        return hash(ByteBuffer.wrap(data));
    }

    /**
     * The hash of the bytes from {@code data}'s position to its limit. The buffer's position is
     * left as it was.
     *
     * @param data the bytes
     * @return the 32-bit hash
     */
    public static int hash(ByteBuffer data) {
        int start = data.position();
        int length = data.remaining();
        int h = SEED ^ length;
        int whole = length & ~3;
        // Four bytes at a time, little-endian, whatever the buffer's own byte order.
        for (int i = 0; i < whole; i += 4) {
            int k = (data.get(start + i) & 0xff)
                    | (data.get(start + i + 1) & 0xff) << 8
                    | (data.get(start + i + 2) & 0xff) << 16
                    | (data.get(start + i + 3) & 0xff) << 24;
            k *= M;
            k ^= k >>> R;
            k *= M;
            h *= M;
            h ^= k;
        }
        // The last one to three bytes.
        int tail = length - whole;
        if (tail > 0) {
            if (tail == 3) {
                h ^= (data.get(start + whole + 2) & 0xff) << 16;
            }
            if (tail >= 2) {
                h ^= (data.get(start + whole + 1) & 0xff) << 8;
            }
            h ^= data.get(start + whole) & 0xff;
            h *= M;
        }
        h ^= h >>> 13;
        h *= M;
        h ^= h >>> 15;
        return h;
    }

    /**
     * A hash made non-negative the way Kafka does it: by clearing the sign bit, not by
     * {@link Math#abs}, which would leave {@link Integer#MIN_VALUE} negative and give a different
     * partition for every other negative hash.
     *
     * @param hash any int
     * @return {@code hash & 0x7fffffff}
     */
    public static int toPositive(int hash) {
        return hash & 0x7fffffff;
    }

    /**
     * The partition Kafka's producer gives a record with this key:
     * {@code toPositive(hash(key)) % partitionCount}. The buffer's position is left as it was.
     *
     * @param key the key bytes, from position to limit; an empty key is hashed like any other
     * @param partitionCount the topic's partitions, at least 1
     * @return the partition, in {@code [0, partitionCount)}
     */
    public static int partitionForKey(ByteBuffer key, int partitionCount) {
        return toPositive(hash(key)) % partitionCount;
    }
}
