package io.cairn.broker.spi.groups;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.cairn.broker.spi.cluster.BrokerError;

/**
 * The outcome for one partition of an OffsetCommit or OffsetDelete request.
 *
 * @param topic the topic
 * @param partition the partition
 * @param error why it failed; empty on success
 */
@ProviderType
public record PartitionResult(String topic, int partition, Optional<BrokerError> error) {
}
