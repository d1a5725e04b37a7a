package io.cairn.protocol.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * The group APIs' part of {@link ApiConformanceTest}: a request valid in each version, and the
 * answer the real coordinator gives it on a fresh broker (a commit succeeds; a sync, heartbeat or
 * leave of an unknown member is refused as Kafka refuses it; a missing group is {@code Dead} before
 * DescribeGroups v6 and {@code GROUP_ID_NOT_FOUND} from v6; a consumer joining a consumer group
 * gets epoch 1 and all three partitions of {@code orders}; ConsumerGroupDescribe of a missing group
 * is {@code GROUP_ID_NOT_FOUND}).
 */
final class GroupApiConformance {

    private GroupApiConformance() {
    }

    static ApiMessage request(ApiKeys api, short version, Uuid ordersId) {
        String group = "conformance-v" + version;
        return switch (api) {
            case FIND_COORDINATOR -> version < 4 ? new FindCoordinatorRequestData().setKey(group)
                    : new FindCoordinatorRequestData().setCoordinatorKeys(List.of(group, group + "-b"));
            case JOIN_GROUP -> {
                JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
                        new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
                protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
                        .setMetadata(new byte[] {0, 1}));
                yield new JoinGroupRequestData().setGroupId(group).setSessionTimeoutMs(10_000)
                        .setRebalanceTimeoutMs(10_000).setMemberId("").setProtocolType("consumer")
                        .setProtocols(protocols);
            }
            case SYNC_GROUP -> new SyncGroupRequestData().setGroupId(group).setGenerationId(1)
                    .setMemberId("nobody").setProtocolType(version >= 5 ? "consumer" : null)
                    .setProtocolName(version >= 5 ? "range" : null);
            case HEARTBEAT -> new HeartbeatRequestData().setGroupId(group).setGenerationId(1).setMemberId("nobody");
            case LEAVE_GROUP -> version < 3 ? new LeaveGroupRequestData().setGroupId(group).setMemberId("nobody")
                    : new LeaveGroupRequestData().setGroupId(group).setMembers(List.of(
                            new LeaveGroupRequestData.MemberIdentity().setMemberId("nobody")));
            case OFFSET_COMMIT -> new OffsetCommitRequestData().setGroupId(group).setGenerationIdOrMemberEpoch(-1)
                    .setMemberId("").setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                            .setName(version < 10 ? "orders" : "").setTopicId(version < 10 ? Uuid.ZERO_UUID : ordersId)
                            .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                    .setPartitionIndex(0).setCommittedOffset(42).setCommittedMetadata("m")))));
            case OFFSET_FETCH -> version < 8
                    ? new OffsetFetchRequestData().setGroupId(group).setTopics(List.of(
                            new OffsetFetchRequestData.OffsetFetchRequestTopic().setName("orders")
                                    .setPartitionIndexes(List.of(0))))
                    : new OffsetFetchRequestData().setGroups(List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup()
                            .setGroupId(group).setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics()
                                    .setName(version < 10 ? "orders" : "")
                                    .setTopicId(version < 10 ? Uuid.ZERO_UUID : ordersId)
                                    .setPartitionIndexes(List.of(0))))));
            case LIST_GROUPS -> new ListGroupsRequestData();
            case DESCRIBE_GROUPS -> new DescribeGroupsRequestData().setGroups(List.of(group));
            case DELETE_GROUPS -> new DeleteGroupsRequestData().setGroupsNames(List.of(group));
            case OFFSET_DELETE -> {
                OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection topics =
                        new OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection();
                topics.add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("orders")
                        .setPartitions(List.of(new OffsetDeleteRequestData.OffsetDeleteRequestPartition()
                                .setPartitionIndex(0))));
                yield new OffsetDeleteRequestData().setGroupId(group).setTopics(topics);
            }
            // v0 lets the coordinator make up the member id; from v1 the client does.
            case CONSUMER_GROUP_HEARTBEAT -> new ConsumerGroupHeartbeatRequestData().setGroupId(group)
                    .setMemberId(version == 0 ? "" : "member-" + Uuid.randomUuid()).setMemberEpoch(0)
                    .setRebalanceTimeoutMs(300_000).setSubscribedTopicNames(List.of("orders"))
                    .setTopicPartitions(List.of());
            case CONSUMER_GROUP_DESCRIBE -> new ConsumerGroupDescribeRequestData().setGroupIds(List.of(group));
            default -> throw new IllegalArgumentException(api.toString());
        };
    }

    /** Checks a group API's answer; false if {@code body} is not one. */
    static boolean answered(ApiMessage body, short version) {
        if (body instanceof FindCoordinatorResponseData found) {
            if (version < 4) {
                assertEquals(Errors.NONE.code(), found.errorCode());
                assertEquals(TestBroker.LOCAL_ID, found.nodeId());
                assertTrue(found.port() > 0);
            } else {
                assertEquals(2, found.coordinators().size());
                found.coordinators().forEach(c -> assertEquals(TestBroker.LOCAL_ID, c.nodeId()));
            }
        } else if (body instanceof JoinGroupResponseData joined) {
            // v4+ (KIP-394): a new member is first given its id, to rejoin with.
            if (version >= 4) {
                assertEquals(Errors.MEMBER_ID_REQUIRED.code(), joined.errorCode());
            } else {
                assertEquals(Errors.NONE.code(), joined.errorCode());
                assertEquals(joined.memberId(), joined.leader());
                assertEquals(1, joined.members().size());
            }
            assertFalse(joined.memberId().isEmpty());
        } else if (body instanceof SyncGroupResponseData synced) {
            assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), synced.errorCode());
        } else if (body instanceof HeartbeatResponseData heartbeat) {
            assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), heartbeat.errorCode());
        } else if (body instanceof LeaveGroupResponseData left) {
            if (version < 3) {
                assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), left.errorCode());
            } else {
                assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), left.members().get(0).errorCode());
            }
        } else if (body instanceof OffsetCommitResponseData committed) {
            assertEquals(Errors.NONE.code(), committed.topics().get(0).partitions().get(0).errorCode());
        } else if (body instanceof OffsetFetchResponseData fetched) {
            long offset = version < 8 ? fetched.topics().get(0).partitions().get(0).committedOffset()
                    : fetched.groups().get(0).topics().get(0).partitions().get(0).committedOffset();
            assertEquals(-1, offset, "nothing committed");
        } else if (body instanceof ListGroupsResponseData listed) {
            assertEquals(Errors.NONE.code(), listed.errorCode());
        } else if (body instanceof DescribeGroupsResponseData described) {
            DescribeGroupsResponseData.DescribedGroup group = described.groups().get(0);
            if (version >= 6) {
                assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), group.errorCode());
            } else {
                assertEquals(Errors.NONE.code(), group.errorCode());
                assertEquals("Dead", group.groupState());
            }
        } else if (body instanceof DeleteGroupsResponseData deleted) {
            assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), deleted.results().iterator().next().errorCode());
        } else if (body instanceof OffsetDeleteResponseData deleted) {
            assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), deleted.errorCode());
        } else if (body instanceof ConsumerGroupHeartbeatResponseData heartbeat) {
            assertEquals(Errors.NONE.code(), heartbeat.errorCode(), heartbeat.errorMessage());
            assertEquals(1, heartbeat.memberEpoch());
            assertFalse(heartbeat.memberId().isEmpty());
            assertEquals(500, heartbeat.heartbeatIntervalMs(), "group.consumer.heartbeat.interval.ms");
            assertEquals(List.of(0, 1, 2), heartbeat.assignment().topicPartitions().get(0).partitions());
        } else if (body instanceof ConsumerGroupDescribeResponseData described) {
            assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), described.groups().get(0).errorCode());
        } else {
            return false;
        }
        return true;
    }
}
