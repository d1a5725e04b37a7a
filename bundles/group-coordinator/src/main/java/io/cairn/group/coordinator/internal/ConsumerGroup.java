package io.cairn.group.coordinator.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.cairn.broker.spi.cluster.ClusterView;
import io.cairn.broker.spi.groups.GroupState;
import io.cairn.broker.spi.groups.TopicPartitions;

/**
 * The state of one consumer (KIP-848) group: members, the group epoch, the target assignment and
 * the epoch it was computed for, who owns which partition right now, and the subscribed topics'
 * partition counts the target was computed from. Kafka's {@code ConsumerGroup}.
 *
 * <p>The <b>group epoch</b> moves whenever something the assignment depends on changes (a member
 * joins or goes, a subscription changes, a subscribed topic appears or gains partitions); the
 * <b>assignment epoch</b> catches up when the assignor has computed the target for it; each
 * member's <b>member epoch</b> catches up when it has reconciled to that target
 * ({@link Reconciliation}).
 *
 * <p>Not thread-safe: every access holds the group's monitor ({@code synchronized (group)}).
 */
final class ConsumerGroup {

    /** A subscribed topic as the target assignment saw it. */
    record TopicMeta(String name, int partitions) {
    }

    final String groupId;
    int groupEpoch;
    int assignmentEpoch;
    /** The assignor that computed the current target, empty before the first. */
    String assignorName = "";
    /** When the group last became empty (ms); its offsets' retention counts from there. */
    long emptySince;
    /** Set when the group has been removed from the coordinator: requests that raced the removal retry. */
    boolean removed;

    /** Members in join order. */
    final Map<String, ConsumerMember> members = new LinkedHashMap<>();
    /** {@code group.instance.id} → member id of the static members. */
    final Map<String, String> staticMembers = new HashMap<>();
    /** Member id → topic id → partitions: what the assignor wants each member to have. */
    Map<String, Map<UUID, Set<Integer>>> targetAssignment = new HashMap<>();
    /** Topic id → partition → the member that owns it now (assigned, or still to revoke). */
    final Map<UUID, Map<Integer, String>> owners = new HashMap<>();
    /** The subscribed topics that exist, by id. */
    Map<UUID, TopicMeta> subscribedTopics = Map.of();
    /** The cluster snapshot {@link #subscribedTopics} was read from. */
    ClusterView topicsSeenIn;

    ConsumerGroup(String groupId, long now) {
        this.groupId = groupId;
        this.emptySince = now;
    }

    /** Kafka's {@code ConsumerGroup.State}, derived from the epochs. */
    GroupState state() {
        if (members.isEmpty()) {
            return GroupState.EMPTY;
        }
        if (groupEpoch > assignmentEpoch) {
            return GroupState.ASSIGNING;
        }
        for (ConsumerMember m : members.values()) {
            if (m.memberEpoch != assignmentEpoch || m.state != ConsumerMember.State.STABLE) {
                return GroupState.RECONCILING;
            }
        }
        return GroupState.STABLE;
    }

    /** The member that owns a partition now, or null. */
    String ownerOf(UUID topicId, int partition) {
        Map<Integer, String> topic = owners.get(topicId);
        return topic == null ? null : topic.get(partition);
    }

    /** Replaces what {@code member} owns in {@link #owners} by its assigned and pending-revocation partitions. */
    void updateOwnership(ConsumerMember member, Map<UUID, Set<Integer>> ownedBefore) {
        release(member.memberId, ownedBefore);
        claim(member.memberId, member.assigned);
        claim(member.memberId, member.pendingRevocation);
    }

    void release(String memberId, Map<UUID, Set<Integer>> partitions) {
        partitions.forEach((topicId, ps) -> {
            Map<Integer, String> topic = owners.get(topicId);
            if (topic != null) {
                ps.forEach(p -> topic.remove(p, memberId));
                if (topic.isEmpty()) {
                    owners.remove(topicId);
                }
            }
        });
    }

    private void claim(String memberId, Map<UUID, Set<Integer>> partitions) {
        partitions.forEach((topicId, ps) -> {
            Map<Integer, String> topic = owners.computeIfAbsent(topicId, t -> new HashMap<>());
            ps.forEach(p -> topic.put(p, memberId));
        });
    }

    /** Whether some member subscribes to the topic {@code name}. */
    boolean isSubscribedTo(String name) {
        return members.values().stream().anyMatch(m -> m.subscribesTo(name));
    }

    /** A topic's name as last seen, or the empty string. */
    String topicName(UUID topicId) {
        TopicMeta meta = subscribedTopics.get(topicId);
        return meta == null ? "" : meta.name();
    }

    /** Partitions of a heartbeat by topic id. */
    static Map<UUID, Set<Integer>> byTopic(List<TopicPartitions> partitions) {
        Map<UUID, Set<Integer>> map = new HashMap<>();
        partitions.forEach(tp -> map.computeIfAbsent(tp.topicId(), t -> new HashSet<>()).addAll(tp.partitions()));
        return map;
    }

    /** Partitions for an answer: by topic, named where the group knows the name, ascending. */
    List<TopicPartitions> describe(Map<UUID, Set<Integer>> partitions) {
        List<TopicPartitions> out = new ArrayList<>();
        partitions.forEach((topicId, ps) -> out.add(new TopicPartitions(topicId, topicName(topicId),
                ps.stream().sorted().toList())));
        out.sort((a, b) -> a.topicName().equals(b.topicName()) ? a.topicId().compareTo(b.topicId())
                : a.topicName().compareTo(b.topicName()));
        return out;
    }

    @Override
    public String toString() {
        return "consumer group " + groupId + " (epoch " + groupEpoch + ")";
    }
}
