package io.cairn.broker.spi.groups;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.cairn.broker.spi.cluster.BrokerError;

/**
 * One group in a ConsumerGroupDescribe response. A group that does not exist, or is a classic
 * group, carries {@code GROUP_ID_NOT_FOUND} (Kafka's Admin client then describes it with
 * DescribeGroups instead).
 *
 * @param groupId the group
 * @param error why it is not described; empty otherwise
 * @param errorMessage the message to send with the error, empty if none
 * @param state {@code Empty}, {@code Assigning}, {@code Reconciling} or {@code Stable}
 * @param groupEpoch the group epoch: bumped whenever membership, subscriptions or the subscribed
 *     topics' partitions change
 * @param assignmentEpoch the group epoch the target assignment was computed for
 * @param assignorName the server-side assignor the group uses
 * @param members its members
 */
@ProviderType
public record ConsumerGroupDescription(String groupId, Optional<BrokerError> error, String errorMessage,
        GroupState state, int groupEpoch, int assignmentEpoch, String assignorName,
        List<ConsumerMemberDescription> members) {
    public ConsumerGroupDescription {
        members = List.copyOf(members);
    }
}
