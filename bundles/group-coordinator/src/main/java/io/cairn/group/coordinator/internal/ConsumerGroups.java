package io.cairn.group.coordinator.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.ClusterView;
import io.cairn.broker.spi.cluster.TopicInfo;
import io.cairn.broker.spi.groups.ConsumerHeartbeatRequest;
import io.cairn.broker.spi.groups.ConsumerHeartbeatResult;
import io.cairn.broker.spi.groups.GroupState;
import io.cairn.broker.spi.groups.TopicPartitions;

/**
 * The consumer (KIP-848) groups this coordinator holds, and ConsumerGroupHeartbeat on them, as
 * Kafka's {@code GroupMetadataManager.consumerGroupHeartbeat} does it: validate the request
 * ({@link HeartbeatValidation}), find the member and check its epoch ({@link HeartbeatMembers}),
 * apply what changed, bump the group epoch if the assignment depends on the change, have the
 * assignor compute a new target if the group epoch moved ({@link TargetAssignments}),
 * reconcile the member towards its target ({@link Reconciliation}), renew its session, answer.
 * Group state lives in memory, like the classic groups': after a restart members get
 * {@code UNKNOWN_MEMBER_ID} and rejoin with epoch 0; their offsets are in the offset store.
 *
 * <p>Thread-safe: the group map is concurrent; each group is guarded by its own monitor.
 */
final class ConsumerGroups {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroups.class);

    private final ConcurrentMap<String, ConsumerGroup> groups = new ConcurrentHashMap<>();
    private final Scheduler scheduler;
    private final Supplier<CoordinatorConfig> config;
    private final Supplier<Optional<ClusterView>> cluster;
    private final AssignorRegistry assignors;
    private final ClassicGroups classic;
    private final TargetAssignments targets;

    ConsumerGroups(Scheduler scheduler, Supplier<CoordinatorConfig> config, Supplier<Optional<ClusterView>> cluster,
            AssignorRegistry assignors, ClassicGroups classic) {
        this.scheduler = scheduler;
        this.config = config;
        this.cluster = cluster;
        this.assignors = assignors;
        this.classic = classic;
        this.targets = new TargetAssignments(assignors, config);
    }

    Optional<ConsumerGroup> find(String groupId) {
        return groupId == null ? Optional.empty() : Optional.ofNullable(groups.get(groupId));
    }

    List<ConsumerGroup> all() {
        return new ArrayList<>(groups.values());
    }

    /** Runs {@code body} holding the group's monitor, then the completions it deferred. */
    static <T> T locked(ConsumerGroup group, Function<Deferred, T> body) {
        Deferred d = new Deferred();
        T result;
        synchronized (group) {
            result = body.apply(d);
        }
        d.run();
        return result;
    }

    /** Forgets an empty group (DeleteGroups, a classic JoinGroup taking the id over, retention); false if it has members. */
    boolean removeIfEmpty(ConsumerGroup group) {
        return locked(group, d -> {
            if (!group.members.isEmpty()) {
                return false;
            }
            group.removed = true;
            groups.remove(group.groupId, group);
            return true;
        });
    }

    /** Stops every timer (coordinator shutdown). */
    void close() {
        for (ConsumerGroup g : all()) {
            locked(g, d -> {
                g.members.values().forEach(m -> {
                    m.session.cancel();
                    m.revocation.cancel();
                });
                g.removed = true;
                groups.remove(g.groupId, g);
                return null;
            });
        }
    }

    // ---- ConsumerGroupHeartbeat

    CompletableFuture<ConsumerHeartbeatResult> heartbeat(ConsumerHeartbeatRequest r) {
        BrokerException invalid = HeartbeatValidation.check(r, config.get());
        if (invalid != null) {
            return CompletableFuture.failedFuture(invalid);
        }
        if (r.memberEpoch() == ConsumerHeartbeatRequest.LEAVE_EPOCH
                || r.memberEpoch() == ConsumerHeartbeatRequest.STATIC_LEAVE_EPOCH) {
            return complete(() -> leave(r));
        }
        String needed = r.serverAssignor().orElseGet(() -> find(r.groupId())
                .map(g -> locked(g, d -> targets.preferredAssignor(g))).orElse(config.get().defaultAssignor()));
        if (assignors.get(needed).isEmpty()) {
            LOG.debug("Heartbeat of {} in {} waits for assignor {}", r.memberId(), r.groupId(), needed);
            return assignors.await(needed, config.get().pluginWaitMs()).thenCompose(ready -> complete(() -> join(r)));
        }
        return complete(() -> join(r));
    }

    private static <T> CompletableFuture<T> complete(Supplier<T> body) {
        try {
            return CompletableFuture.completedFuture(body.get());
        } catch (BrokerException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private ConsumerHeartbeatResult join(ConsumerHeartbeatRequest r) {
        ConsumerGroup group = groupFor(r);
        return locked(group, d -> {
            if (group.removed) {
                throw new BrokerException(BrokerError.COORDINATOR_NOT_AVAILABLE, group + " was just removed; retry");
            }
            return heartbeatLocked(group, r);
        });
    }

    /** The group to heartbeat into: created on a join (epoch 0), also over an empty classic group of the same id. */
    private ConsumerGroup groupFor(ConsumerHeartbeatRequest r) {
        ConsumerGroup existing = groups.get(r.groupId());
        if (existing != null) {
            return existing;
        }
        if (r.memberEpoch() != ConsumerHeartbeatRequest.JOIN_EPOCH) {
            // Kafka answers GROUP_ID_NOT_FOUND, which its consumer treats as fatal; there a group
            // outlives a broker restart. Cairn's groups do not, so a member of a group forgotten by
            // a restart is told what makes it rejoin with epoch 0.
            throw new BrokerException(BrokerError.UNKNOWN_MEMBER_ID, "Member " + r.memberId() + " is not a member of "
                    + "consumer group " + r.groupId() + " (unknown group)");
        }
        Optional<ClassicGroup> old = classic.find(r.groupId());
        if (old.isPresent() && !ClassicGroups.locked(old.get(), d -> {
            ClassicGroup g = old.get();
            if (g.is(GroupState.DEAD)) {
                return true;
            }
            if (g.is(GroupState.EMPTY) && g.members.isEmpty()) {
                // As Kafka: members only handed an id (MEMBER_ID_REQUIRED) do not keep the group classic.
                LOG.info("Empty classic group {} becomes a consumer group", g.groupId);
                g.pendingMembers.values().forEach(TimerSlot::cancel);
                classic.removeDead(g);
                return true;
            }
            return false;
        })) {
            throw new BrokerException(BrokerError.GROUP_ID_NOT_FOUND, "Group " + r.groupId() + " is not a consumer group.");
        }
        return groups.computeIfAbsent(r.groupId(), id -> new ConsumerGroup(id, scheduler.nowMs()));
    }

    private ConsumerHeartbeatResult heartbeatLocked(ConsumerGroup group, ConsumerHeartbeatRequest r) {
        CoordinatorConfig c = config.get();
        Optional<Map<UUID, Set<Integer>>> owned = r.ownedPartitions().map(ConsumerGroup::byTopic);
        ConsumerMember member = HeartbeatMembers.memberFor(group, r, owned, c);
        boolean joining = r.memberEpoch() == ConsumerHeartbeatRequest.JOIN_EPOCH;
        boolean isNew = !group.members.containsKey(member.memberId);
        boolean changed = HeartbeatMembers.applyChanges(member, r);
        boolean bump = isNew || changed;
        if (isNew) {
            group.members.put(member.memberId, member);
            member.instanceId.ifPresent(i -> group.staticMembers.put(i, member.memberId));
            LOG.info("{} joins {}", member, group);
        }
        if (refreshTopics(group, bump)) {
            bump = true;
        }
        if (bump) {
            group.groupEpoch++;
            LOG.debug("{}: group epoch bumped by {}", group, member);
        }
        if (group.groupEpoch > group.assignmentEpoch) {
            targets.update(group);
        }
        Map<UUID, Set<Integer>> before = member.assigned;
        ConsumerMember.State stateBefore = member.state;
        Reconciliation.advance(group, member, owned);
        revocationDeadline(group, member, stateBefore);
        scheduleSession(group, member, c);
        boolean full = joining || r.rebalanceTimeoutMs() != -1 && r.subscribedTopicNames().isPresent() && owned.isPresent();
        Optional<List<TopicPartitions>> assignment = full || !before.equals(member.assigned)
                ? Optional.of(group.describe(member.assigned)) : Optional.empty();
        return new ConsumerHeartbeatResult(member.memberId, member.memberEpoch, c.consumerHeartbeatIntervalMs(), assignment);
    }

    /**
     * Reads the subscribed topics from the cluster view; true if they differ from what the target
     * was computed for (a topic created, deleted, or given more partitions). Without a cluster
     * view (the kernel is restarting) nothing changes. The topics are matched against the
     * subscriptions only when these changed or the kernel has a new snapshot, not on every heartbeat.
     */
    private boolean refreshTopics(ConsumerGroup group, boolean subscriptionsChanged) {
        Optional<ClusterView> view = cluster.get();
        if (view.isEmpty() || !subscriptionsChanged && view.get() == group.topicsSeenIn) {
            // The kernel hands out the same snapshot until the metadata changes: nothing new.
            return false;
        }
        group.topicsSeenIn = view.get();
        Map<UUID, ConsumerGroup.TopicMeta> now = new HashMap<>();
        for (TopicInfo t : view.get().topics()) {
            boolean wanted = false;
            for (ConsumerMember m : group.members.values()) {
                if (m.subscribedTopicNames.contains(t.name()) || !t.internal() && m.regex != null && m.regex.matcher(t.name()).matches()) {
                    wanted = true;
                    break;
                }
            }
            if (wanted) {
                now.put(t.topicId(), new ConsumerGroup.TopicMeta(t.name(), t.partitions().size()));
            }
        }
        if (now.equals(group.subscribedTopics)) {
            return false;
        }
        group.subscribedTopics = Map.copyOf(now);
        return true;
    }

    // ---- timers

    private void scheduleSession(ConsumerGroup group, ConsumerMember member, CoordinatorConfig c) {
        member.session.schedule(scheduler, c.consumerSessionTimeoutMs(), group, d -> {
            if (group.members.get(member.memberId) == member) {
                LOG.info("{} of {} did not heartbeat within group.consumer.session.timeout.ms ({} ms): removed",
                        member, group, c.consumerSessionTimeoutMs());
                remove(group, member);
            }
        });
    }

    /** While a member must revoke partitions, it has its rebalance timeout to do so, or it is fenced. */
    private void revocationDeadline(ConsumerGroup group, ConsumerMember member, ConsumerMember.State before) {
        if (member.state != ConsumerMember.State.UNREVOKED_PARTITIONS) {
            member.revocation.cancel();
        } else if (before != ConsumerMember.State.UNREVOKED_PARTITIONS || !member.revocation.isActive()) {
            int epoch = member.memberEpoch;
            member.revocation.schedule(scheduler, Math.max(member.rebalanceTimeoutMs, 0), group, d -> {
                if (group.members.get(member.memberId) == member && member.memberEpoch == epoch
                        && member.state == ConsumerMember.State.UNREVOKED_PARTITIONS) {
                    LOG.info("{} of {} did not revoke {} within its rebalance timeout ({} ms): fenced", member, group,
                            member.pendingRevocation, member.rebalanceTimeoutMs);
                    remove(group, member);
                }
            });
        }
    }

    /** Removes a member: its partitions are free, the group epoch moves, the target is recomputed. */
    private void remove(ConsumerGroup group, ConsumerMember member) {
        member.session.cancel();
        member.revocation.cancel();
        group.members.remove(member.memberId);
        member.instanceId.ifPresent(i -> group.staticMembers.remove(i, member.memberId));
        group.release(member.memberId, Reconciliation.ownedNow(member));
        group.targetAssignment.remove(member.memberId);
        group.groupEpoch++;
        if (group.members.isEmpty()) {
            group.emptySince = scheduler.nowMs();
        }
        refreshTopics(group, true);
        targets.update(group);
    }

    // ---- leaving

    private ConsumerHeartbeatResult leave(ConsumerHeartbeatRequest r) {
        ConsumerGroup group = groups.get(r.groupId());
        if (group == null) {
            throw new BrokerException(BrokerError.GROUP_ID_NOT_FOUND, "Group " + r.groupId() + " not found.");
        }
        return locked(group, d -> {
            ConsumerMember member = r.instanceId().map(group.staticMembers::get).map(group.members::get)
                    .orElse(group.members.get(r.memberId()));
            if (member == null) {
                throw HeartbeatMembers.unknownMember(group, r.memberId());
            }
            if (r.instanceId().isPresent() && !member.memberId.equals(r.memberId())) {
                throw HeartbeatMembers.fencedInstance(r.memberId(), r.instanceId().get(), member.memberId);
            }
            int heartbeatMs = config.get().consumerHeartbeatIntervalMs();
            if (r.memberEpoch() == ConsumerHeartbeatRequest.STATIC_LEAVE_EPOCH) {
                // It keeps its partitions until it comes back or its session expires.
                LOG.info("Static {} of {} leaves temporarily", member, group);
                Reconciliation.setEpoch(member, ConsumerHeartbeatRequest.STATIC_LEAVE_EPOCH);
                return new ConsumerHeartbeatResult(member.memberId, member.memberEpoch, heartbeatMs, Optional.empty());
            }
            LOG.info("{} leaves {}", member, group);
            remove(group, member);
            return new ConsumerHeartbeatResult(member.memberId, ConsumerHeartbeatRequest.LEAVE_EPOCH, heartbeatMs,
                    Optional.empty());
        });
    }
}
