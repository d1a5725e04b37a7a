package io.cairn.storage.spi;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A partition of a topic: a value type.
 *
 * @param topic the topic name, never {@code null}
 * @param partition the partition number, zero or more
 */
@ProviderType
public record TopicPartition(String topic, int partition) {

    public TopicPartition {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0: " + partition);
        }
    }

    /** Kafka's directory name for this partition: {@code <topic>-<partition>}. */
    public String directoryName() {
        return topic + "-" + partition;
    }

    @Override
    public String toString() {
        return directoryName();
    }
}
