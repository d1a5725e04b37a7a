package io.cairn.broker.spi.groups;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.cairn.broker.spi.cluster.BrokerError;

/**
 * The outcome for one member of a LeaveGroup request.
 *
 * @param memberId the member id as requested
 * @param groupInstanceId the {@code group.instance.id} as requested
 * @param error why this member was not removed ({@code UNKNOWN_MEMBER_ID}, {@code FENCED_INSTANCE_ID}); empty on success
 */
@ProviderType
public record MemberLeave(String memberId, Optional<String> groupInstanceId, Optional<BrokerError> error) {
}
