package io.cairn.broker.spi.groups;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A member of a new generation, as the leader sees it in its JoinGroup response.
 *
 * @param memberId the member id
 * @param groupInstanceId its {@code group.instance.id}, if static
 * @param metadata its metadata for the selected protocol, as it sent it; not to be modified
 */
@ProviderType
public record JoinedMember(String memberId, Optional<String> groupInstanceId, byte[] metadata) {
}
