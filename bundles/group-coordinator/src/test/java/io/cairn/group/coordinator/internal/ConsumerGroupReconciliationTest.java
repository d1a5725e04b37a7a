package io.cairn.group.coordinator.internal;

import static io.cairn.group.coordinator.internal.Harness.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cairn.broker.spi.groups.ConsumerGroupDescription;
import io.cairn.broker.spi.groups.GroupState;
import io.cairn.group.coordinator.internal.ConsumerHarness.Member;

/**
 * Members join, leave, die and heartbeat in a random (seeded, so repeatable) order while topics
 * grow: at no moment do two clients own the same partition, and once everybody has heartbeated a
 * few times without changes the group is stable with every partition owned exactly once and the
 * counts at most one apart (the {@code uniform} assignor, equal subscriptions).
 */
class ConsumerGroupReconciliationTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 848})
    void noPartitionIsEverOwnedTwiceAndTheGroupSettles(long seed) {
        Random random = new Random(seed);
        ConsumerHarness h = new ConsumerHarness();
        h.topics.put("a", 6);
        h.topics.put("b", 3);
        List<Member> live = new ArrayList<>();
        int next = 0;
        for (int step = 0; step < 400; step++) {
            int action = random.nextInt(20);
            if (action == 0 && live.size() < 6 || live.isEmpty()) {
                Member m = h.member("g", "m" + next++);
                m.join(List.of("a", "b"), Optional.empty());
                live.add(m);
            } else if (action == 1 && live.size() > 1) {
                live.remove(random.nextInt(live.size())).leave(-1);
            } else if (action == 2 && live.size() > 1) {
                // Dies: nobody hears from it again; its session runs out while the others heartbeat.
                Member dead = live.remove(random.nextInt(live.size()));
                dead.owned = new HashMap<>();
                for (int t = 0; t < 10; t++) {
                    h.clock.advance(5_000);
                    live.forEach(Member::heartbeat);
                    assertDisjoint(live);
                }
            } else if (action == 3 && step < 300) {
                h.topics.put("a", 6 + step / 60);
            } else {
                live.get(random.nextInt(live.size())).heartbeat();
            }
            assertDisjoint(live);
        }
        for (int round = 0; round < 5; round++) {
            live.forEach(Member::heartbeat);
            assertDisjoint(live);
        }
        ConsumerGroupDescription d = done(h.coordinator.consumerGroupDescribe(List.of("g"))).get(0);
        assertEquals(GroupState.STABLE, d.state());
        assertEquals(live.size(), d.members().size());
        int total = h.topics.topic("a").orElseThrow().partitions().size() + 3;
        int owned = live.stream().mapToInt(Member::count).sum();
        assertEquals(total, owned, "every partition owned once");
        int min = live.stream().mapToInt(Member::count).min().orElseThrow();
        int max = live.stream().mapToInt(Member::count).max().orElseThrow();
        assertTrue(max - min <= 1, "balanced: " + min + ".." + max);
    }

    private static void assertDisjoint(List<Member> members) {
        Map<UUID, Set<Integer>> seen = new HashMap<>();
        for (Member m : members) {
            m.owned.forEach((topic, partitions) -> {
                for (int p : partitions) {
                    assertTrue(seen.computeIfAbsent(topic, t -> new HashSet<>()).add(p),
                            "partition " + p + " of " + topic + " owned twice, by " + m.memberId + " and another");
                }
            });
        }
    }
}
