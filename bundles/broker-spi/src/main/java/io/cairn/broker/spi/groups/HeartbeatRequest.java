package io.cairn.broker.spi.groups;

import java.util.Objects;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A (classic) Heartbeat request.
 *
 * @param groupId the group
 * @param generationId the member's generation
 * @param memberId the member id
 * @param groupInstanceId the static member's {@code group.instance.id}, if any
 */
@ProviderType
public record HeartbeatRequest(String groupId, int generationId, String memberId, Optional<String> groupInstanceId) {

    public HeartbeatRequest {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(groupInstanceId, "groupInstanceId");
    }
}
