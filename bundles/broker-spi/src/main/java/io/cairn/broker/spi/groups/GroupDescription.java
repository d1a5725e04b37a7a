package io.cairn.broker.spi.groups;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.cairn.broker.spi.cluster.BrokerError;

/**
 * One group in a DescribeGroups response. A group that does not exist is described as
 * {@code Dead} with no members and no error, as Kafka up to 3.x does; DescribeGroups v6+ (Kafka
 * 4.x) answers {@code GROUP_ID_NOT_FOUND} for it instead, which the front end decides by
 * {@link #exists()}.
 *
 * @param groupId the group
 * @param error why it could not be described ({@code INVALID_GROUP_ID}, {@code COORDINATOR_NOT_AVAILABLE}); empty otherwise
 * @param exists whether the group exists (has members or committed offsets)
 * @param state its state
 * @param protocolType its protocol type, empty if none
 * @param protocolName the current generation's protocol while {@code Stable}, empty otherwise
 * @param members its members
 */
@ProviderType
public record GroupDescription(String groupId, Optional<BrokerError> error, boolean exists, GroupState state,
        String protocolType, String protocolName, List<MemberDescription> members) {

    public GroupDescription {
        members = List.copyOf(members);
    }
}
