package io.cairn.protocol.kafka.internal;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.protocol.Errors;

import io.cairn.broker.spi.groups.GroupDescription;
import io.cairn.broker.spi.groups.MemberDescription;

/**
 * DescribeGroups (v0–v5; v6 from Kafka 3.8, KIP-1043, with error messages) through
 * {@link io.cairn.broker.spi.groups.GroupCoordinator#describeGroups}. A group that does not exist
 * is answered, as Kafka does, as the {@code Dead} group before v6 and with
 * {@code GROUP_ID_NOT_FOUND} from v6 on. Authorized operations (v3+) are not computed: there is no
 * authorizer, and the field keeps its "not requested" value.
 *
 * <p>Thread-safety: stateless apart from the thread-safe slot.
 */
final class DescribeGroupsApi implements ApiHandler {

    private static final byte[] EMPTY = new byte[0];

    private final GroupCoordinatorSlot groups;

    DescribeGroupsApi(GroupCoordinatorSlot groups) {
        this.groups = groups;
    }

    @Override
    public CompletionStage<DescribeGroupsResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        DescribeGroupsRequestData body = (DescribeGroupsRequestData) request.body();
        short version = request.apiVersion();
        List<String> ids = body.groups();
        return groups.ask(c -> c.describeGroups(ids), described -> {
            DescribeGroupsResponseData response = new DescribeGroupsResponseData();
            described.forEach(group -> response.groups().add(describe(group, version)));
            return response;
        }, failure -> {
            Errors error = KafkaErrors.of(failure, "DescribeGroups");
            DescribeGroupsResponseData response = new DescribeGroupsResponseData();
            ids.forEach(id -> response.groups().add(new DescribedGroup().setGroupId(id).setErrorCode(error.code())
                    .setErrorMessage(version >= 6 ? KafkaErrors.message(failure) : null)));
            return response;
        });
    }

    private static DescribedGroup describe(GroupDescription group, short version) {
        DescribedGroup answered = new DescribedGroup().setGroupId(group.groupId());
        if (group.error().isPresent()) {
            return answered.setErrorCode(KafkaErrors.of(group.error().get()).code());
        }
        if (!group.exists() && version >= 6) {
            return answered.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                    .setErrorMessage("Group " + group.groupId() + " not found.");
        }
        answered.setErrorCode(Errors.NONE.code())
                .setGroupState(group.state().kafkaName())
                .setProtocolType(nonNull(group.protocolType()))
                .setProtocolData(nonNull(group.protocolName()));
        for (MemberDescription member : group.members()) {
            answered.members().add(new DescribedGroupMember().setMemberId(member.memberId())
                    .setGroupInstanceId(member.groupInstanceId().orElse(null))
                    .setClientId(member.clientId()).setClientHost(member.clientHost())
                    .setMemberMetadata(member.metadata() == null ? EMPTY : member.metadata())
                    .setMemberAssignment(member.assignment() == null ? EMPTY : member.assignment()));
        }
        return answered;
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }
}
