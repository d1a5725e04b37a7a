package io.cairn.broker.spi.groups.assignor;

import java.util.UUID;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A subscribed topic as an assignor sees it.
 *
 * @param topicId the topic id
 * @param name the topic name
 * @param partitions the number of partitions (numbered 0 to {@code partitions - 1})
 */
@ProviderType
public record TopicSpec(UUID topicId, String name, int partitions) {
}
