package io.cairn.group.assignors.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.osgi.service.component.annotations.Component;

import io.cairn.broker.spi.groups.assignor.GroupAssignment;
import io.cairn.broker.spi.groups.assignor.GroupSpec;
import io.cairn.broker.spi.groups.assignor.MemberSpec;
import io.cairn.broker.spi.groups.assignor.PartitionAssignor;
import io.cairn.broker.spi.groups.assignor.TopicSpec;

/**
 * {@code uniform} (the default, like Kafka's {@code UniformAssignor}): partitions spread as evenly
 * as the subscriptions allow, moving as few as possible from where they are.
 *
 * <ol>
 * <li><b>Keep.</b> Every member keeps the partitions of its current target assignment that still
 * exist and that it still subscribes to.</li>
 * <li><b>Place.</b> Partitions nobody holds go, topic by topic (those with the fewest subscribers
 * first, since they have the fewest choices), each to the subscriber holding the fewest
 * partitions.</li>
 * <li><b>Balance.</b> While some member holds two or more partitions more than another member that
 * could take one of them (subscribes to its topic), one moves from the first to the second.</li>
 * </ol>
 *
 * <p>When all members subscribe to the same topics, counts then differ by at most one and a
 * member joining or leaving moves only the partitions needed to even the counts out (with
 * {@code n} members, about {@code 1/n} of them). With different subscriptions the balance is the
 * best one-partition moves can reach, which is not always the optimum. Ties are broken by member
 * id and topic name, so the result depends on the spec alone.
 *
 * <p>Stateless and thread-safe.
 */
@Component(property = PartitionAssignor.NAME_PROPERTY + "=uniform")
public final class UniformAssignor implements PartitionAssignor {

    @Override
    public GroupAssignment assign(GroupSpec group) {
        Assignments result = new Assignments(group);
        List<MemberSpec> members = Assignments.ordered(group);
        Map<UUID, List<MemberSpec>> subscribers = new HashMap<>();
        for (TopicSpec topic : group.topics().values()) {
            subscribers.put(topic.topicId(), members.stream()
                    .filter(m -> m.subscribedTopicIds().contains(topic.topicId())).toList());
        }
        Map<UUID, Set<Integer>> held = keep(group, members, result);
        place(group, subscribers, held, result);
        balance(group, members, result);
        return result.result();
    }

    /** Step 1; returns what is held, by topic. A partition two members claim stays with the first in order. */
    private static Map<UUID, Set<Integer>> keep(GroupSpec group, List<MemberSpec> members, Assignments result) {
        Map<UUID, Set<Integer>> held = new HashMap<>();
        for (MemberSpec m : members) {
            m.currentAssignment().forEach((topicId, partitions) -> {
                TopicSpec topic = group.topics().get(topicId);
                if (topic == null || !m.subscribedTopicIds().contains(topicId)) {
                    return;
                }
                for (int p : new TreeSet<>(partitions)) {
                    if (p < topic.partitions() && held.computeIfAbsent(topicId, t -> new TreeSet<>()).add(p)) {
                        result.add(m.memberId(), topicId, p);
                    }
                }
            });
        }
        return held;
    }

    /** Step 2. */
    private static void place(GroupSpec group, Map<UUID, List<MemberSpec>> subscribers, Map<UUID, Set<Integer>> held,
            Assignments result) {
        List<TopicSpec> topics = new ArrayList<>(Assignments.ordered(group.topics()));
        topics.sort(Comparator.comparingInt((TopicSpec t) -> subscribers.get(t.topicId()).size()));
        for (TopicSpec topic : topics) {
            List<MemberSpec> candidates = subscribers.get(topic.topicId());
            if (candidates.isEmpty()) {
                continue;
            }
            Set<Integer> taken = held.getOrDefault(topic.topicId(), Set.of());
            for (int p = 0; p < topic.partitions(); p++) {
                if (!taken.contains(p)) {
                    MemberSpec least = candidates.get(0);
                    for (MemberSpec c : candidates) {
                        if (result.load(c.memberId()) < result.load(least.memberId())) {
                            least = c;
                        }
                    }
                    result.add(least.memberId(), topic.topicId(), p);
                }
            }
        }
    }

    /** Step 3. Every move lowers the sum of squared loads, so the loop ends. */
    private static void balance(GroupSpec group, List<MemberSpec> members, Assignments result) {
        boolean moved = true;
        while (moved) {
            moved = false;
            List<MemberSpec> byLoad = new ArrayList<>(members);
            byLoad.sort(Comparator.comparingInt((MemberSpec m) -> result.load(m.memberId())));
            search:
            for (MemberSpec receiver : byLoad) {
                for (int i = byLoad.size() - 1; i >= 0; i--) {
                    MemberSpec giver = byLoad.get(i);
                    if (result.load(giver.memberId()) <= result.load(receiver.memberId()) + 1) {
                        break;
                    }
                    if (moveOne(group, giver, receiver, result)) {
                        moved = true;
                        break search;
                    }
                }
            }
        }
    }

    /** Moves the giver's last partition (by topic name, then number) of a topic the receiver subscribes to. */
    private static boolean moveOne(GroupSpec group, MemberSpec giver, MemberSpec receiver, Assignments result) {
        List<TopicSpec> topics = Assignments.ordered(group.topics());
        for (int i = topics.size() - 1; i >= 0; i--) {
            UUID topicId = topics.get(i).topicId();
            TreeSet<Integer> partitions = result.of(giver.memberId()).get(topicId);
            if (partitions != null && !partitions.isEmpty() && receiver.subscribedTopicIds().contains(topicId)) {
                int p = partitions.last();
                result.remove(giver.memberId(), topicId, p);
                result.add(receiver.memberId(), topicId, p);
                return true;
            }
        }
        return false;
    }
}
