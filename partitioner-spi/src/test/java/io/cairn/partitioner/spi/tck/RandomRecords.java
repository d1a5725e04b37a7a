package io.cairn.partitioner.spi.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.cairn.partitioner.spi.PartitionInfo;
import io.cairn.partitioner.spi.PartitionRequest;

/**
 * Random topics and records for partitioner tests. Everything comes from the {@link Random} given,
 * so a failing run is repeated by reusing its seed.
 */
public final class RandomRecords {

    /** Header keys the random records carry; partitioners that read a header add their own. */
    static final List<String> HEADER_KEYS = List.of("trace-id", "content-type", "tenant", "retry");

    private final Random random;

    /** @param random the source of every choice */
    public RandomRecords(Random random) {
        this.random = random;
    }

    /** The source of every choice. */
    public Random random() {
        return random;
    }

    /**
     * {@code count} partitions led by brokers 1 to 3.
     *
     * @param count how many
     * @return partitions 0 to {@code count - 1}
     */
    public static List<PartitionInfo> led(int count) {
        List<PartitionInfo> partitions = new ArrayList<>(count);
        for (int p = 0; p < count; p++) {
            partitions.add(new PartitionInfo(p, 1 + p % 3));
        }
        return partitions;
    }

    /**
     * {@code count} partitions, each without a leader with probability {@code offline}.
     *
     * @param count how many
     * @param offline the share of partitions without a leader, from 0 to 1
     * @return partitions 0 to {@code count - 1}
     */
    public List<PartitionInfo> partitions(int count, double offline) {
        List<PartitionInfo> partitions = new ArrayList<>(count);
        for (int p = 0; p < count; p++) {
            partitions.add(new PartitionInfo(p, random.nextDouble() < offline ? PartitionInfo.NO_LEADER : 1 + random.nextInt(5)));
        }
        return partitions;
    }

    /** A partition count as topics have them: mostly small, sometimes 1, now and then large. */
    public int partitionCount() {
        int roll = random.nextInt(10);
        if (roll == 0) {
            return 1;
        }
        return roll < 8 ? 2 + random.nextInt(15) : 17 + random.nextInt(240);
    }

    /** Up to {@code maxLength} random bytes; possibly none. */
    public byte[] bytes(int maxLength) {
        byte[] b = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(b);
        return b;
    }

    /**
     * A record of a random topic shape: a key in three of four records (some empty), a value or a
     * tombstone, up to three headers; no requested partition.
     *
     * @param topic the topic
     * @param partitions its partitions
     * @return a builder for the caller to finish
     */
    public PartitionRequest.Builder record(String topic, List<PartitionInfo> partitions) {
        PartitionRequest.Builder b = PartitionRequest.builder(topic, partitions);
        if (random.nextInt(4) != 0) {
            b.key(random.nextInt(20) == 0 ? new byte[0] : bytes(64));
        }
        b.value(random.nextInt(10) == 0 ? null : bytes(256));
        int headers = random.nextInt(4);
        for (int i = 0; i < headers; i++) {
            b.header(HEADER_KEYS.get(random.nextInt(HEADER_KEYS.size())), random.nextInt(8) == 0 ? null : bytes(16));
        }
        return b;
    }

    /**
     * A record of a random topic with partitions of which about one in five has no leader.
     *
     * @param topic the topic
     * @return a builder for the caller to finish
     */
    public PartitionRequest.Builder record(String topic) {
        return record(topic, partitions(partitionCount(), 0.2));
    }
}
