package io.cairn.broker.spi.groups;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One partition's offset in an OffsetCommit request.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the next offset to consume
 * @param leaderEpoch the leader epoch of the last consumed record, -1 if unknown
 * @param metadata the client's metadata string; {@code null} is stored as the empty string
 */
@ProviderType
public record OffsetCommit(String topic, int partition, long offset, int leaderEpoch, String metadata) {

    public OffsetCommit {
        Objects.requireNonNull(topic, "topic");
    }
}
