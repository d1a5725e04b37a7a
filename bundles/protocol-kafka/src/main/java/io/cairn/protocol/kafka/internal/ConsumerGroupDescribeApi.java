package io.cairn.protocol.kafka.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.Member;
import org.apache.kafka.common.protocol.Errors;

import io.cairn.broker.spi.groups.ConsumerGroupDescription;
import io.cairn.broker.spi.groups.ConsumerMemberDescription;
import io.cairn.broker.spi.groups.TopicPartitions;

/**
 * ConsumerGroupDescribe (v0–v1, KIP-848) through
 * {@link io.cairn.broker.spi.groups.GroupCoordinator#consumerGroupDescribe}: one described group
 * per requested id, in order. Classic groups and unknown ids carry {@code GROUP_ID_NOT_FOUND},
 * which makes Kafka's Admin client describe them with DescribeGroups instead. v1 adds the member
 * type: every member here is a consumer-protocol member (1). Authorized operations are not
 * computed (Cairn has no authorizer): the field keeps its "not requested" value.
 *
 * <p>Thread-safety: stateless apart from the thread-safe slot.
 */
final class ConsumerGroupDescribeApi implements ApiHandler {

    /** ConsumerGroupDescribe v1's member type of a member using the consumer protocol. */
    private static final byte CONSUMER_MEMBER = 1;

    private final GroupCoordinatorSlot groups;

    ConsumerGroupDescribeApi(GroupCoordinatorSlot groups) {
        this.groups = groups;
    }

    @Override
    public CompletionStage<ConsumerGroupDescribeResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        ConsumerGroupDescribeRequestData body = (ConsumerGroupDescribeRequestData) request.body();
        List<String> ids = body.groupIds();
        return groups.ask(c -> c.consumerGroupDescribe(ids), described -> {
            ConsumerGroupDescribeResponseData response = new ConsumerGroupDescribeResponseData();
            described.forEach(group -> response.groups().add(describe(group)));
            return response;
        }, failure -> {
            Errors error = KafkaErrors.of(failure, "ConsumerGroupDescribe");
            ConsumerGroupDescribeResponseData response = new ConsumerGroupDescribeResponseData();
            ids.forEach(id -> response.groups().add(new DescribedGroup().setGroupId(id).setErrorCode(error.code())
                    .setErrorMessage(KafkaErrors.message(failure))));
            return response;
        });
    }

    private static DescribedGroup describe(ConsumerGroupDescription group) {
        DescribedGroup answered = new DescribedGroup().setGroupId(group.groupId());
        if (group.error().isPresent()) {
            return answered.setErrorCode(KafkaErrors.of(group.error().get()).code())
                    .setErrorMessage(group.errorMessage().isEmpty() ? null : group.errorMessage());
        }
        answered.setErrorCode(Errors.NONE.code()).setGroupState(group.state().kafkaName())
                .setGroupEpoch(group.groupEpoch()).setAssignmentEpoch(group.assignmentEpoch())
                .setAssignorName(group.assignorName());
        for (ConsumerMemberDescription m : group.members()) {
            answered.members().add(new Member().setMemberId(m.memberId())
                    .setInstanceId(m.instanceId().orElse(null)).setRackId(m.rackId().orElse(null))
                    .setMemberEpoch(m.memberEpoch()).setClientId(m.clientId()).setClientHost(m.clientHost())
                    .setSubscribedTopicNames(new ArrayList<>(m.subscribedTopicNames()))
                    .setSubscribedTopicRegex(m.subscribedTopicRegex().orElse(null))
                    .setAssignment(assignment(m.assignment())).setTargetAssignment(assignment(m.targetAssignment()))
                    .setMemberType(CONSUMER_MEMBER));
        }
        return answered;
    }

    private static ConsumerGroupDescribeResponseData.Assignment assignment(List<TopicPartitions> partitions) {
        List<ConsumerGroupDescribeResponseData.TopicPartitions> topics = new ArrayList<>();
        for (TopicPartitions tp : partitions) {
            topics.add(new ConsumerGroupDescribeResponseData.TopicPartitions().setTopicId(TopicIds.toKafka(tp.topicId()))
                    .setTopicName(tp.topicName()).setPartitions(new ArrayList<>(tp.partitions())));
        }
        return new ConsumerGroupDescribeResponseData.Assignment().setTopicPartitions(topics);
    }
}
