package io.cairn.group.coordinator.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One member of a consumer (KIP-848) group: what it subscribes to, its epoch, and where its
 * reconciliation stands. Kafka's {@code ConsumerGroupMember}.
 *
 * <p>Not thread-safe: every access holds the group's monitor.
 */
final class ConsumerMember {

    /** Where a member is on its way to its target assignment (Kafka's {@code MemberState}). */
    enum State {
        /** It owns what its epoch's assignment says. */
        STABLE,
        /** It must give up {@link #pendingRevocation} before it gets anything new or a new epoch. */
        UNREVOKED_PARTITIONS,
        /** It is at the target epoch but waits for partitions that other members still own. */
        UNRELEASED_PARTITIONS
    }

    String memberId;
    final Optional<String> instanceId;
    Optional<String> rackId = Optional.empty();
    String clientId = "";
    String clientHost = "";
    int rebalanceTimeoutMs;
    List<String> subscribedTopicNames = List.of();
    Optional<String> subscribedTopicRegex = Optional.empty();
    /** The compiled {@link #subscribedTopicRegex}, null without one. */
    Pattern regex;
    Optional<String> serverAssignor = Optional.empty();

    int memberEpoch;
    int previousMemberEpoch = -1;
    State state = State.STABLE;
    /** What it may consume now: topic id → partitions. */
    Map<UUID, Set<Integer>> assigned = Map.of();
    /** What it still owns and must give up. */
    Map<UUID, Set<Integer>> pendingRevocation = Map.of();

    /** The session: removed when it runs out. */
    final TimerSlot session = new TimerSlot();
    /** The revocation deadline (the rebalance timeout) while {@link State#UNREVOKED_PARTITIONS}. */
    final TimerSlot revocation = new TimerSlot();

    ConsumerMember(String memberId, Optional<String> instanceId) {
        this.memberId = memberId;
        this.instanceId = instanceId;
    }

    /** Whether it subscribes to the topic {@code name} by name or by its regular expression. */
    boolean subscribesTo(String name) {
        return subscribedTopicNames.contains(name) || regex != null && regex.matcher(name).matches();
    }

    @Override
    public String toString() {
        return "member " + memberId + instanceId.map(i -> " (instance " + i + ")").orElse("") + " epoch " + memberEpoch;
    }
}
