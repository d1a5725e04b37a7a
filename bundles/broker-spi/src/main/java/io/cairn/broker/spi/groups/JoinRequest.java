package io.cairn.broker.spi.groups;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A JoinGroup request, in Kafka's terms.
 *
 * @param groupId the group
 * @param memberId the member id, or the empty string for a member joining for the first time
 * @param groupInstanceId the static member's {@code group.instance.id}, if any (JoinGroup v5+)
 * @param clientId the client's {@code client.id}; a new dynamic member's id is {@code <clientId>-<uuid>}
 * @param clientHost the client's address as the front end saw it, e.g. {@code /127.0.0.1}
 * @param sessionTimeoutMs the member's {@code session.timeout.ms}
 * @param rebalanceTimeoutMs how long the coordinator waits for the member to rejoin during a
 *     rebalance ({@code max.poll.interval.ms}); JoinGroup v0 has none: pass the session timeout
 * @param protocolType the protocol type, {@code consumer} for consumers, {@code connect} for Connect
 * @param protocols the supported protocols in order of preference, at least one
 * @param requireKnownMemberId JoinGroup v4+: a new member first gets {@code MEMBER_ID_REQUIRED}
 *     with its id and must join again with it
 * @param supportsSkipAssignment JoinGroup v9+: a rejoining static leader of a stable group may be
 *     told to skip the assignment
 * @param reason the client's reason for joining (v8+), if it gave one
 */
@ProviderType
public record JoinRequest(String groupId, String memberId, Optional<String> groupInstanceId, String clientId,
        String clientHost, int sessionTimeoutMs, int rebalanceTimeoutMs, String protocolType,
        List<GroupProtocol> protocols, boolean requireKnownMemberId, boolean supportsSkipAssignment,
        Optional<String> reason) {

    public JoinRequest {
        Objects.requireNonNull(memberId, "memberId (empty for a new member)");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientHost, "clientHost");
        Objects.requireNonNull(protocolType, "protocolType");
        protocols = List.copyOf(protocols);
        Objects.requireNonNull(groupInstanceId, "groupInstanceId");
        Objects.requireNonNull(reason, "reason");
    }
}
