package io.cairn.broker.spi.groups;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A member of a consumer (KIP-848) group in a ConsumerGroupDescribe response.
 *
 * @param memberId the member id
 * @param instanceId its {@code group.instance.id}, if static
 * @param rackId its rack, if given
 * @param memberEpoch its epoch
 * @param clientId the client id it last heartbeated with
 * @param clientHost the client's address
 * @param subscribedTopicNames the topics it subscribes to by name
 * @param subscribedTopicRegex the regular expression it subscribes with, if any
 * @param assignment the partitions it may consume now
 * @param targetAssignment the partitions the assignor gave it, which it reconciles towards
 */
@ProviderType
public record ConsumerMemberDescription(String memberId, Optional<String> instanceId, Optional<String> rackId,
        int memberEpoch, String clientId, String clientHost, List<String> subscribedTopicNames,
        Optional<String> subscribedTopicRegex, List<TopicPartitions> assignment, List<TopicPartitions> targetAssignment) {
    public ConsumerMemberDescription {
        subscribedTopicNames = List.copyOf(subscribedTopicNames);
        assignment = List.copyOf(assignment);
        targetAssignment = List.copyOf(targetAssignment);
    }
}
