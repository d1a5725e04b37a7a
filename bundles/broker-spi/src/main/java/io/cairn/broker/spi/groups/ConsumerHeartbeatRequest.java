package io.cairn.broker.spi.groups;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A ConsumerGroupHeartbeat request (KIP-848). After the first (full) request a member sends only
 * what changed: every {@code Optional} left empty and {@code rebalanceTimeoutMs} -1 mean "as
 * before".
 *
 * @param groupId the group
 * @param memberId the member id; the client makes it up (v1+), empty only for a v0 client
 *     joining, which then gets one from the coordinator
 * @param memberEpoch {@value #JOIN_EPOCH} to join, {@value #LEAVE_EPOCH} to leave,
 *     {@value #STATIC_LEAVE_EPOCH} for a static member leaving for a restart, otherwise the
 *     member's current epoch
 * @param instanceId the static member's {@code group.instance.id}, if any
 * @param rackId the client's rack, if any
 * @param rebalanceTimeoutMs how long the member may take to revoke partitions; -1 if unchanged
 * @param subscribedTopicNames the subscribed topics, if changed
 * @param subscribedTopicRegex the subscribed regular expression (v1+), if changed; an empty
 *     string clears it
 * @param serverAssignor the server-side assignor the member asks for ({@code group.remote.assignor}), if changed
 * @param ownedPartitions the partitions the member owns, if changed (always on a full request)
 * @param clientId the client id of the connection
 * @param clientHost the client's address
 */
@ProviderType
public record ConsumerHeartbeatRequest(String groupId, String memberId, int memberEpoch, Optional<String> instanceId,
        Optional<String> rackId, int rebalanceTimeoutMs, Optional<List<String>> subscribedTopicNames,
        Optional<String> subscribedTopicRegex, Optional<String> serverAssignor,
        Optional<List<TopicPartitions>> ownedPartitions, String clientId, String clientHost) {

    /** The epoch a member joins with. */
    public static final int JOIN_EPOCH = 0;
    /** The epoch a member leaves with. */
    public static final int LEAVE_EPOCH = -1;
    /** The epoch a static member leaves with when it means to come back (its partitions stay assigned). */
    public static final int STATIC_LEAVE_EPOCH = -2;

    public ConsumerHeartbeatRequest {
        Objects.requireNonNull(memberId, "memberId (empty for none)");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(rackId, "rackId");
        subscribedTopicNames = subscribedTopicNames.map(List::copyOf);
        Objects.requireNonNull(subscribedTopicRegex, "subscribedTopicRegex");
        Objects.requireNonNull(serverAssignor, "serverAssignor");
        ownedPartitions = ownedPartitions.map(List::copyOf);
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientHost, "clientHost");
    }
}
