package io.cairn.group.coordinator.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
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
 * The group coordinator without the OSGi wiring: membership ({@link ClassicGroups}), offsets
 * ({@link GroupOffsets}) and administration ({@link GroupAdmin}) over one clock and one selected
 * offset store. Unit tests build it with a manual scheduler; the DS component wraps it.
 *
 * <p>Thread-safe.
 */
final class CoordinatorCore implements GroupCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorCore.class);

    private final Supplier<CoordinatorConfig> config;
    private final Scheduler scheduler;
    private final ClassicGroups groups;
    private final GroupOffsets offsets;
    private final GroupAdmin admin;
    private final TimerSlot retentionTimer = new TimerSlot();
    private volatile boolean closed;

    CoordinatorCore(Scheduler scheduler, Supplier<CoordinatorConfig> config, SelectedOffsetStore store) {
        this.config = config;
        this.scheduler = scheduler;
        GroupStrands strands = new GroupStrands();
        this.groups = new ClassicGroups(scheduler, config);
        this.offsets = new GroupOffsets(groups, store, strands, scheduler, config);
        this.admin = new GroupAdmin(groups, store, strands);
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

    @Override
    public int coordinatorFor(String groupId) {
        return config.get().brokerId();
    }

    @Override
    public CompletionStage<JoinResult> joinGroup(JoinRequest request) {
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
}
