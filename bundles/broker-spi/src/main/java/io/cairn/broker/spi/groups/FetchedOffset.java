package io.cairn.broker.spi.groups;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.cairn.broker.spi.cluster.BrokerError;

/**
 * One partition of an OffsetFetch response. A partition without a committed offset has offset -1,
 * leader epoch -1, empty metadata and no error, as in Kafka.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the committed offset, -1 if none
 * @param leaderEpoch the committed leader epoch, -1 if none
 * @param metadata the committed metadata, empty if none
 * @param error a per-partition error ({@code UNSTABLE_OFFSET_COMMIT}); empty otherwise
 */
@ProviderType
public record FetchedOffset(String topic, int partition, long offset, int leaderEpoch, String metadata,
        Optional<BrokerError> error) {
}
