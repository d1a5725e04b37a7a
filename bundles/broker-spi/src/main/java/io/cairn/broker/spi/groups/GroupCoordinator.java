package io.cairn.broker.spi.groups;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.offsets.PartitionKey;

/**
 * The group coordinator: Kafka's consumer-group APIs as a transport-neutral service. A front end
 * decodes a request, calls the method of the same name, and encodes what the returned stage
 * completes with. Each method mirrors one API of the classic group protocol, or (since 0.2.0) of
 * the consumer group protocol of KIP-848; the package documentation lists the rules they share
 * (errors, threading, timeouts).
 *
 * <p>Failures of the whole request complete the stage exceptionally with a
 * {@link io.cairn.broker.spi.cluster.BrokerException} whose {@code error()} is the Kafka error to
 * answer with; per-partition, per-member and per-group failures of batched requests are fields of
 * the results. Stages never complete on the caller's thread while it holds a coordinator lock, so
 * a front end may chain work onto them freely.
 */
@ProviderType
public interface GroupCoordinator {

    /**
     * FindCoordinator (key type GROUP): the id of the broker that coordinates {@code groupId}.
     * Today that is always this broker.
     */
    int coordinatorFor(String groupId);

    /**
     * JoinGroup. Completes when the member's next generation is formed — after every known member
     * rejoined, or the rebalance timeout — or at once for a follower of a stable group that
     * changed nothing.
     *
     * <p>Errors: {@code INVALID_GROUP_ID}, {@code INVALID_SESSION_TIMEOUT},
     * {@code INCONSISTENT_GROUP_PROTOCOL}, {@code UNKNOWN_MEMBER_ID}, {@code FENCED_INSTANCE_ID},
     * {@code GROUP_MAX_SIZE_REACHED}, {@code COORDINATOR_NOT_AVAILABLE},
     * {@code REBALANCE_IN_PROGRESS} (a newer JoinGroup of the same member replaced this one), and
     * {@link MemberIdRequiredException} for a new member when {@code requireKnownMemberId} is set.
     */
    CompletionStage<JoinResult> joinGroup(JoinRequest request);

    /**
     * SyncGroup. The leader's call carries the assignment and completes every member's; a
     * follower's completes when the leader's arrives (or at once in a stable group).
     *
     * <p>Errors: {@code UNKNOWN_MEMBER_ID}, {@code ILLEGAL_GENERATION}, {@code FENCED_INSTANCE_ID},
     * {@code REBALANCE_IN_PROGRESS}, {@code INCONSISTENT_GROUP_PROTOCOL}, {@code COORDINATOR_NOT_AVAILABLE}.
     */
    CompletionStage<SyncResult> syncGroup(SyncRequest request);

    /**
     * Heartbeat: keeps the member's session alive. Completes normally while the group is stable
     * (or completing a rebalance); exceptionally with {@code REBALANCE_IN_PROGRESS} to tell the
     * member to rejoin, and with {@code UNKNOWN_MEMBER_ID}, {@code ILLEGAL_GENERATION},
     * {@code FENCED_INSTANCE_ID}, {@code COORDINATOR_NOT_AVAILABLE}.
     */
    CompletionStage<Void> heartbeat(HeartbeatRequest request);

    /**
     * LeaveGroup: removes members (v3+ batch; v0–v2 send one), each by member id, or a static
     * member by {@code group.instance.id} with an empty member id (Admin removal). The result has
     * one entry per requested member, in order. A group that does not exist answers
     * {@code UNKNOWN_MEMBER_ID} per member.
     */
    CompletionStage<List<MemberLeave>> leaveGroup(String groupId, List<LeavingMember> members);

    /**
     * OffsetCommit: stores offsets through the selected offset store, durably, with the commit
     * time the coordinator's clock says. One result per requested partition, in order.
     *
     * <p>Request-wide errors are given per partition, as Kafka does: {@code ILLEGAL_GENERATION},
     * {@code UNKNOWN_MEMBER_ID}, {@code FENCED_INSTANCE_ID}, {@code REBALANCE_IN_PROGRESS},
     * {@code COORDINATOR_NOT_AVAILABLE} (the store was missing for longer than
     * {@code cairn.plugin.wait.ms}, or failed); per partition also {@code OFFSET_METADATA_TOO_LARGE}.
     * The stage fails only for {@code INVALID_GROUP_ID}.
     */
    CompletionStage<List<PartitionResult>> commitOffsets(OffsetCommitRequest request);

    /**
     * OffsetFetch for one group. With partitions named, one entry per partition in order (-1 for
     * none committed); without, every committed partition. Errors: {@code INVALID_GROUP_ID},
     * {@code COORDINATOR_NOT_AVAILABLE}.
     */
    CompletionStage<List<FetchedOffset>> fetchOffsets(OffsetFetchRequest request);

    /**
     * ListGroups: every group with members or committed offsets, filtered by state (v4+) and type
     * (v5+); an empty filter matches all. Errors: {@code COORDINATOR_NOT_AVAILABLE}.
     */
    CompletionStage<List<GroupListing>> listGroups(Set<GroupState> states, Set<GroupType> types);

    /** DescribeGroups: one description per requested group, in order. */
    CompletionStage<List<GroupDescription>> describeGroups(List<String> groupIds);

    /**
     * DeleteGroups: deletes each empty group and every offset it committed. One result per group,
     * in order: {@code NON_EMPTY_GROUP} while it has members, {@code GROUP_ID_NOT_FOUND} if it does
     * not exist.
     */
    CompletionStage<List<GroupDeletion>> deleteGroups(List<String> groupIds);

    /**
     * OffsetDelete: deletes a group's offsets of some partitions. Partitions of topics the group's
     * members are subscribed to answer {@code GROUP_SUBSCRIBED_TO_TOPIC}. Whole-request errors
     * (exceptional completion): {@code GROUP_ID_NOT_FOUND}, {@code NON_EMPTY_GROUP} (a non-consumer
     * group with members), {@code INVALID_GROUP_ID}, {@code COORDINATOR_NOT_AVAILABLE}.
     */
    CompletionStage<List<PartitionResult>> deleteOffsets(String groupId, List<PartitionKey> partitions);

    /**
     * ConsumerGroupHeartbeat (KIP-848): joins, keeps alive, updates or leaves a member of a consumer
     * group, and answers with its epoch and, when it changed, the partitions it may consume.
     * Completes at once, unless the server-side assignor the group needs is not registered: then it
     * waits up to {@code cairn.plugin.wait.ms} for it and fails with
     * {@code COORDINATOR_NOT_AVAILABLE}.
     *
     * <p>Errors: {@code INVALID_REQUEST} (a field missing or malformed for the epoch sent),
     * {@code INVALID_GROUP_ID}, {@code GROUP_ID_NOT_FOUND} (the id belongs to a classic group with
     * members), {@code UNKNOWN_MEMBER_ID}, {@code FENCED_MEMBER_EPOCH} (rejoin with epoch 0),
     * {@code FENCED_INSTANCE_ID}, {@code UNRELEASED_INSTANCE_ID}, {@code UNSUPPORTED_ASSIGNOR},
     * {@code INVALID_REGULAR_EXPRESSION}, {@code GROUP_MAX_SIZE_REACHED}, {@code COORDINATOR_NOT_AVAILABLE}.
     *
     * <p>The default implementation fails with {@code INVALID_REQUEST}: a coordinator that serves
     * only classic groups.
     *
     * @since 0.2.0
     */
    default CompletionStage<ConsumerHeartbeatResult> consumerGroupHeartbeat(ConsumerHeartbeatRequest request) {
        return CompletableFuture.failedFuture(new BrokerException(BrokerError.INVALID_REQUEST,
                "This group coordinator does not serve consumer (KIP-848) groups"));
    }

    /**
     * ConsumerGroupDescribe (KIP-848): one description per requested group, in order. Groups that
     * do not exist, and classic groups, are described with {@code GROUP_ID_NOT_FOUND}; an empty id
     * with {@code INVALID_GROUP_ID}.
     *
     * <p>The default implementation describes every group as not found.
     *
     * @since 0.2.0
     */
    default CompletionStage<List<ConsumerGroupDescription>> consumerGroupDescribe(List<String> groupIds) {
        return CompletableFuture.completedFuture(groupIds.stream()
                .map(id -> new ConsumerGroupDescription(id, Optional.of(BrokerError.GROUP_ID_NOT_FOUND),
                        "Group " + id + " is not a consumer group.", GroupState.DEAD, 0, 0, "", List.of()))
                .toList());
    }
}
