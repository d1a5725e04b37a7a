package io.cairn.group.assignors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.cairn.broker.spi.groups.assignor.GroupAssignment;
import io.cairn.broker.spi.groups.assignor.GroupSpec;
import io.cairn.broker.spi.groups.assignor.PartitionAssignor;
import io.cairn.broker.spi.groups.assignor.tck.PartitionAssignorContractTest;

class RangeAssignorTest extends PartitionAssignorContractTest {

    private final RangeAssignor assignor = new RangeAssignor();

    @Override
    protected PartitionAssignor assignor() {
        return assignor;
    }

    @Test
    void contiguousRangesInMemberOrderAndCoPartitioned() {
        GroupSpec spec = spec(Map.of("b", member("b", Map.of(), "t1", "t2"), "a", member("a", Map.of(), "t1", "t2")),
                topic("t1", 4), topic("t2", 4));
        GroupAssignment result = assignor.assign(spec);
        assertComplete(spec, result);
        assertEquals(Map.of(id("t1"), Set.of(0, 1), id("t2"), Set.of(0, 1)), result.members().get("a"));
        assertEquals(Map.of(id("t1"), Set.of(2, 3), id("t2"), Set.of(2, 3)), result.members().get("b"));
    }

    @Test
    void theFirstMembersGetTheRemainder() {
        GroupSpec spec = spec(Map.of("a", member("a", Map.of(), "t"), "b", member("b", Map.of(), "t"),
                "c", member("c", Map.of(), "t")), topic("t", 5));
        GroupAssignment result = assignor.assign(spec);
        assertEquals(Set.of(0, 1), result.members().get("a").get(id("t")));
        assertEquals(Set.of(2, 3), result.members().get("b").get(id("t")));
        assertEquals(Set.of(4), result.members().get("c").get(id("t")));
    }

    @Test
    void onlySubscribersShareATopic() {
        GroupSpec spec = spec(Map.of("a", member("a", Map.of(), "t1"), "b", member("b", Map.of(), "t1", "t2")),
                topic("t1", 2), topic("t2", 3));
        GroupAssignment result = assignor.assign(spec);
        assertComplete(spec, result);
        assertEquals(Map.of(id("t1"), Set.of(0)), result.members().get("a"));
        assertEquals(Map.of(id("t1"), Set.of(1), id("t2"), Set.of(0, 1, 2)), result.members().get("b"));
    }
}
