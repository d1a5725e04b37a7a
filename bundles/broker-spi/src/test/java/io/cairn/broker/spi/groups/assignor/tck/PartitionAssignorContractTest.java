package io.cairn.broker.spi.groups.assignor.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.cairn.broker.spi.groups.assignor.GroupAssignment;
import io.cairn.broker.spi.groups.assignor.GroupSpec;
import io.cairn.broker.spi.groups.assignor.MemberSpec;
import io.cairn.broker.spi.groups.assignor.PartitionAssignor;
import io.cairn.broker.spi.groups.assignor.TopicSpec;

/**
 * The assignor contract of {@code io.cairn.broker.spi.groups.assignor}: complete (every subscribed
 * partition to exactly one subscriber, nothing to non-subscribers, every member present) and pure
 * (same spec, same result). Every assignor's tests extend this class.
 */
public abstract class PartitionAssignorContractTest {

    /** The assignor under test. */
    protected abstract PartitionAssignor assignor();

    /** A topic id derived from its name, so that specs are reproducible. */
    protected static UUID id(String topic) {
        return UUID.nameUUIDFromBytes(topic.getBytes(StandardCharsets.UTF_8));
    }

    protected static TopicSpec topic(String name, int partitions) {
        return new TopicSpec(id(name), name, partitions);
    }

    protected static MemberSpec member(String memberId, Map<UUID, Set<Integer>> current, String... topics) {
        Set<UUID> ids = new HashSet<>();
        for (String t : topics) {
            ids.add(id(t));
        }
        return new MemberSpec(memberId, Optional.empty(), Optional.empty(), ids, current);
    }

    protected static GroupSpec spec(Map<String, MemberSpec> members, TopicSpec... topics) {
        Map<UUID, TopicSpec> byId = new HashMap<>();
        for (TopicSpec t : topics) {
            byId.put(t.topicId(), t);
        }
        return new GroupSpec(members, byId);
    }

    /** Checks the contract's completeness rules on one result. */
    protected static void assertComplete(GroupSpec spec, GroupAssignment result) {
        assertEquals(spec.members().keySet(), result.members().keySet(), "every member, and only members, in the result");
        Map<String, String> owner = new HashMap<>();
        result.members().forEach((memberId, topics) -> topics.forEach((topicId, partitions) -> {
            TopicSpec topic = spec.topics().get(topicId);
            assertTrue(topic != null, memberId + " got partitions of a topic not in the spec: " + topicId);
            assertTrue(spec.members().get(memberId).subscribedTopicIds().contains(topicId),
                    memberId + " got partitions of " + topic.name() + " without subscribing to it");
            for (int p : partitions) {
                assertTrue(p >= 0 && p < topic.partitions(), "no partition " + p + " in " + topic.name());
                String previous = owner.put(topic.name() + "-" + p, memberId);
                assertTrue(previous == null, topic.name() + "-" + p + " given to " + previous + " and " + memberId);
            }
        }));
        for (TopicSpec topic : spec.topics().values()) {
            boolean subscribed = spec.members().values().stream().anyMatch(m -> m.subscribedTopicIds().contains(topic.topicId()));
            for (int p = 0; p < topic.partitions(); p++) {
                assertEquals(subscribed, owner.containsKey(topic.name() + "-" + p),
                        topic.name() + "-" + p + (subscribed ? " was not assigned" : " was assigned without a subscriber"));
            }
        }
    }

    @Test
    public void everySubscribedPartitionGoesToExactlyOneSubscriber() {
        GroupSpec spec = spec(Map.of(
                "a", member("a", Map.of(), "t1", "t2"),
                "b", member("b", Map.of(), "t2"),
                "c", member("c", Map.of(), "t1", "t3")),
                topic("t1", 5), topic("t2", 3), topic("t3", 7), topic("unsubscribed", 4));
        assertComplete(spec, assignor().assign(spec));
    }

    @Test
    public void aMemberWithoutSubscriptionsGetsNothingButIsListed() {
        GroupSpec spec = spec(Map.of("a", member("a", Map.of(), "t1"), "idle", member("idle", Map.of())),
                topic("t1", 4));
        GroupAssignment result = assignor().assign(spec);
        assertComplete(spec, result);
        assertTrue(result.members().get("idle").values().stream().allMatch(Set::isEmpty));
    }

    @Test
    public void currentAssignmentsOfVanishedPartitionsAreIgnored() {
        // "a" held partitions 5-7 of a topic that shrank in the spec (or was recreated), and a topic that is gone.
        GroupSpec spec = spec(Map.of(
                "a", member("a", Map.of(id("t1"), Set.of(0, 5, 6, 7), id("gone"), Set.of(0)), "t1"),
                "b", member("b", Map.of(), "t1")),
                topic("t1", 4));
        assertComplete(spec, assignor().assign(spec));
    }

    @Test
    public void noMembersNoAssignment() {
        GroupSpec spec = spec(Map.of(), topic("t1", 4));
        assertTrue(assignor().assign(spec).members().isEmpty());
    }

    @Test
    public void theSameSpecGivesTheSameAssignment() {
        Map<String, MemberSpec> members = new HashMap<>();
        for (int i = 0; i < 7; i++) {
            members.put("m" + i, member("m" + i, Map.of(), i % 2 == 0 ? new String[] {"t1", "t2"} : new String[] {"t2"}));
        }
        GroupSpec spec = spec(members, topic("t1", 11), topic("t2", 13));
        assertEquals(assignor().assign(spec), assignor().assign(spec));
    }
}
