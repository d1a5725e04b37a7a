package io.cairn.group.coordinator.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.groups.GroupState;
import io.cairn.broker.spi.groups.JoinResult;
import io.cairn.broker.spi.groups.JoinedMember;
import io.cairn.broker.spi.groups.SyncResult;

/**
 * The transitions of Kafka's classic rebalance protocol that time or membership drive: preparing
 * a rebalance, completing the join phase (by all members rejoining, the initial delay, or the
 * rebalance timeout), handing out the leader's assignment, and expiring sessions and members that
 * do not send SyncGroup. The rules are those of Kafka's {@code GroupCoordinator} (3.x, the classic
 * protocol), step by step.
 *
 * <p>Every method is called with the group's monitor held; completions go to the {@link Deferred}.
 */
final class Rebalancer {

    private static final Logger LOG = LoggerFactory.getLogger(Rebalancer.class);

    private final Scheduler scheduler;
    private final Supplier<CoordinatorConfig> config;

    Rebalancer(Scheduler scheduler, Supplier<CoordinatorConfig> config) {
        this.scheduler = scheduler;
        this.config = config;
    }

    long now() {
        return scheduler.nowMs();
    }

    void maybePrepareRebalance(ClassicGroup group, String reason, Deferred d) {
        if (group.canRebalance()) {
            prepareRebalance(group, reason, d);
        }
    }

    /**
     * Starts a rebalance: members waiting for SyncGroup are told to rejoin, and the join phase
     * waits for every member — after the initial delay for a group that was empty, so that a
     * group starting up with many members rebalances once.
     */
    void prepareRebalance(ClassicGroup group, String reason, Deferred d) {
        if (group.is(GroupState.COMPLETING_REBALANCE)) {
            resetAndPropagateAssignmentError(group, BrokerError.REBALANCE_IN_PROGRESS, d);
        }
        group.syncTimer.cancel();
        boolean wasEmpty = group.is(GroupState.EMPTY);
        group.transitionTo(GroupState.PREPARING_REBALANCE, now());
        LOG.info("Preparing to rebalance {} in generation {} ({})", group, group.generationId, reason);
        if (wasEmpty) {
            int delay = config.get().initialRebalanceDelayMs();
            scheduleInitialJoin(group, delay, Math.max(group.rebalanceTimeoutMs() - delay, 0));
        } else {
            scheduleJoin(group);
            tryCompleteJoin(group, d);
        }
    }

    private void scheduleJoin(ClassicGroup group) {
        group.initialDelay = false;
        group.joinTimer.schedule(scheduler, group.rebalanceTimeoutMs(), group, d -> onCompleteJoin(group, d));
    }

    /** Kafka's {@code InitialDelayedJoin}: only time completes it, and a new member extends it once per delay. */
    private void scheduleInitialJoin(ClassicGroup group, int delayMs, int remainingMs) {
        group.initialDelay = true;
        group.joinTimer.schedule(scheduler, delayMs, group, d -> {
            if (group.newMemberAdded && remainingMs != 0) {
                group.newMemberAdded = false;
                int next = Math.min(config.get().initialRebalanceDelayMs(), remainingMs);
                scheduleInitialJoin(group, next, Math.max(remainingMs - delayMs, 0));
            } else {
                onCompleteJoin(group, d);
            }
        });
    }

    /** Completes the join phase early once every member has rejoined (not during the initial delay). */
    void tryCompleteJoin(ClassicGroup group, Deferred d) {
        if (group.is(GroupState.PREPARING_REBALANCE) && !group.initialDelay && group.hasAllMembersJoined()) {
            onCompleteJoin(group, d);
        }
    }

    /**
     * Ends the join phase: dynamic members that did not rejoin are dropped (static ones stay), the
     * next generation starts, and every member gets its JoinGroup response — the leader with
     * everyone's metadata.
     */
    void onCompleteJoin(ClassicGroup group, Deferred d) {
        group.joinTimer.cancel();
        group.initialDelay = false;
        for (GroupMember m : group.allMembers()) {
            if (!m.isAwaitingJoin() && !m.isStatic()) {
                LOG.info("Removing {} from {}: it did not rejoin in time", m, group);
                removeMember(group, m, d);
            }
        }
        if (group.is(GroupState.DEAD)) {
            return;
        }
        if (!group.maybeElectNewJoinedLeader() && !group.members.isEmpty()) {
            // Only absent static members are left: wait another rebalance timeout for them,
            // until their sessions expire.
            LOG.warn("{} could not complete its rebalance: no member rejoined", group);
            scheduleJoin(group);
            return;
        }
        group.initNextGeneration(now());
        if (group.is(GroupState.EMPTY)) {
            LOG.info("{} is empty in generation {}", group, group.generationId);
            return;
        }
        LOG.info("Stabilized {} in generation {} with {} members, protocol {}, leader {}", group,
                group.generationId, group.size(), group.protocolName.orElse(""), group.leaderId);
        List<JoinedMember> all = group.currentMemberMetadata();
        for (GroupMember m : group.allMembers()) {
            if (m.awaitingJoin != null) {
                d.complete(m.awaitingJoin, new JoinResult(m.memberId, group.generationId, group.protocolType,
                        group.protocolName, group.leaderId, false, group.isLeader(m.memberId) ? all : List.of()));
                m.awaitingJoin = null;
            }
            renewSession(group, m);
            m.isNew = false;
            group.pendingSyncMembers.add(m.memberId);
        }
        schedulePendingSync(group);
    }

    /** Members that do not send SyncGroup within the rebalance timeout are removed, and the group rebalances. */
    private void schedulePendingSync(ClassicGroup group) {
        int generation = group.generationId;
        group.syncTimer.schedule(scheduler, group.rebalanceTimeoutMs(), group, d -> {
            if (generation != group.generationId || group.pendingSyncMembers.isEmpty()
                    || !(group.is(GroupState.COMPLETING_REBALANCE) || group.is(GroupState.STABLE))) {
                return;
            }
            List<String> missing = List.copyOf(group.pendingSyncMembers);
            for (String id : missing) {
                GroupMember m = group.get(id);
                if (m != null) {
                    removeMember(group, m, d);
                }
            }
            prepareRebalance(group, "members " + missing + " did not send SyncGroup in time", d);
        });
    }

    /** The leader's assignment reached the coordinator: every member waiting in SyncGroup gets its part. */
    void setAndPropagateAssignment(ClassicGroup group, Map<String, byte[]> assignment, Deferred d) {
        for (GroupMember m : group.allMembers()) {
            m.assignment = assignment.getOrDefault(m.memberId, new byte[0]);
        }
        for (GroupMember m : group.allMembers()) {
            if (m.awaitingSync != null) {
                d.complete(m.awaitingSync, new SyncResult(group.protocolType, group.protocolName, m.assignment));
                m.awaitingSync = null;
                renewSession(group, m);
            }
        }
    }

    void resetAndPropagateAssignmentError(ClassicGroup group, BrokerError error, Deferred d) {
        for (GroupMember m : group.allMembers()) {
            m.assignment = new byte[0];
            if (m.awaitingSync != null) {
                d.fail(m.awaitingSync, error, "The group is rebalancing, so a rejoin is needed.");
                m.awaitingSync = null;
                renewSession(group, m);
            }
        }
    }

    /** Restarts the member's session (a heartbeat, commit, or response handed out). */
    void renewSession(ClassicGroup group, GroupMember member) {
        scheduleSession(group, member, member.sessionTimeoutMs);
    }

    /**
     * Starts the member's session timer. When it fires, the member is removed unless it is waiting
     * in JoinGroup or SyncGroup (its session then restarts when the response goes out); a new
     * member waiting in its first JoinGroup is removed too, after the new-member timeout, because
     * a client that gave up would otherwise leave a ghost in the rebalance.
     */
    void scheduleSession(ClassicGroup group, GroupMember member, long timeoutMs) {
        member.session.schedule(scheduler, timeoutMs, group, d -> {
            if (group.is(GroupState.DEAD) || group.get(member.memberId) != member) {
                return;
            }
            boolean excused = !member.isNew && (member.isAwaitingJoin() || member.isAwaitingSync());
            if (!excused) {
                LOG.info("{} of {} has failed (session timeout), removing it", member, group);
                removeMemberAndUpdateGroup(group, member, "removing " + member + " on session timeout", d);
            }
        });
    }

    /** Removes a member and lets the group react: rebalance if stable, or finish a pending join. */
    void removeMemberAndUpdateGroup(ClassicGroup group, GroupMember member, String reason, Deferred d) {
        removeMember(group, member, d);
        switch (group.state) {
            case STABLE, COMPLETING_REBALANCE -> maybePrepareRebalance(group, reason, d);
            case PREPARING_REBALANCE -> tryCompleteJoin(group, d);
            default -> { }
        }
    }

    private void removeMember(ClassicGroup group, GroupMember member, Deferred d) {
        BrokerException gone = new BrokerException(BrokerError.UNKNOWN_MEMBER_ID,
                "The member " + member.memberId + " is no longer part of " + group);
        if (member.awaitingJoin != null) {
            d.fail(member.awaitingJoin, gone);
            member.awaitingJoin = null;
        }
        if (member.awaitingSync != null) {
            d.fail(member.awaitingSync, gone);
            member.awaitingSync = null;
        }
        group.remove(member.memberId);
    }

    /** A member handed an id by MEMBER_ID_REQUIRED that must join with it within its session timeout. */
    void addPendingMember(ClassicGroup group, String memberId, int sessionTimeoutMs) {
        TimerSlot slot = new TimerSlot();
        group.pendingMembers.put(memberId, slot);
        slot.schedule(scheduler, sessionTimeoutMs, group, d -> {
            LOG.info("Pending member {} of {} did not join in time", memberId, group);
            removePendingMember(group, memberId, d);
        });
    }

    void removePendingMember(ClassicGroup group, String memberId, Deferred d) {
        TimerSlot slot = group.pendingMembers.remove(memberId);
        if (slot != null) {
            slot.cancel();
        }
        if (group.is(GroupState.PREPARING_REBALANCE)) {
            tryCompleteJoin(group, d);
        }
    }
}
