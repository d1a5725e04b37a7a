package io.cairn.group.coordinator.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
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
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

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
 * Kafka's {@code GroupMetadataManager.consumerGroupHeartbeat} does it: validate the request and the
 * member's epoch, apply what changed, bump the group epoch if the assignment depends on the change,
 * have the assignor compute a new target if the group epoch moved ({@link TargetAssignments}),
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
            // After a coordinator restart: the member rejoins with epoch 0 on this error.
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
        Optional<Map<UUID, Set<Integer>>> owned = r.ownedPartitions().map(ConsumerGroups::byTopic);
        ConsumerMember member = memberFor(group, r, owned, c);
        boolean joining = r.memberEpoch() == ConsumerHeartbeatRequest.JOIN_EPOCH;
        boolean isNew = !group.members.containsKey(member.memberId);
        boolean changed = applyChanges(member, r);
        boolean bump = isNew || changed;
        if (isNew) {
            group.members.put(member.memberId, member);
            member.instanceId.ifPresent(i -> group.staticMembers.put(i, member.memberId));
            LOG.info("{} joins {}", member, group);
        }
        if (refreshTopics(group)) {
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
                ? Optional.of(describe(group, member.assigned)) : Optional.empty();
        return new ConsumerHeartbeatResult(member.memberId, member.memberEpoch, c.consumerHeartbeatIntervalMs(), assignment);
    }

    /** The member the request is from: found and its epoch checked, or new (epoch 0). */
    private ConsumerMember memberFor(ConsumerGroup group, ConsumerHeartbeatRequest r,
            Optional<Map<UUID, Set<Integer>>> owned, CoordinatorConfig c) {
        boolean joining = r.memberEpoch() == ConsumerHeartbeatRequest.JOIN_EPOCH;
        if (r.instanceId().isPresent()) {
            String instance = r.instanceId().get();
            String current = group.staticMembers.get(instance);
            if (joining) {
                if (current == null || current.equals(r.memberId())) {
                    return current == null ? newMember(group, r, c) : group.members.get(current);
                }
                ConsumerMember old = group.members.get(current);
                if (old.memberEpoch != ConsumerHeartbeatRequest.STATIC_LEAVE_EPOCH) {
                    throw new BrokerException(BrokerError.UNRELEASED_INSTANCE_ID, "Static member " + r.memberId()
                            + " with instance id " + instance + " cannot join the group because the instance id is"
                            + " owned by " + current + " member.");
                }
                return replaceStatic(group, old, r.memberId().isEmpty() ? newMemberId() : r.memberId());
            }
            if (current == null) {
                throw unknownMember(group, r.memberId());
            }
            if (!current.equals(r.memberId())) {
                throw fencedInstance(r.memberId(), instance, current);
            }
        }
        ConsumerMember member = group.members.get(r.memberId());
        if (member == null) {
            if (!joining) {
                throw unknownMember(group, r.memberId());
            }
            return newMember(group, r, c);
        }
        if (!joining) {
            checkEpoch(member, r.memberEpoch(), owned);
        }
        return member;
    }

    private ConsumerMember newMember(ConsumerGroup group, ConsumerHeartbeatRequest r, CoordinatorConfig c) {
        if (group.members.size() >= c.consumerMaxSize()) {
            throw new BrokerException(BrokerError.GROUP_MAX_SIZE_REACHED, "The consumer group " + group.groupId
                    + " has reached group.consumer.max.size " + c.consumerMaxSize());
        }
        return new ConsumerMember(r.memberId().isEmpty() ? newMemberId() : r.memberId(), r.instanceId());
    }

    /** A restarted static member takes its previous incarnation's place: same assignment, same epoch. */
    private ConsumerMember replaceStatic(ConsumerGroup group, ConsumerMember old, String newId) {
        ConsumerMember m = new ConsumerMember(newId, old.instanceId);
        m.rackId = old.rackId;
        m.subscribedTopicNames = old.subscribedTopicNames;
        m.subscribedTopicRegex = old.subscribedTopicRegex;
        m.regex = old.regex;
        m.serverAssignor = old.serverAssignor;
        m.rebalanceTimeoutMs = old.rebalanceTimeoutMs;
        m.memberEpoch = old.previousMemberEpoch;
        m.previousMemberEpoch = old.previousMemberEpoch;
        m.state = old.state;
        m.assigned = old.assigned;
        m.pendingRevocation = old.pendingRevocation;
        old.session.cancel();
        old.revocation.cancel();
        group.members.remove(old.memberId);
        group.release(old.memberId, Reconciliation.ownedNow(old));
        group.members.put(newId, m);
        group.staticMembers.put(m.instanceId.orElseThrow(), newId);
        group.updateOwnership(m, Map.of());
        Map<UUID, Set<Integer>> target = group.targetAssignment.remove(old.memberId);
        if (target != null) {
            group.targetAssignment.put(newId, target);
        }
        LOG.info("Static member {} replaces {} in {}", m, old.memberId, group);
        return m;
    }

    /** Kafka's {@code throwIfMemberEpochIsInvalid}. */
    private static void checkEpoch(ConsumerMember member, int received, Optional<Map<UUID, Set<Integer>>> owned) {
        if (received > member.memberEpoch) {
            throw fenced(member, received);
        }
        if (received < member.memberEpoch) {
            // The response that moved it to its current epoch may have been lost: its previous
            // epoch is fine as long as it owns no more than it is assigned now.
            if (received != member.previousMemberEpoch || owned.isEmpty() || !isSubset(owned.get(), member.assigned)) {
                throw fenced(member, received);
            }
        }
    }

    private static BrokerException fenced(ConsumerMember member, int received) {
        return new BrokerException(BrokerError.FENCED_MEMBER_EPOCH, "The consumer group member has a "
                + (received > member.memberEpoch ? "greater" : "smaller") + " member epoch (" + received
                + ") than the one known by the group coordinator (" + member.memberEpoch
                + "). The member must abandon all its partitions and rejoin.");
    }

    private static BrokerException fencedInstance(String memberId, String instance, String current) {
        return new BrokerException(BrokerError.FENCED_INSTANCE_ID, "Static member " + memberId + " with instance id "
                + instance + " was fenced by member " + current + ".");
    }

    private static boolean isSubset(Map<UUID, Set<Integer>> some, Map<UUID, Set<Integer>> of) {
        return some.entrySet().stream().allMatch(e -> of.getOrDefault(e.getKey(), Set.of()).containsAll(e.getValue()));
    }

    /** Applies what the request changes; true if the assignment depends on it (the group epoch moves). */
    private static boolean applyChanges(ConsumerMember m, ConsumerHeartbeatRequest r) {
        boolean bump = false;
        m.clientId = r.clientId();
        m.clientHost = r.clientHost();
        if (r.rebalanceTimeoutMs() != -1) {
            m.rebalanceTimeoutMs = r.rebalanceTimeoutMs();
        }
        if (r.rackId().isPresent() && !r.rackId().equals(m.rackId)) {
            m.rackId = r.rackId();
            bump = true;
        }
        if (r.subscribedTopicNames().isPresent()
                && !new HashSet<>(r.subscribedTopicNames().get()).equals(new HashSet<>(m.subscribedTopicNames))) {
            m.subscribedTopicNames = r.subscribedTopicNames().get();
            bump = true;
        }
        if (r.subscribedTopicRegex().isPresent()) {
            Optional<String> regex = r.subscribedTopicRegex().filter(x -> !x.isEmpty());
            if (!regex.equals(m.subscribedTopicRegex)) {
                m.subscribedTopicRegex = regex;
                m.regex = regex.map(Pattern::compile).orElse(null);
                bump = true;
            }
        }
        if (r.serverAssignor().isPresent() && !r.serverAssignor().equals(m.serverAssignor)) {
            m.serverAssignor = r.serverAssignor();
            bump = true;
        }
        return bump;
    }

    /**
     * Reads the subscribed topics from the cluster view; true if they differ from what the target
     * was computed for (a topic created, deleted, or given more partitions). Without a cluster
     * view (the kernel is restarting) nothing changes.
     */
    private boolean refreshTopics(ConsumerGroup group) {
        Optional<ClusterView> view = cluster.get();
        if (view.isEmpty()) {
            return false;
        }
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
        refreshTopics(group);
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
                throw unknownMember(group, r.memberId());
            }
            if (r.instanceId().isPresent() && !member.memberId.equals(r.memberId())) {
                throw fencedInstance(r.memberId(), r.instanceId().get(), member.memberId);
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

    // ---- helpers

    static BrokerException unknownMember(ConsumerGroup group, String memberId) {
        return new BrokerException(BrokerError.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not a member of group "
                + group.groupId + ".");
    }

    /** Partitions of a heartbeat by topic id. */
    static Map<UUID, Set<Integer>> byTopic(List<TopicPartitions> partitions) {
        Map<UUID, Set<Integer>> map = new HashMap<>();
        partitions.forEach(tp -> map.computeIfAbsent(tp.topicId(), t -> new HashSet<>()).addAll(tp.partitions()));
        return map;
    }

    /** Partitions for an answer: by topic, named where the group knows the name, ascending. */
    static List<TopicPartitions> describe(ConsumerGroup group, Map<UUID, Set<Integer>> partitions) {
        List<TopicPartitions> out = new ArrayList<>();
        partitions.forEach((topicId, ps) -> out.add(new TopicPartitions(topicId, group.topicName(topicId),
                ps.stream().sorted().toList())));
        out.sort((a, b) -> a.topicName().equals(b.topicName()) ? a.topicId().compareTo(b.topicId())
                : a.topicName().compareTo(b.topicName()));
        return out;
    }

    /** A member id as Kafka makes them: a random UUID in URL-safe base64 without padding. */
    static String newMemberId() {
        UUID u = UUID.randomUUID();
        ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /**
     * Why a regular expression does not compile, or empty if it does (Kafka's dialect is RE2/J;
     * Cairn uses java.util.regex, which accepts the same common syntax).
     */
    static Optional<String> regexProblem(String regex) {
        try {
            Pattern.compile(regex);
            return Optional.empty();
        } catch (PatternSyntaxException e) {
            return Optional.of(e.getDescription());
        }
    }
}
