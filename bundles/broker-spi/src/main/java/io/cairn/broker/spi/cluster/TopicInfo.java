package io.cairn.broker.spi.cluster;

import java.util.List;
import java.util.UUID;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A topic and its partitions.
 *
 * @param name the topic name
 * @param topicId the topic's id (Kafka's topic UUID)
 * @param internal whether the topic is internal ({@code __consumer_offsets})
 * @param partitions the partitions, ordered by partition number
 */
@ProviderType
public record TopicInfo(String name, UUID topicId, boolean internal, List<PartitionState> partitions) {

    public TopicInfo {
        partitions = List.copyOf(partitions);
    }
}
