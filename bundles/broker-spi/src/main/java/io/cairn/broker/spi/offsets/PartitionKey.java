package io.cairn.broker.spi.offsets;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A topic partition, as a key of committed offsets.
 *
 * @param topic the topic name, never {@code null}
 * @param partition the partition number, 0 or more
 */
@ProviderType
public record PartitionKey(String topic, int partition) implements Comparable<PartitionKey> {

    public PartitionKey {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be 0 or more, was " + partition);
        }
    }

    /** Ordered by topic, then partition. */
    @Override
    public int compareTo(PartitionKey o) {
        int c = topic.compareTo(o.topic);
        return c != 0 ? c : Integer.compare(partition, o.partition);
    }

    /** Kafka's textual form, {@code topic-partition}. */
    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
