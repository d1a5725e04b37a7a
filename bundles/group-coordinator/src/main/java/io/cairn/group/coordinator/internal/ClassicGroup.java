package io.cairn.group.coordinator.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.cairn.broker.spi.groups.GroupProtocol;
import io.cairn.broker.spi.groups.GroupState;
import io.cairn.broker.spi.groups.JoinedMember;

/**
 * The state of one classic group: members in join order, generation, leader, selected protocol,
 * and the timers of its delayed operations. Kafka's {@code GroupMetadata}.
 *
 * <p>Not thread-safe: every access holds the group's monitor ({@code synchronized (group)}).
 */
final class ClassicGroup {

    final String groupId;
    GroupState state = GroupState.EMPTY;
    /** When the group entered its current state (ms): offsets of an empty group expire from it. */
    long stateTimestamp;
    int generationId;
    Optional<String> protocolType = Optional.empty();
    Optional<String> protocolName = Optional.empty();
    String leaderId;
    /** Topics the members subscribe to, if the consumer protocol tells; empty if unknown. */
    Optional<Set<String>> subscribedTopics = Optional.empty();

    /** Members in join order: the oldest remaining member becomes leader when the leader leaves. */
    final Map<String, GroupMember> members = new LinkedHashMap<>();
    /** {@code group.instance.id} → member id of the static members. */
    final Map<String, String> staticMembers = new HashMap<>();
    /** Members handed an id with MEMBER_ID_REQUIRED that have not joined with it yet, with their expiry timers. */
    final Map<String, TimerSlot> pendingMembers = new HashMap<>();
    /** Members of the new generation that have not sent SyncGroup yet. */
    final Set<String> pendingSyncMembers = new HashSet<>();

    /** The delayed JoinGroup completion (rebalance timeout or initial delay), while preparing a rebalance. */
    final TimerSlot joinTimer = new TimerSlot();
    /** Whether {@link #joinTimer} is the initial delay, which only time completes. */
    boolean initialDelay;
    /** A member joined during the initial delay: the delay is extended once more. */
    boolean newMemberAdded;
    /** The delayed expiry of members that do not send SyncGroup. */
    final TimerSlot syncTimer = new TimerSlot();

    ClassicGroup(String groupId, long now) {
        this.groupId = groupId;
        this.stateTimestamp = now;
    }

    void transitionTo(GroupState next, long now) {
        state = next;
        stateTimestamp = now;
    }

    boolean is(GroupState s) {
        return state == s;
    }

    boolean has(String memberId) {
        return members.containsKey(memberId);
    }

    GroupMember get(String memberId) {
        return members.get(memberId);
    }

    boolean isLeader(String memberId) {
        return memberId.equals(leaderId);
    }

    int size() {
        return members.size();
    }

    /** Adds a member; the first member of a group fixes its protocol type and leads. */
    void add(GroupMember member) {
        if (members.isEmpty()) {
            protocolType = Optional.of(member.protocolType);
        }
        if (leaderId == null) {
            leaderId = member.memberId;
        }
        members.put(member.memberId, member);
        member.groupInstanceId.ifPresent(i -> staticMembers.put(i, member.memberId));
        TimerSlot pending = pendingMembers.remove(member.memberId);
        if (pending != null) {
            pending.cancel();
        }
    }

    /** Removes a member; a new leader is the oldest remaining member. */
    void remove(String memberId) {
        GroupMember m = members.remove(memberId);
        if (m == null) {
            return;
        }
        m.session.cancel();
        m.groupInstanceId.ifPresent(i -> staticMembers.remove(i, memberId));
        pendingSyncMembers.remove(memberId);
        if (isLeader(memberId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
    }

    /** The member id of the static member with this instance id, if any. */
    Optional<String> staticMemberId(String groupInstanceId) {
        return Optional.ofNullable(staticMembers.get(groupInstanceId));
    }

    /** Whether {@code memberId} claims {@code groupInstanceId} but another member holds it. */
    boolean isStaticMemberFenced(Optional<String> groupInstanceId, String memberId) {
        return groupInstanceId.map(staticMembers::get).map(current -> !current.equals(memberId)).orElse(false);
    }

    /** Moves a static member to a new member id, keeping its place, assignment and leadership. */
    GroupMember replaceStaticMember(String groupInstanceId, String oldMemberId, String newMemberId) {
        GroupMember m = members.remove(oldMemberId);
        // Re-insert under the new id; join order is kept except that this member moves last,
        // which matters only for leader succession.
        m.memberId = newMemberId;
        members.put(newMemberId, m);
        staticMembers.put(groupInstanceId, newMemberId);
        if (isLeader(oldMemberId)) {
            leaderId = newMemberId;
        }
        if (pendingSyncMembers.remove(oldMemberId)) {
            pendingSyncMembers.add(newMemberId);
        }
        return m;
    }

    int numAwaitingJoin() {
        return (int) members.values().stream().filter(GroupMember::isAwaitingJoin).count();
    }

    boolean hasAllMembersJoined() {
        return numAwaitingJoin() == members.size() && pendingMembers.isEmpty();
    }

    /** The longest rebalance timeout of the members: how long a rebalance waits for rejoins. */
    int rebalanceTimeoutMs() {
        return members.values().stream().mapToInt(m -> m.rebalanceTimeoutMs).max().orElse(0);
    }

    /** Whether a rebalance may start now. */
    boolean canRebalance() {
        return state == GroupState.STABLE || state == GroupState.COMPLETING_REBALANCE || state == GroupState.EMPTY;
    }

    /**
     * Whether a member with this protocol type and these protocols may join: an empty group takes
     * anything non-empty; otherwise the type must match and one of the protocols must be supported
     * by every current member.
     */
    boolean supportsProtocols(String memberProtocolType, List<GroupProtocol> memberProtocols) {
        if (state == GroupState.EMPTY) {
            return !memberProtocolType.isEmpty() && !memberProtocols.isEmpty();
        }
        if (!protocolType.orElse("").equals(memberProtocolType)) {
            return false;
        }
        for (GroupProtocol p : memberProtocols) {
            if (members.values().stream().allMatch(m -> m.supports(p.name()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Kafka's protocol selection: among the protocols every member supports, each member votes for
     * the first in its own preference order, and the most votes win. Ties go to the protocol the
     * oldest member prefers (Kafka leaves ties to hash order; a fixed rule keeps tests honest).
     */
    String selectProtocol() {
        List<String> candidates = new ArrayList<>();
        GroupMember first = members.values().iterator().next();
        for (GroupProtocol p : first.protocols) {
            if (members.values().stream().allMatch(m -> m.supports(p.name()))) {
                candidates.add(p.name());
            }
        }
        if (candidates.isEmpty()) {
            throw new IllegalStateException("no protocol common to every member of " + groupId);
        }
        Map<String, Integer> votes = new LinkedHashMap<>();
        candidates.forEach(c -> votes.put(c, 0));
        for (GroupMember m : members.values()) {
            for (GroupProtocol p : m.protocols) {
                if (votes.containsKey(p.name())) {
                    votes.merge(p.name(), 1, Integer::sum);
                    break;
                }
            }
        }
        String best = candidates.get(0);
        for (Map.Entry<String, Integer> e : votes.entrySet()) {
            if (e.getValue() > votes.get(best)) {
                best = e.getKey();
            }
        }
        return best;
    }

    /**
     * Kafka's rule when the leader has not rejoined: any member that has becomes leader.
     *
     * @return whether the group has a leader that rejoined
     */
    boolean maybeElectNewJoinedLeader() {
        if (leaderId == null) {
            return false;
        }
        if (get(leaderId).isAwaitingJoin()) {
            return true;
        }
        for (GroupMember m : members.values()) {
            if (m.isAwaitingJoin()) {
                leaderId = m.memberId;
                return true;
            }
        }
        return false;
    }

    /** Starts the next generation: selects the protocol and moves to CompletingRebalance (or Empty). */
    void initNextGeneration(long now) {
        generationId++;
        if (!members.isEmpty()) {
            protocolName = Optional.of(selectProtocol());
            subscribedTopics = computeSubscribedTopics();
            transitionTo(GroupState.COMPLETING_REBALANCE, now);
        } else {
            protocolName = Optional.empty();
            subscribedTopics = Optional.empty();
            transitionTo(GroupState.EMPTY, now);
        }
        pendingSyncMembers.clear();
    }

    private Optional<Set<String>> computeSubscribedTopics() {
        if (!protocolType.equals(Optional.of(ConsumerSubscriptions.PROTOCOL_TYPE)) || protocolName.isEmpty()) {
            return Optional.empty();
        }
        Set<String> topics = new LinkedHashSet<>();
        for (GroupMember m : members.values()) {
            Optional<List<String>> t = ConsumerSubscriptions.topics(m.metadata(protocolName.get()));
            if (t.isEmpty()) {
                return Optional.empty();
            }
            topics.addAll(t.get());
        }
        return Optional.of(topics);
    }

    /** Whether the members consume {@code topic}; true when the group cannot tell. */
    boolean isSubscribedTo(String topic) {
        return subscribedTopics.map(t -> t.contains(topic)).orElse(true);
    }

    /** Every member with its metadata for the selected protocol: the leader's JoinGroup payload. */
    List<JoinedMember> currentMemberMetadata() {
        String protocol = protocolName.orElseThrow();
        List<JoinedMember> result = new ArrayList<>();
        for (GroupMember m : members.values()) {
            result.add(new JoinedMember(m.memberId, m.groupInstanceId, m.metadata(protocol)));
        }
        return result;
    }

    Collection<GroupMember> allMembers() {
        return new ArrayList<>(members.values());
    }

    @Override
    public String toString() {
        return "group " + groupId;
    }
}
