package io.cairn.partitioner.keyhash.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import io.cairn.partitioner.spi.Murmur2;
import io.cairn.partitioner.spi.PartitionInfo;
import io.cairn.partitioner.spi.PartitionRequest;
import io.cairn.partitioner.spi.Partitioner;
import io.cairn.partitioner.spi.tck.PartitionerContract;
import io.cairn.partitioner.spi.tck.RandomRecords;

/**
 * The contract, plus placement checked against the oracle: kafka-clients' own {@code Utils.murmur2}
 * and {@code BuiltInPartitioner.partitionForKey}, the code path its producer takes for a keyed
 * record without a partition.
 */
class KeyHashPartitionerTest extends PartitionerContract {

    /** Random keys per oracle test: the acceptance figure is 10,000. */
    private static final int KEYS = 20_000;
    private static final int[] PARTITION_COUNTS = {1, 2, 3, 6, 10, 12, 16, 50, 64, 100, 1000};

    @Override
    protected Partitioner createPartitioner() {
        return new KeyHashPartitioner();
    }

    @Override
    protected boolean placesStably(PartitionRequest record) {
        return super.placesStably(record) || record.key() != null;
    }

    private static PartitionRequest keyed(byte[] key, List<PartitionInfo> partitions) {
        return PartitionRequest.builder("orders", partitions).key(key).value(new byte[] {1}).build();
    }

    @Test
    void keyedRecordsLandWhereTheJavaClientPutsThemForRandomBinaryKeys() {
        Random random = records().random();
        // Leaders do not matter for keyed records: a third of the partitions have none.
        List<List<PartitionInfo>> topics = new ArrayList<>();
        for (int count : PARTITION_COUNTS) {
            topics.add(records().partitions(count, 0.33));
        }
        int compared = 0;
        for (int i = 0; i < KEYS; i++) {
            byte[] key = new byte[random.nextInt(80)];
            random.nextBytes(key);
            assertEquals(Utils.murmur2(key), Murmur2.hash(key), "murmur2 of " + Arrays.toString(key) + " " + seed());
            for (List<PartitionInfo> topic : topics) {
                int count = topic.size();
                int ours = partitioner().partition(keyed(key, topic));
                assertEquals(BuiltInPartitioner.partitionForKey(key, count), ours,
                        "key " + Arrays.toString(key) + ", " + count + " partitions " + seed());
                compared++;
            }
        }
        assertEquals(KEYS * PARTITION_COUNTS.length, compared);
    }

    @Test
    void keyedRecordsLandWhereTheJavaClientPutsThemForTextKeys() {
        // What applications use as keys: ids, UUIDs, numbers, non-ASCII names, serialized as UTF-8.
        Random random = records().random();
        for (int i = 0; i < KEYS; i++) {
            String key = switch (i % 4) {
                case 0 -> "user-" + i;
                case 1 -> new java.util.UUID(random.nextLong(), random.nextLong()).toString();
                case 2 -> Long.toString(random.nextLong());
                default -> "Zürich-東京-" + random.nextInt(1_000_000);
            };
            byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
            int count = PARTITION_COUNTS[random.nextInt(PARTITION_COUNTS.length)];
            assertEquals(BuiltInPartitioner.partitionForKey(bytes, count),
                    partitioner().partition(keyed(bytes, RandomRecords.led(count))), "key " + key + " " + seed());
        }
    }

    @Test
    void aKeyInsideALargerBufferIsHashedAsItsOwnBytes() {
        Random random = records().random();
        for (int i = 0; i < 2_000; i++) {
            byte[] key = new byte[1 + random.nextInt(40)];
            random.nextBytes(key);
            byte[] frame = new byte[key.length + 17];
            System.arraycopy(key, 0, frame, 9, key.length);
            ByteBuffer direct = ByteBuffer.allocateDirect(frame.length).put(frame).flip().position(9).limit(9 + key.length);
            PartitionRequest record = PartitionRequest.builder("t", RandomRecords.led(12))
                    .key(ByteBuffer.wrap(frame, 9, key.length)).build();
            PartitionRequest fromDirect = PartitionRequest.builder("t", RandomRecords.led(12)).key(direct).build();

            assertEquals(BuiltInPartitioner.partitionForKey(key, 12), partitioner().partition(record));
            assertEquals(BuiltInPartitioner.partitionForKey(key, 12), partitioner().partition(fromDirect));
        }
    }

    @Test
    void anEmptyKeyIsHashedNotDealtOut() {
        // Kafka's producer hashes a zero-length key; only a null key is keyless.
        int expected = BuiltInPartitioner.partitionForKey(new byte[0], 7);
        for (int i = 0; i < 100; i++) {
            assertEquals(expected, partitioner().partition(keyed(new byte[0], RandomRecords.led(7))));
        }
    }

    @Test
    void recordsWithoutAKeyAreDealtEvenlyOverPartitionsWithALeader() {
        List<PartitionInfo> partitions = new ArrayList<>(RandomRecords.led(5));
        partitions.set(2, new PartitionInfo(2, PartitionInfo.NO_LEADER));
        PartitionRequest keyless = PartitionRequest.builder("t", partitions).value(new byte[] {1}).build();
        int[] counts = new int[5];
        for (int i = 0; i < 4_000; i++) {
            counts[partitioner().partition(keyless)]++;
        }
        assertArrayEquals(new int[] {1_000, 1_000, 0, 1_000, 1_000}, counts);
    }

    @Test
    void aKeysPartitionDoesNotMoveWhenItsLeaderIsGone() {
        byte[] key = "invoice-17".getBytes(StandardCharsets.UTF_8);
        int home = BuiltInPartitioner.partitionForKey(key, 8);
        List<PartitionInfo> partitions = new ArrayList<>(RandomRecords.led(8));
        partitions.set(home, new PartitionInfo(home, PartitionInfo.NO_LEADER));

        assertEquals(home, partitioner().partition(keyed(key, partitions)));
    }
}
