package io.cairn.group.assignors.internal;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import io.cairn.broker.spi.groups.assignor.GroupAssignment;
import io.cairn.broker.spi.groups.assignor.GroupSpec;
import io.cairn.broker.spi.groups.assignor.MemberSpec;
import io.cairn.broker.spi.groups.assignor.TopicSpec;

/**
 * A mutable assignment under construction: member → topic → partitions, with each member's
 * partition count. Both assignors build their result in one. Not thread-safe: one per call.
 */
final class Assignments {

    private final Map<String, Map<UUID, TreeSet<Integer>>> byMember = new TreeMap<>();
    private final Map<String, Integer> load = new HashMap<>();

    Assignments(GroupSpec spec) {
        spec.members().keySet().forEach(m -> {
            byMember.put(m, new TreeMap<>());
            load.put(m, 0);
        });
    }

    void add(String member, UUID topic, int partition) {
        byMember.get(member).computeIfAbsent(topic, t -> new TreeSet<>()).add(partition);
        load.merge(member, 1, Integer::sum);
    }

    void remove(String member, UUID topic, int partition) {
        TreeSet<Integer> partitions = byMember.get(member).get(topic);
        if (partitions != null && partitions.remove(partition)) {
            load.merge(member, -1, Integer::sum);
            if (partitions.isEmpty()) {
                byMember.get(member).remove(topic);
            }
        }
    }

    int load(String member) {
        return load.get(member);
    }

    Map<UUID, TreeSet<Integer>> of(String member) {
        return byMember.get(member);
    }

    GroupAssignment result() {
        Map<String, Map<UUID, Set<Integer>>> out = new HashMap<>();
        byMember.forEach((m, topics) -> {
            Map<UUID, Set<Integer>> copy = new HashMap<>();
            topics.forEach((t, ps) -> copy.put(t, Set.copyOf(ps)));
            out.put(m, Map.copyOf(copy));
        });
        return new GroupAssignment(out);
    }

    /** Members in a stable order: static members by instance id, the others by member id (as Kafka's range does). */
    static List<MemberSpec> ordered(GroupSpec spec) {
        return spec.members().values().stream()
                .sorted(Comparator.comparing((MemberSpec m) -> m.instanceId().orElse(m.memberId()))
                        .thenComparing(MemberSpec::memberId))
                .toList();
    }

    /** Topics in a stable order: by name. */
    static List<TopicSpec> ordered(Map<UUID, TopicSpec> topics) {
        return topics.values().stream().sorted(Comparator.comparing(TopicSpec::name).thenComparing(TopicSpec::topicId))
                .toList();
    }
}
