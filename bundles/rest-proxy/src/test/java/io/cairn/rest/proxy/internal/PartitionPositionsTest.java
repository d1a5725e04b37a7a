package io.cairn.rest.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.cairn.broker.spi.groups.FetchedOffset;
import io.cairn.broker.spi.groups.OffsetCommit;
import io.cairn.broker.spi.offsets.PartitionKey;

/** Positions as a Kafka consumer keeps them: resolution, seeks, rebalances, and reads that raced them. */
class PartitionPositionsTest {

    private static final PartitionKey A = new PartitionKey("t", 0);
    private static final PartitionKey B = new PartitionKey("t", 1);
    private static final PartitionKey C = new PartitionKey("t", 2);

    @Test
    void unknownPositionsResolveFromCommittedOffsetsElseByTheResetPolicy() {
        PartitionPositions p = new PartitionPositions();
        p.assignFromGroup(List.of(A, B));
        assertEquals(List.of(A, B), p.snapshot().unknown());
        p.resolveCommitted(List.of(new FetchedOffset("t", 0, 7, -1, "", Optional.empty()),
                new FetchedOffset("t", 1, -1, -1, "", Optional.empty())), ConsumerInstance.Reset.EARLIEST);
        PartitionPositions.Snapshot s = p.snapshot();
        assertEquals(7L, s.positions().get(A));
        assertEquals(Map.of(B, PartitionPositions.Seek.BEGINNING), s.seeks());
        assertEquals(List.of(), s.unknown());
        p.resolveSeek(B, PartitionPositions.Seek.BEGINNING, 3);
        assertEquals(List.of(new OffsetCommit("t", 0, 7, -1, ""), new OffsetCommit("t", 1, 3, -1, "")), p.consumed());

        PartitionPositions none = new PartitionPositions();
        none.assignFromGroup(List.of(A));
        RestError e = assertThrows(RestError.class, () -> none.resolveCommitted(
                List.of(new FetchedOffset("t", 0, -1, -1, "", Optional.empty())), ConsumerInstance.Reset.NONE));
        assertEquals(50002, e.errorCode());
    }

    @Test
    void aRebalanceKeepsThePositionsOfPartitionsKeptAndInvalidatesReadsInFlight() {
        PartitionPositions p = new PartitionPositions();
        p.assignFromGroup(List.of(A, B));
        p.seek(Map.of(A, 10L, B, 20L));
        int before = p.epoch();
        assertEquals(2, p.revokeForRejoin().size());
        assertEquals(List.of(), p.partitions());
        p.assignFromGroup(List.of(B, C));
        assertEquals(20L, p.snapshot().positions().get(B));
        assertEquals(PartitionPositions.UNKNOWN, (long) p.snapshot().positions().get(C));
        assertFalse(p.advance(B, 20, 25, before), "a read from the old generation moves nothing");
        assertTrue(p.advance(B, 20, 25, p.epoch()));
        assertFalse(p.advance(B, 20, 30, p.epoch()), "nor one that started before another read moved it");
        p.clear();
        p.assignFromGroup(List.of(B));
        assertEquals(PartitionPositions.UNKNOWN, (long) p.snapshot().positions().get(B), "a dropped member remembers nothing");
    }

    @Test
    void seeksNeedTheirPartitionsAndWinOverReadsInFlight() {
        PartitionPositions p = new PartitionPositions();
        p.assignManually(List.of(A));
        RestError e = assertThrows(RestError.class, () -> p.seek(Map.of(B, 1L)));
        assertEquals("Illegal state: No current assignment for partition t-1", e.getMessage());
        p.seek(Map.of(A, 4L));
        int epoch = p.epoch();
        p.seek(List.of(A), PartitionPositions.Seek.END);
        assertFalse(p.advance(A, 4, 9, epoch), "a pending seek wins");
        p.resolveSeek(A, PartitionPositions.Seek.END, 100);
        p.resetOutOfRange(A, 99, ConsumerInstance.Reset.EARLIEST);
        assertEquals(Map.of(), p.snapshot().seeks(), "the position moved since: no reset");
        p.resetOutOfRange(A, 100, ConsumerInstance.Reset.EARLIEST);
        assertEquals(Map.of(A, PartitionPositions.Seek.BEGINNING), p.snapshot().seeks());
        p.assignManually(List.of(A, B));
        assertEquals(List.of(new OffsetCommit("t", 0, 100, -1, "")), p.consumed());
    }

    @Test
    void partitionsAreVisitedInTurn() {
        PartitionPositions p = new PartitionPositions();
        p.assignManually(List.of(A, B, C));
        assertEquals(List.of(A, B, C), List.copyOf(p.snapshot().positions().keySet()));
        assertEquals(List.of(B, C, A), List.copyOf(p.snapshot().positions().keySet()));
        assertEquals(List.of(C, A, B), List.copyOf(p.snapshot().positions().keySet()));
    }
}
