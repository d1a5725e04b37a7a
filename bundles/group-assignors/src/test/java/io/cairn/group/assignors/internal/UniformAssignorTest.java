package io.cairn.group.assignors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.cairn.broker.spi.groups.assignor.GroupAssignment;
import io.cairn.broker.spi.groups.assignor.GroupSpec;
import io.cairn.broker.spi.groups.assignor.MemberSpec;
import io.cairn.broker.spi.groups.assignor.PartitionAssignor;
import io.cairn.broker.spi.groups.assignor.tck.PartitionAssignorContractTest;

class UniformAssignorTest extends PartitionAssignorContractTest {

    private final UniformAssignor assignor = new UniformAssignor();

    @Override
    protected PartitionAssignor assignor() {
        return assignor;
    }

    private static int count(GroupAssignment a, String member) {
        return a.members().get(member).values().stream().mapToInt(Set::size).sum();
    }

    @Test
    void equalSubscriptionsGiveCountsThatDifferByAtMostOne() {
        Map<String, MemberSpec> members = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            members.put("m" + i, member("m" + i, Map.of(), "t1", "t2"));
        }
        GroupSpec spec = spec(members, topic("t1", 4), topic("t2", 6));
        GroupAssignment a = assignor.assign(spec);
        assertComplete(spec, a);
        for (int i = 0; i < 3; i++) {
            int n = count(a, "m" + i);
            assertTrue(n == 3 || n == 4, "10 partitions over 3 members: 3 or 4 each, m" + i + " got " + n);
        }
    }

    @Test
    void aJoiningMemberTakesOnlyWhatEvensTheCountsOut() {
        GroupSpec alone = spec(Map.of("a", member("a", Map.of(), "t")), topic("t", 4));
        GroupAssignment first = assignor.assign(alone);
        assertEquals(Set.of(0, 1, 2, 3), first.members().get("a").get(id("t")));

        GroupSpec two = spec(Map.of("a", member("a", first.members().get("a"), "t"), "b", member("b", Map.of(), "t")),
                topic("t", 4));
        GroupAssignment second = assignor.assign(two);
        assertComplete(two, second);
        assertEquals(2, count(second, "a"));
        assertEquals(2, count(second, "b"));
        assertTrue(first.members().get("a").get(id("t")).containsAll(second.members().get("a").get(id("t"))),
                "a keeps two of its own partitions and gives up only two");
    }

    @Test
    void aLeavingMembersPartitionsGoToTheOthersWhoKeepTheirs() {
        Map<UUID, Set<Integer>> a = Map.of(id("t"), Set.of(0, 1, 2));
        Map<UUID, Set<Integer>> b = Map.of(id("t"), Set.of(3, 4, 5));
        // c (partitions 6-8) left: a and b keep all of theirs and share c's.
        GroupSpec spec = spec(Map.of("a", member("a", a, "t"), "b", member("b", b, "t")), topic("t", 9));
        GroupAssignment result = assignor.assign(spec);
        assertComplete(spec, result);
        assertTrue(result.members().get("a").get(id("t")).containsAll(Set.of(0, 1, 2)));
        assertTrue(result.members().get("b").get(id("t")).containsAll(Set.of(3, 4, 5)));
        assertEquals(9, count(result, "a") + count(result, "b"));
        assertTrue(Math.abs(count(result, "a") - count(result, "b")) <= 1);
    }

    @Test
    void differentSubscriptionsAreBalancedWhereTheyOverlap() {
        // a: t1 only; b: t1 and t2; t2 has 4 partitions only b can take, so a gets most of t1.
        GroupSpec spec = spec(Map.of("a", member("a", Map.of(), "t1"), "b", member("b", Map.of(), "t1", "t2")),
                topic("t1", 4), topic("t2", 4));
        GroupAssignment result = assignor.assign(spec);
        assertComplete(spec, result);
        assertEquals(4, count(result, "a"));
        assertEquals(4, count(result, "b"));
        assertEquals(new HashSet<>(Set.of(0, 1, 2, 3)), new HashSet<>(result.members().get("a").get(id("t1"))));
    }
}
