package io.cairn.group.assignors.internal;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import io.cairn.broker.spi.groups.assignor.GroupAssignment;
import io.cairn.broker.spi.groups.assignor.GroupSpec;
import io.cairn.broker.spi.groups.assignor.MemberSpec;
import io.cairn.broker.spi.groups.assignor.PartitionAssignor;
import io.cairn.broker.spi.groups.assignor.TopicSpec;

/**
 * {@code range}: per topic, its subscribers in a fixed order (static members by
 * {@code group.instance.id}, the others by member id) each get a contiguous range of partitions;
 * with {@code n} partitions and {@code k} subscribers, the first {@code n % k} get
 * {@code n / k + 1} and the rest {@code n / k}. Because the order is the same for every topic,
 * topics with the same partition count are co-partitioned: a member gets the same partition
 * numbers of each — what joins of two topics keyed alike need. That is Kafka's classic
 * {@code RangeAssignor} placement, computed by the broker.
 *
 * <p>Not sticky: a member joining or leaving may shift every range. Stateless and thread-safe.
 */
@Component(property = PartitionAssignor.NAME_PROPERTY + "=range")
public final class RangeAssignor implements PartitionAssignor {

    @Override
    public GroupAssignment assign(GroupSpec group) {
        Assignments result = new Assignments(group);
        List<MemberSpec> members = Assignments.ordered(group);
        for (TopicSpec topic : Assignments.ordered(group.topics())) {
            List<MemberSpec> subscribers = members.stream()
                    .filter(m -> m.subscribedTopicIds().contains(topic.topicId())).toList();
            if (subscribers.isEmpty()) {
                continue;
            }
            int each = topic.partitions() / subscribers.size();
            int extra = topic.partitions() % subscribers.size();
            int next = 0;
            for (int i = 0; i < subscribers.size(); i++) {
                int count = each + (i < extra ? 1 : 0);
                for (int p = next; p < next + count; p++) {
                    result.add(subscribers.get(i).memberId(), topic.topicId(), p);
                }
                next += count;
            }
        }
        return result.result();
    }
}
