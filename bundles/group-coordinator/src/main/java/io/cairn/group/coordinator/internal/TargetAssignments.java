package io.cairn.group.coordinator.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.groups.assignor.GroupAssignment;
import io.cairn.broker.spi.groups.assignor.GroupSpec;
import io.cairn.broker.spi.groups.assignor.MemberSpec;
import io.cairn.broker.spi.groups.assignor.PartitionAssignor;
import io.cairn.broker.spi.groups.assignor.TopicSpec;

/**
 * Computes a consumer group's target assignment with its server-side assignor when the group epoch
 * has moved past the assignment epoch. The assignor is the one most members ask for with
 * {@code group.remote.assignor} (ties: the one listed first in {@code group.consumer.assignors}),
 * or the first of {@code group.consumer.assignors} if nobody asks — Kafka's rule. Each member's
 * current target goes into the spec, so sticky assignors keep partitions where they are.
 *
 * <p>If the assignor is not registered or fails, the previous target stays (the group shows as
 * {@code Assigning}) and the next heartbeat tries again. Stateless; called with the group's
 * monitor held.
 */
final class TargetAssignments {

    private static final Logger LOG = LoggerFactory.getLogger(TargetAssignments.class);

    private final AssignorRegistry assignors;
    private final Supplier<CoordinatorConfig> config;

    TargetAssignments(AssignorRegistry assignors, Supplier<CoordinatorConfig> config) {
        this.assignors = assignors;
        this.config = config;
    }

    /** The assignor the group uses. */
    String preferredAssignor(ConsumerGroup group) {
        Map<String, Integer> votes = new HashMap<>();
        group.members.values().forEach(m -> m.serverAssignor.ifPresent(a -> votes.merge(a, 1, Integer::sum)));
        String best = config.get().defaultAssignor();
        int most = 0;
        for (String name : config.get().consumerAssignors()) {
            int n = votes.getOrDefault(name, 0);
            if (n > most) {
                best = name;
                most = n;
            }
        }
        return best;
    }

    /** Brings the target up to the group epoch, if the assignor is there to compute it. */
    void update(ConsumerGroup group) {
        if (group.groupEpoch <= group.assignmentEpoch) {
            return;
        }
        if (group.members.isEmpty()) {
            group.targetAssignment = new HashMap<>();
            group.assignmentEpoch = group.groupEpoch;
            return;
        }
        String name = preferredAssignor(group);
        Optional<PartitionAssignor> assignor = assignors.get(name);
        if (assignor.isEmpty()) {
            LOG.warn("{}: assignor '{}' is not registered; the target assignment stays at epoch {}", group, name,
                    group.assignmentEpoch);
            return;
        }
        GroupSpec spec = spec(group);
        GroupAssignment result;
        try {
            result = assignor.get().assign(spec);
        } catch (RuntimeException e) {
            LOG.warn("{}: assignor '{}' failed; the target assignment stays at epoch {}", group, name,
                    group.assignmentEpoch, e);
            return;
        }
        Map<String, Map<UUID, Set<Integer>>> target = new HashMap<>();
        for (String memberId : group.members.keySet()) {
            target.put(memberId, Reconciliation.freeze(result.members().getOrDefault(memberId, Map.of())));
        }
        group.targetAssignment = target;
        group.assignmentEpoch = group.groupEpoch;
        group.assignorName = name;
        LOG.debug("{}: target assignment by '{}': {}", group, name, target);
    }

    private static GroupSpec spec(ConsumerGroup group) {
        Map<UUID, TopicSpec> topics = new HashMap<>();
        group.subscribedTopics.forEach((id, meta) -> topics.put(id, new TopicSpec(id, meta.name(), meta.partitions())));
        Map<String, MemberSpec> members = new HashMap<>();
        for (ConsumerMember m : group.members.values()) {
            Set<UUID> subscribed = new HashSet<>();
            group.subscribedTopics.forEach((id, meta) -> {
                if (m.subscribesTo(meta.name())) {
                    subscribed.add(id);
                }
            });
            members.put(m.memberId, new MemberSpec(m.memberId, m.instanceId, m.rackId, subscribed,
                    group.targetAssignment.getOrDefault(m.memberId, Map.of())));
        }
        return new GroupSpec(members, topics);
    }
}
