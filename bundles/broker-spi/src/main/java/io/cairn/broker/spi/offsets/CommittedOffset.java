package io.cairn.broker.spi.offsets;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One committed consumer offset.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the next offset the group will consume
 * @param leaderEpoch the leader epoch of the last consumed record, or -1 if unknown
 * @param metadata the client's metadata string, never {@code null}
 * @param commitTimestamp when it was committed, ms since the epoch
 */
@ProviderType
public record CommittedOffset(String topic, int partition, long offset, int leaderEpoch, String metadata,
        long commitTimestamp) {
}
