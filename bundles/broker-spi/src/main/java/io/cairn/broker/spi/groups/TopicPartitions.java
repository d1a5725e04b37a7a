package io.cairn.broker.spi.groups;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Partitions of one topic in a consumer (KIP-848) group: what a member owns, is assigned, or is
 * targeted to get. Topics are named by id, as on the wire; the name is filled where the
 * coordinator knows it (results) and empty where the caller does not (requests).
 *
 * @param topicId the topic's id
 * @param topicName the topic's name, empty if not known
 * @param partitions the partition numbers, ascending in results
 */
@ProviderType
public record TopicPartitions(UUID topicId, String topicName, List<Integer> partitions) {
    public TopicPartitions {
        Objects.requireNonNull(topicId, "topicId");
        Objects.requireNonNull(topicName, "topicName (empty if unknown)");
        partitions = List.copyOf(partitions);
    }
}
