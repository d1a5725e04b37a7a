package io.cairn.group.coordinator.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import io.cairn.broker.spi.groups.GroupState;
import io.cairn.broker.spi.groups.HeartbeatRequest;
import io.cairn.broker.spi.groups.JoinRequest;
import io.cairn.broker.spi.groups.JoinResult;
import io.cairn.broker.spi.groups.LeavingMember;
import io.cairn.broker.spi.groups.MemberIdRequiredException;
import io.cairn.broker.spi.groups.MemberLeave;
import io.cairn.broker.spi.groups.SyncRequest;
import io.cairn.broker.spi.groups.SyncResult;

/**
 * The classic groups this coordinator holds, and the membership requests on them: JoinGroup,
 * SyncGroup, Heartbeat and LeaveGroup, validated and answered as Kafka's {@code GroupCoordinator}
 * does. Group state lives in memory only: after a broker restart members find themselves unknown
 * and rejoin (their committed offsets are in the offset store and survive).
 *
 * <p>Thread-safe: the group map is concurrent; each group is guarded by its own monitor, and
 * responses are completed after it is released.
 */
final class ClassicGroups {

    private static final Logger LOG = LoggerFactory.getLogger(ClassicGroups.class);

    private final ConcurrentMap<String, ClassicGroup> groups = new ConcurrentHashMap<>();
    private final Supplier<CoordinatorConfig> config;
    private final Rebalancer rebalancer;

    ClassicGroups(Scheduler scheduler, Supplier<CoordinatorConfig> config) {
        this.config = config;
        this.rebalancer = new Rebalancer(scheduler, config);
    }

    Rebalancer rebalancer() {
        return rebalancer;
    }

    /** The group with this id, if it is held in memory. */
    Optional<ClassicGroup> find(String groupId) {
        return Optional.ofNullable(groups.get(groupId));
    }

    /** Every group held in memory. */
    List<ClassicGroup> all() {
        return new ArrayList<>(groups.values());
    }

    /** Marks a group dead and forgets it; the caller holds its monitor. */
    void removeDead(ClassicGroup group) {
        group.joinTimer.cancel();
        group.syncTimer.cancel();
        group.transitionTo(GroupState.DEAD, rebalancer.now());
        groups.remove(group.groupId, group);
    }

    /** Runs {@code body} holding the group's monitor, then the completions it deferred. */
    static <T> T locked(ClassicGroup group, Function<Deferred, T> body) {
        Deferred d = new Deferred();
        T result;
        synchronized (group) {
            result = body.apply(d);
        }
        d.run();
        return result;
    }

    static BrokerException error(BrokerError error, String message) {
        return new BrokerException(error, message);
    }

    // ---- JoinGroup

    CompletableFuture<JoinResult> join(JoinRequest r) {
        CompletableFuture<JoinResult> f = new CompletableFuture<>();
        CoordinatorConfig c = config.get();
        if (r.groupId() == null || r.groupId().isEmpty()) {
            return CompletableFuture.failedFuture(error(BrokerError.INVALID_GROUP_ID, "The group id is empty"));
        }
        if (r.sessionTimeoutMs() < c.minSessionTimeoutMs() || r.sessionTimeoutMs() > c.maxSessionTimeoutMs()) {
            return CompletableFuture.failedFuture(error(BrokerError.INVALID_SESSION_TIMEOUT, "The session timeout "
                    + r.sessionTimeoutMs() + " ms is not within group.min.session.timeout.ms "
                    + c.minSessionTimeoutMs() + " and group.max.session.timeout.ms " + c.maxSessionTimeoutMs()));
        }
        boolean newMember = r.memberId().isEmpty();
        ClassicGroup group = newMember
                ? groups.computeIfAbsent(r.groupId(), id -> new ClassicGroup(id, rebalancer.now()))
                : groups.get(r.groupId());
        if (group == null) {
            return CompletableFuture.failedFuture(error(BrokerError.UNKNOWN_MEMBER_ID,
                    "The group " + r.groupId() + " has no member " + r.memberId()));
        }
        locked(group, d -> {
            if (!acceptJoiningMember(group, r.memberId())) {
                GroupMember existing = group.get(r.memberId());
                if (existing != null) {
                    rebalancer.removeMemberAndUpdateGroup(group, existing, "group.max.size reached", d);
                }
                d.fail(f, BrokerError.GROUP_MAX_SIZE_REACHED, "The group " + group.groupId + " has reached "
                        + "group.max.size " + c.maxGroupSize());
            } else if (newMember) {
                joinNewMember(group, r, f, d);
            } else {
                joinCurrentMember(group, r, f, d);
            }
            if (group.is(GroupState.PREPARING_REBALANCE)) {
                rebalancer.tryCompleteJoin(group, d);
            }
            return null;
        });
        return f;
    }

    private boolean acceptJoiningMember(ClassicGroup group, String memberId) {
        int max = config.get().maxGroupSize();
        return switch (group.state) {
            case EMPTY, DEAD -> true;
            case PREPARING_REBALANCE -> (group.has(memberId) && group.get(memberId).isAwaitingJoin())
                    || group.numAwaitingJoin() < max;
            default -> group.has(memberId) || group.size() < max;
        };
    }

    private void joinNewMember(ClassicGroup group, JoinRequest r, CompletableFuture<JoinResult> f, Deferred d) {
        if (group.is(GroupState.DEAD)) {
            d.fail(f, BrokerError.COORDINATOR_NOT_AVAILABLE, group + " is being removed; find the coordinator again");
            return;
        }
        if (!group.supportsProtocols(r.protocolType(), r.protocols())) {
            d.fail(f, inconsistentProtocol(group));
            return;
        }
        String memberId = r.groupInstanceId().orElse(r.clientId()) + "-" + UUID.randomUUID();
        if (r.groupInstanceId().isPresent()) {
            String instance = r.groupInstanceId().get();
            Optional<String> old = group.staticMemberId(instance);
            if (old.isPresent()) {
                LOG.info("Static member with instance id {} rejoins {} in state {}: replacing member {} with {}",
                        instance, group, group.state.kafkaName(), old.get(), memberId);
                replaceStaticMember(group, old.get(), memberId, r, f, d);
            } else {
                addMemberAndRebalance(group, r, memberId, f, d);
            }
        } else if (r.requireKnownMemberId()) {
            rebalancer.addPendingMember(group, memberId, r.sessionTimeoutMs());
            d.fail(f, new MemberIdRequiredException(memberId));
        } else {
            addMemberAndRebalance(group, r, memberId, f, d);
        }
    }

    private void addMemberAndRebalance(ClassicGroup group, JoinRequest r, String memberId,
            CompletableFuture<JoinResult> f, Deferred d) {
        GroupMember m = new GroupMember(memberId, r.groupInstanceId(), r.clientId(), r.clientHost(),
                r.rebalanceTimeoutMs(), r.sessionTimeoutMs(), r.protocolType(), r.protocols());
        m.isNew = true;
        if (group.is(GroupState.PREPARING_REBALANCE) && group.generationId == 0) {
            group.newMemberAdded = true;
        }
        m.awaitingJoin = f;
        group.add(m);
        rebalancer.scheduleSession(group, m, CoordinatorConfig.NEW_MEMBER_JOIN_TIMEOUT_MS);
        rebalancer.maybePrepareRebalance(group, "adding new " + m + r.reason().map(x -> "; client reason: " + x).orElse(""), d);
    }

    /**
     * A static member rejoined without its member id (it restarted): it takes over its old
     * incarnation's place and assignment. A stable group does not rebalance for it unless the
     * selected protocol would change; the old incarnation's waiting requests are fenced.
     */
    private void replaceStaticMember(ClassicGroup group, String oldId, String newId, JoinRequest r,
            CompletableFuture<JoinResult> f, Deferred d) {
        String currentLeader = group.leaderId;
        GroupMember m = group.get(oldId);
        BrokerException fenced = error(BrokerError.FENCED_INSTANCE_ID, "A new incarnation of instance "
                + m.groupInstanceId.orElse("") + " joined " + group);
        if (m.awaitingJoin != null) {
            d.fail(m.awaitingJoin, fenced);
            m.awaitingJoin = null;
        }
        if (m.awaitingSync != null) {
            d.fail(m.awaitingSync, fenced);
            m.awaitingSync = null;
        }
        group.replaceStaticMember(m.groupInstanceId.orElseThrow(), oldId, newId);
        updateMember(group, m, r, f, d);
        rebalancer.renewSession(group, m);
        switch (group.state) {
            case STABLE -> {
                if (group.protocolName.equals(Optional.of(group.selectProtocol()))) {
                    m.awaitingJoin = null;
                    boolean leader = group.isLeader(newId);
                    JoinResult result = r.supportsSkipAssignment()
                            ? new JoinResult(newId, group.generationId, group.protocolType, group.protocolName,
                                    group.leaderId, leader, leader ? group.currentMemberMetadata() : List.of())
                            // The old leader id, so that a replaced leader does not assign in a
                            // stable group, where its assignment would never be handed out.
                            : new JoinResult(newId, group.generationId, group.protocolType, group.protocolName,
                                    currentLeader, false, List.of());
                    d.complete(f, result);
                } else {
                    rebalancer.maybePrepareRebalance(group, "static " + m + " changed the group's protocol", d);
                }
            }
            // The leader may already be assigning with the old member id: start over.
            case COMPLETING_REBALANCE -> rebalancer.prepareRebalance(group, "static " + m + " rejoined", d);
            default -> { } // PreparingRebalance: answered when the join phase completes
        }
    }

    private void joinCurrentMember(ClassicGroup group, JoinRequest r, CompletableFuture<JoinResult> f, Deferred d) {
        String memberId = r.memberId();
        if (group.is(GroupState.DEAD)) {
            d.fail(f, BrokerError.COORDINATOR_NOT_AVAILABLE, group + " is being removed; find the coordinator again");
        } else if (!group.supportsProtocols(r.protocolType(), r.protocols())) {
            d.fail(f, inconsistentProtocol(group));
        } else if (group.pendingMembers.containsKey(memberId)) {
            addMemberAndRebalance(group, r, memberId, f, d);
        } else if (group.isStaticMemberFenced(r.groupInstanceId(), memberId)) {
            d.fail(f, BrokerError.FENCED_INSTANCE_ID, "Member " + memberId + " is fenced by a newer incarnation of "
                    + r.groupInstanceId().orElse(""));
        } else if (!group.has(memberId)
                || r.groupInstanceId().map(i -> group.staticMemberId(i).isEmpty()).orElse(false)) {
            d.fail(f, unknownMember(group, memberId));
        } else {
            GroupMember m = group.get(memberId);
            switch (group.state) {
                case PREPARING_REBALANCE -> updateMemberAndRebalance(group, m, r, f, "rejoining during a rebalance", d);
                case COMPLETING_REBALANCE -> {
                    if (m.matches(r.protocols())) {
                        // It lost its JoinGroup response: the same one again.
                        d.complete(f, currentGeneration(group, memberId, group.isLeader(memberId)));
                    } else {
                        updateMemberAndRebalance(group, m, r, f, "changed metadata while completing a rebalance", d);
                    }
                }
                case STABLE -> {
                    if (group.isLeader(memberId) || !m.matches(r.protocols())) {
                        // A leader's rejoin forces a rebalance: it may have seen metadata change
                        // (new partitions) that its members' subscriptions do not show.
                        updateMemberAndRebalance(group, m, r, f,
                                group.isLeader(memberId) ? "leader rejoined" : "member changed its metadata", d);
                    } else {
                        d.complete(f, currentGeneration(group, memberId, false));
                    }
                }
                default -> d.fail(f, unknownMember(group, memberId));
            }
        }
    }

    private JoinResult currentGeneration(ClassicGroup group, String memberId, boolean withMembers) {
        return new JoinResult(memberId, group.generationId, group.protocolType, group.protocolName, group.leaderId,
                false, withMembers ? group.currentMemberMetadata() : List.of());
    }

    private void updateMemberAndRebalance(ClassicGroup group, GroupMember m, JoinRequest r,
            CompletableFuture<JoinResult> f, String reason, Deferred d) {
        updateMember(group, m, r, f, d);
        rebalancer.maybePrepareRebalance(group, m + ": " + reason + r.reason().map(x -> "; client reason: " + x).orElse(""), d);
    }

    private void updateMember(ClassicGroup group, GroupMember m, JoinRequest r, CompletableFuture<JoinResult> f,
            Deferred d) {
        if (m.awaitingJoin != null && m.awaitingJoin != f) {
            // A client sends a second JoinGroup only after giving up on the first.
            d.fail(m.awaitingJoin, BrokerError.REBALANCE_IN_PROGRESS, "Replaced by a newer JoinGroup of " + m.memberId);
        }
        m.protocols = List.copyOf(r.protocols());
        m.rebalanceTimeoutMs = r.rebalanceTimeoutMs();
        m.sessionTimeoutMs = r.sessionTimeoutMs();
        m.awaitingJoin = f;
    }

    // ---- SyncGroup

    CompletableFuture<SyncResult> sync(SyncRequest r) {
        if (r.groupId() == null || r.groupId().isEmpty()) {
            return CompletableFuture.failedFuture(error(BrokerError.INVALID_GROUP_ID, "The group id is empty"));
        }
        ClassicGroup group = groups.get(r.groupId());
        if (group == null) {
            return CompletableFuture.failedFuture(error(BrokerError.UNKNOWN_MEMBER_ID, "No group " + r.groupId()));
        }
        CompletableFuture<SyncResult> f = new CompletableFuture<>();
        locked(group, d -> {
            BrokerException invalid = validateSync(group, r);
            if (invalid != null) {
                d.fail(f, invalid);
                return null;
            }
            GroupMember m = group.get(r.memberId());
            switch (group.state) {
                case EMPTY -> d.fail(f, unknownMember(group, r.memberId()));
                case PREPARING_REBALANCE -> d.fail(f, BrokerError.REBALANCE_IN_PROGRESS, group + " is rebalancing");
                case COMPLETING_REBALANCE -> {
                    if (m.awaitingSync != null) {
                        d.fail(m.awaitingSync, BrokerError.REBALANCE_IN_PROGRESS, "Replaced by a newer SyncGroup");
                    }
                    m.awaitingSync = f;
                    group.pendingSyncMembers.remove(m.memberId);
                    if (group.isLeader(m.memberId)) {
                        Map<String, byte[]> assignment = new HashMap<>(r.assignments());
                        for (String id : group.members.keySet()) {
                            if (assignment.putIfAbsent(id, new byte[0]) == null && !r.assignments().containsKey(id)) {
                                LOG.warn("Leader of {} gave no assignment to member {} in generation {}; it gets an empty one",
                                        group, id, group.generationId);
                            }
                        }
                        LOG.info("Assignment received from leader {} of {} for generation {}", m.memberId, group,
                                group.generationId);
                        rebalancer.setAndPropagateAssignment(group, assignment, d);
                        group.transitionTo(GroupState.STABLE, rebalancer.now());
                    }
                }
                case STABLE -> {
                    group.pendingSyncMembers.remove(m.memberId);
                    d.complete(f, new SyncResult(group.protocolType, group.protocolName, m.assignment));
                    rebalancer.renewSession(group, m);
                }
                default -> d.fail(f, BrokerError.COORDINATOR_NOT_AVAILABLE, group + " is being removed");
            }
            return null;
        });
        return f;
    }

    private BrokerException validateSync(ClassicGroup group, SyncRequest r) {
        if (group.is(GroupState.DEAD)) {
            return error(BrokerError.COORDINATOR_NOT_AVAILABLE, group + " is being removed; find the coordinator again");
        }
        BrokerException member = validateCurrentMember(group, r.memberId(), r.groupInstanceId());
        if (member != null) {
            return member;
        }
        if (r.generationId() != group.generationId) {
            return illegalGeneration(group, r.generationId());
        }
        if (r.protocolType().isPresent() && !r.protocolType().equals(group.protocolType)
                || r.protocolName().isPresent() && !r.protocolName().equals(group.protocolName)) {
            return inconsistentProtocol(group);
        }
        return null;
    }

    // ---- Heartbeat

    CompletableFuture<Void> heartbeat(HeartbeatRequest r) {
        if (r.groupId() == null || r.groupId().isEmpty()) {
            return CompletableFuture.failedFuture(error(BrokerError.INVALID_GROUP_ID, "The group id is empty"));
        }
        ClassicGroup group = groups.get(r.groupId());
        if (group == null) {
            return CompletableFuture.failedFuture(error(BrokerError.UNKNOWN_MEMBER_ID, "No group " + r.groupId()));
        }
        BrokerException outcome = locked(group, d -> {
            if (group.is(GroupState.DEAD)) {
                return error(BrokerError.COORDINATOR_NOT_AVAILABLE, group + " is being removed");
            }
            BrokerException invalid = validateCurrentMember(group, r.memberId(), r.groupInstanceId());
            if (invalid == null && r.generationId() != group.generationId) {
                invalid = illegalGeneration(group, r.generationId());
            }
            if (invalid != null) {
                return invalid;
            }
            if (group.is(GroupState.EMPTY)) {
                return unknownMember(group, r.memberId());
            }
            rebalancer.renewSession(group, group.get(r.memberId()));
            return group.is(GroupState.PREPARING_REBALANCE)
                    ? error(BrokerError.REBALANCE_IN_PROGRESS, "The group is rebalancing, so a rejoin is needed.")
                    : null;
        });
        return outcome == null ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(outcome);
    }

    // ---- LeaveGroup

    CompletableFuture<List<MemberLeave>> leave(String groupId, List<LeavingMember> leaving) {
        if (groupId == null || groupId.isEmpty()) {
            return CompletableFuture.failedFuture(error(BrokerError.INVALID_GROUP_ID, "The group id is empty"));
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            return CompletableFuture.completedFuture(leaving.stream()
                    .map(l -> new MemberLeave(l.memberId(), l.groupInstanceId(), Optional.of(BrokerError.UNKNOWN_MEMBER_ID)))
                    .toList());
        }
        return locked(group, d -> {
            if (group.is(GroupState.DEAD)) {
                return CompletableFuture.failedFuture(error(BrokerError.COORDINATOR_NOT_AVAILABLE, group + " is being removed"));
            }
            List<MemberLeave> results = new ArrayList<>();
            for (LeavingMember l : leaving) {
                results.add(new MemberLeave(l.memberId(), l.groupInstanceId(), leaveOne(group, l, d)));
            }
            return CompletableFuture.completedFuture(results);
        });
    }

    private Optional<BrokerError> leaveOne(ClassicGroup group, LeavingMember l, Deferred d) {
        String reason = l.reason().orElse("no reason provided");
        if (l.memberId().isEmpty()) {
            // Admin removal of a static member by its instance id.
            Optional<String> current = l.groupInstanceId().flatMap(group::staticMemberId);
            if (current.isEmpty()) {
                return Optional.of(BrokerError.UNKNOWN_MEMBER_ID);
            }
            removeLeaving(group, group.get(current.get()), reason, d);
            return Optional.empty();
        }
        if (group.pendingMembers.containsKey(l.memberId())) {
            rebalancer.removePendingMember(group, l.memberId(), d);
            return Optional.empty();
        }
        BrokerException invalid = validateCurrentMember(group, l.memberId(), l.groupInstanceId());
        if (invalid != null) {
            return Optional.of(invalid.error());
        }
        removeLeaving(group, group.get(l.memberId()), reason, d);
        return Optional.empty();
    }

    private void removeLeaving(ClassicGroup group, GroupMember m, String reason, Deferred d) {
        LOG.info("{} left {} ({})", m, group, reason);
        rebalancer.removeMemberAndUpdateGroup(group, m, "removing " + m + " on LeaveGroup; client reason: " + reason, d);
    }

    // ---- shared validation

    /**
     * Kafka's {@code validateCurrentMember}: a static member's instance id must map to this member
     * id (else {@code FENCED_INSTANCE_ID}, or {@code UNKNOWN_MEMBER_ID} if unmapped), and the member
     * id must be in the group. Called with the group's monitor held.
     *
     * @return the error, or {@code null} if the member is current
     */
    static BrokerException validateCurrentMember(ClassicGroup group, String memberId, Optional<String> groupInstanceId) {
        if (groupInstanceId.isPresent()) {
            Optional<String> current = group.staticMemberId(groupInstanceId.get());
            if (current.isPresent() && !current.get().equals(memberId)) {
                return error(BrokerError.FENCED_INSTANCE_ID, "Member " + memberId + " is fenced by " + current.get()
                        + " for instance " + groupInstanceId.get());
            }
            if (current.isEmpty()) {
                return unknownMember(group, memberId);
            }
        }
        return group.has(memberId) ? null : unknownMember(group, memberId);
    }

    static BrokerException unknownMember(ClassicGroup group, String memberId) {
        return error(BrokerError.UNKNOWN_MEMBER_ID, "The coordinator is not aware of member " + memberId + " in " + group);
    }

    static BrokerException illegalGeneration(ClassicGroup group, int generation) {
        return error(BrokerError.ILLEGAL_GENERATION, "Generation " + generation + " is not the current generation "
                + group.generationId + " of " + group);
    }

    private static BrokerException inconsistentProtocol(ClassicGroup group) {
        return error(BrokerError.INCONSISTENT_GROUP_PROTOCOL, "The protocol type or protocols are incompatible with "
                + "those of the other members of " + group);
    }
}
