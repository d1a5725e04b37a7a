package io.cairn.partitioner.spi;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A partition of the topic being produced to, as the caller saw it when it asked.
 *
 * @param partition the partition number, at least 0
 * @param leader the broker id of the current leader, or {@link #NO_LEADER} if the partition has
 *     none (offline, or between leaders)
 */
@ProviderType
public record PartitionInfo(int partition, int leader) {

    /** The leader of a partition that has none, as in Kafka's metadata. */
    public static final int NO_LEADER = -1;

    /**
     * @throws IllegalArgumentException if {@code partition} is negative or {@code leader} is below
     *     {@link #NO_LEADER}
     */
    public PartitionInfo {
        if (partition < 0) {
            throw new IllegalArgumentException("partition " + partition + " is negative");
        }
        if (leader < NO_LEADER) {
            throw new IllegalArgumentException("leader " + leader + " of partition " + partition
                    + " is neither a broker id nor NO_LEADER (-1)");
        }
    }

    /** Whether a leader is serving this partition now. */
    public boolean available() {
        return leader >= 0;
    }
}
