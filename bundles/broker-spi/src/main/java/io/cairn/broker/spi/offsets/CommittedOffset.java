package io.cairn.broker.spi.offsets;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One committed consumer offset: what Kafka's {@code OffsetCommitValue} holds.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the next offset the group will consume, 0 or more
 * @param leaderEpoch the leader epoch of the last consumed record, or -1 if unknown
 * @param metadata the client's metadata string, never {@code null} (Kafka stores a missing one as
 *     the empty string)
 * @param commitTimestamp when the coordinator accepted the commit, ms since the epoch; offsets
 *     expire {@code offsets.retention.minutes} after it
 */
@ProviderType
public record CommittedOffset(String topic, int partition, long offset, int leaderEpoch, String metadata,
        long commitTimestamp) {

    public CommittedOffset {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(metadata, "metadata");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be 0 or more, was " + partition);
        }
    }

    /** The partition this offset belongs to. */
    public PartitionKey key() {
        return new PartitionKey(topic, partition);
    }
}
