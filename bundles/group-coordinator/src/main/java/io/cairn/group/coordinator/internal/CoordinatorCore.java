package io.cairn.group.coordinator.internal;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.ClusterView;
import io.cairn.broker.spi.groups.ConsumerGroupDescription;
import io.cairn.broker.spi.groups.ConsumerHeartbeatRequest;
import io.cairn.broker.spi.groups.ConsumerHeartbeatResult;
import io.cairn.broker.spi.groups.FetchedOffset;
import io.cairn.broker.spi.groups.GroupCoordinator;
import io.cairn.broker.spi.groups.GroupDeletion;
import io.cairn.broker.spi.groups.GroupDescription;
import io.cairn.broker.spi.groups.GroupListing;
import io.cairn.broker.spi.groups.GroupState;
import io.cairn.broker.spi.groups.GroupType;
import io.cairn.broker.spi.groups.HeartbeatRequest;
import io.cairn.broker.spi.groups.JoinRequest;
import io.cairn.broker.spi.groups.JoinResult;
import io.cairn.broker.spi.groups.LeavingMember;
import io.cairn.broker.spi.groups.MemberLeave;
import io.cairn.broker.spi.groups.OffsetCommitRequest;
import io.cairn.broker.spi.groups.OffsetFetchRequest;
import io.cairn.broker.spi.groups.PartitionResult;
import io.cairn.broker.spi.groups.SyncRequest;
import io.cairn.broker.spi.groups.SyncResult;
import io.cairn.broker.spi.offsets.PartitionKey;

/**
 * The group coordinator without the OSGi wiring: membership of classic groups
 * ({@link ClassicGroups}) and consumer groups ({@link ConsumerGroups}, KIP-848), offsets
 * ({@link GroupOffsets}) and administration ({@link GroupAdmin}) over one clock, one selected
 * offset store, the registered assignors and the kernel's cluster view. Unit tests build it with a manual scheduler; the DS component wraps it.
 *
 * <p>Thread-safe.
 */
final class CoordinatorCore implements GroupCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorCore.class);

    private final Supplier<CoordinatorConfig> config;
    private final Scheduler scheduler;
    private final ClassicGroups groups;
    private final ConsumerGroups consumerGroups;
    private final GroupOffsets offsets;
    private final GroupAdmin admin;
    private final TimerSlot retentionTimer = new TimerSlot();
    private volatile boolean closed;

    /** A coordinator of classic groups only: no assignors, no cluster view. */
    CoordinatorCore(Scheduler scheduler, Supplier<CoordinatorConfig> config, SelectedOffsetStore store) {
        this(scheduler, config, store, Optional::empty, new AssignorRegistry(scheduler));
    }

    /**
     * @param cluster the kernel's current cluster view, empty while there is none (consumer groups
     *     read their subscribed topics from it)
     * @param assignors the registered server-side assignors
     */
    CoordinatorCore(Scheduler scheduler, Supplier<CoordinatorConfig> config, SelectedOffsetStore store,
            Supplier<Optional<ClusterView>> cluster, AssignorRegistry assignors) {
        this.config = config;
        this.scheduler = scheduler;
        GroupStrands strands = new GroupStrands();
        this.groups = new ClassicGroups(scheduler, config);
        this.consumerGroups = new ConsumerGroups(scheduler, config, cluster, assignors, groups);
        this.offsets = new GroupOffsets(groups, consumerGroups, store, strands, scheduler, config);
        this.admin = new GroupAdmin(groups, consumerGroups, store, strands);
    }

    /** Starts the periodic offset expiry ({@code offsets.retention.check.interval.ms}). */
    void startRetention() {
        synchronized (retentionTimer) {
            if (!closed) {
                retentionTimer.schedule(scheduler, config.get().offsetsRetentionCheckIntervalMs(), retentionTimer, d ->
                        d.later(() -> offsets.expireOffsets().whenComplete((ok, failure) -> {
                            if (failure != null) {
                                LOG.warn("Offset expiry did not complete: {}", failure.toString());
                            }
                            startRetention();
                        })));
            }
        }
    }

    /** Runs one offset expiry pass now (tests, shell). */
    CompletableFuture<Void> expireOffsets() {
        return offsets.expireOffsets();
    }

    void close() {
        closed = true;
        consumerGroups.close();
        synchronized (retentionTimer) {
            retentionTimer.cancel();
        }
        for (ClassicGroup g : groups.all()) {
            ClassicGroups.locked(g, d -> {
                for (GroupMember m : g.allMembers()) {
                    m.session.cancel();
                    BrokerException stopping = new BrokerException(BrokerError.COORDINATOR_NOT_AVAILABLE,
                            "The group coordinator is stopping");
                    if (m.awaitingJoin != null) {
                        d.fail(m.awaitingJoin, stopping);
                    }
                    if (m.awaitingSync != null) {
                        d.fail(m.awaitingSync, stopping);
                    }
                }
                g.pendingMembers.values().forEach(TimerSlot::cancel);
                groups.removeDead(g);
                return null;
            });
        }
    }

    ClassicGroups groups() {
        return groups;
    }

    ConsumerGroups consumerGroups() {
        return consumerGroups;
    }

    @Override
    public int coordinatorFor(String groupId) {
        return config.get().brokerId();
    }

    @Override
    public CompletionStage<JoinResult> joinGroup(JoinRequest request) {
        Optional<ConsumerGroup> consumerGroup = consumerGroups.find(request.groupId());
        if (consumerGroup.isPresent() && !consumerGroups.removeIfEmpty(consumerGroup.get())) {
            // Kafka's answer when a classic member meets a consumer group it cannot join.
            return CompletableFuture.failedFuture(new BrokerException(BrokerError.INCONSISTENT_GROUP_PROTOCOL,
                    "Group " + request.groupId() + " is a consumer group (group.protocol=consumer) with members; "
                            + "a classic member cannot join it"));
        }
        return groups.join(request);
    }

    @Override
    public CompletionStage<SyncResult> syncGroup(SyncRequest request) {
        return groups.sync(request);
    }

    @Override
    public CompletionStage<Void> heartbeat(HeartbeatRequest request) {
        return groups.heartbeat(request);
    }

    @Override
    public CompletionStage<List<MemberLeave>> leaveGroup(String groupId, List<LeavingMember> members) {
        return groups.leave(groupId, members);
    }

    @Override
    public CompletionStage<List<PartitionResult>> commitOffsets(OffsetCommitRequest request) {
        return offsets.commit(request);
    }

    @Override
    public CompletionStage<List<FetchedOffset>> fetchOffsets(OffsetFetchRequest request) {
        return offsets.fetch(request);
    }

    @Override
    public CompletionStage<List<GroupListing>> listGroups(Set<GroupState> states, Set<GroupType> types) {
        return admin.list(states, types);
    }

    @Override
    public CompletionStage<List<GroupDescription>> describeGroups(List<String> groupIds) {
        return admin.describe(groupIds);
    }

    @Override
    public CompletionStage<List<GroupDeletion>> deleteGroups(List<String> groupIds) {
        return admin.delete(groupIds);
    }

    @Override
    public CompletionStage<List<PartitionResult>> deleteOffsets(String groupId, List<PartitionKey> partitions) {
        return offsets.deleteOffsets(groupId, partitions);
    }

    @Override
    public CompletionStage<ConsumerHeartbeatResult> consumerGroupHeartbeat(ConsumerHeartbeatRequest request) {
        return consumerGroups.heartbeat(request);
    }

    @Override
    public CompletionStage<List<ConsumerGroupDescription>> consumerGroupDescribe(List<String> groupIds) {
        return CompletableFuture.completedFuture(admin.describeConsumerGroups(groupIds));
    }
}
