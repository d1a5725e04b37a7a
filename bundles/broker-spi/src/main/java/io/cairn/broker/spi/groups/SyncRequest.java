package io.cairn.broker.spi.groups;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A SyncGroup request.
 *
 * @param groupId the group
 * @param generationId the generation the member joined
 * @param memberId the member id
 * @param groupInstanceId the static member's {@code group.instance.id}, if any
 * @param protocolType SyncGroup v5+: the protocol type the member expects, if sent
 * @param protocolName SyncGroup v5+: the protocol name the member expects, if sent
 * @param assignments the leader's assignment by member id; empty for followers. Members left out
 *     get an empty assignment. Not copied deeply: do not modify the arrays
 */
@ProviderType
public record SyncRequest(String groupId, int generationId, String memberId, Optional<String> groupInstanceId,
        Optional<String> protocolType, Optional<String> protocolName, Map<String, byte[]> assignments) {

    public SyncRequest {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(groupInstanceId, "groupInstanceId");
        Objects.requireNonNull(protocolType, "protocolType");
        Objects.requireNonNull(protocolName, "protocolName");
        assignments = Map.copyOf(assignments);
    }
}
