package io.cairn.broker.spi.groups;

import java.util.Objects;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A member named in a LeaveGroup request.
 *
 * @param memberId the member id; the empty string to remove a static member by
 *     {@code groupInstanceId} alone (Admin's {@code removeMembersFromConsumerGroup})
 * @param groupInstanceId the static member's {@code group.instance.id}, if any
 * @param reason the reason the client gave (v5+), if any
 */
@ProviderType
public record LeavingMember(String memberId, Optional<String> groupInstanceId, Optional<String> reason) {

    public LeavingMember {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(groupInstanceId, "groupInstanceId");
        Objects.requireNonNull(reason, "reason");
    }
}
