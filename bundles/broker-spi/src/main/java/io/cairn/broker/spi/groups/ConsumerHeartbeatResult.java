package io.cairn.broker.spi.groups;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The answer to a ConsumerGroupHeartbeat.
 *
 * @param memberId the member id (the one the coordinator made up for a v0 client joining without one)
 * @param memberEpoch the member's epoch now: -1 after leaving, -2 after a static member's temporary leave
 * @param heartbeatIntervalMs when to send the next heartbeat ({@code group.consumer.heartbeat.interval.ms})
 * @param assignment the partitions the member may consume now, present only when the request was
 *     a full one or the assignment changed (Kafka's rule); absent means "unchanged"
 */
@ProviderType
public record ConsumerHeartbeatResult(String memberId, int memberEpoch, int heartbeatIntervalMs,
        Optional<List<TopicPartitions>> assignment) {
    public ConsumerHeartbeatResult {
        assignment = assignment.map(List::copyOf);
    }
}
