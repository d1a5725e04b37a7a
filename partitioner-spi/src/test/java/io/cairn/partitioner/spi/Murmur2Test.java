package io.cairn.partitioner.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** {@link Murmur2} against the Java client's own {@code Utils.murmur2}, the oracle. */
class Murmur2Test {

    @Test
    void agreesWithTheJavaClientForEveryLengthUpTo64AndRandomLongerKeys() {
        Random random = new Random(20240601L);
        for (int length = 0; length <= 64; length++) {
            for (int i = 0; i < 200; i++) {
                byte[] key = new byte[length];
                random.nextBytes(key);
                assertEquals(Utils.murmur2(key), Murmur2.hash(key), "length " + length);
            }
        }
        for (int i = 0; i < 1_000; i++) {
            byte[] key = new byte[65 + random.nextInt(4_000)];
            random.nextBytes(key);
            assertEquals(Utils.murmur2(key), Murmur2.hash(key), "length " + key.length);
        }
    }

    @Test
    void hashesTheBuffersRemainingBytesWhereverTheyLieAndLeavesItsPosition() {
        Random random = new Random(7);
        for (int i = 0; i < 1_000; i++) {
            byte[] key = new byte[random.nextInt(100)];
            random.nextBytes(key);
            int expected = Utils.murmur2(key);

            // A slice in the middle of a larger array, big-endian and little-endian views, direct memory.
            byte[] padded = new byte[key.length + 11];
            random.nextBytes(padded);
            System.arraycopy(key, 0, padded, 5, key.length);
            ByteBuffer inMiddle = ByteBuffer.wrap(padded, 5, key.length);
            ByteBuffer sliced = inMiddle.slice().order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer direct = ByteBuffer.allocateDirect(key.length + 3).put(new byte[3]).put(key).flip().position(3);

            assertEquals(expected, Murmur2.hash(inMiddle));
            assertEquals(5, inMiddle.position(), "position untouched");
            assertEquals(expected, Murmur2.hash(sliced));
            assertEquals(expected, Murmur2.hash(direct.asReadOnlyBuffer()));
            assertEquals(3, direct.position(), "position untouched");
        }
    }

    @Test
    void partitionForKeyClearsTheSignBitAsKafkaDoes() {
        Random random = new Random(11);
        int negative = 0;
        for (int i = 0; i < 5_000; i++) {
            byte[] key = ("key-" + random.nextLong()).getBytes(StandardCharsets.UTF_8);
            int hash = Utils.murmur2(key);
            negative += hash < 0 ? 1 : 0;
            for (int count : new int[] {1, 3, 7, 100}) {
                assertEquals(Utils.toPositive(hash) % count, Murmur2.partitionForKey(ByteBuffer.wrap(key), count));
            }
        }
        // Half the hashes are negative, so the sign handling was exercised.
        assertEquals(2_500, negative, 150);
        assertEquals(0, Murmur2.toPositive(Integer.MIN_VALUE));
    }
}
