package io.cairn.storage.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class LeaderEpochHistoryTest {

    @Test
    void assignFollowsKafkasRules() {
        LeaderEpochHistory history = new LeaderEpochHistory();
        assertTrue(history.assign(1, 0));
        assertTrue(history.assign(2, 10));
        assertFalse(history.assign(2, 15), "same epoch, later start: no change");
        assertTrue(history.assign(2, 8), "same epoch, earlier start replaces it");
        assertTrue(history.assign(3, 20));
        // A lower epoch removes every later one; an earlier start removes entries at or after it.
        assertTrue(history.assign(2, 30));
        assertEquals(List.of(new EpochEntry(1, 0), new EpochEntry(2, 30)), history.entries());
        assertTrue(history.assign(4, 5));
        assertEquals(List.of(new EpochEntry(1, 0), new EpochEntry(4, 5)), history.entries());
    }

    @Test
    void endOffsetForMatchesKafka() {
        LeaderEpochHistory history = new LeaderEpochHistory(List.of(new EpochEntry(2, 10), new EpochEntry(5, 40)));
        assertEquals(new EpochEndOffset(5, 100), history.endOffsetFor(5, 100));
        assertEquals(new EpochEndOffset(2, 40), history.endOffsetFor(3, 100));
        assertEquals(new EpochEndOffset(1, 10), history.endOffsetFor(1, 100));
        assertEquals(EpochEndOffset.UNDEFINED, history.endOffsetFor(6, 100));
        assertEquals(EpochEndOffset.UNDEFINED, history.endOffsetFor(-1, 100));
        assertEquals(EpochEndOffset.UNDEFINED, new LeaderEpochHistory().endOffsetFor(0, 100));
    }

    @Test
    void truncationTrimsBothEnds() {
        LeaderEpochHistory history = new LeaderEpochHistory(
                List.of(new EpochEntry(1, 0), new EpochEntry(2, 10), new EpochEntry(3, 20)));
        assertTrue(history.truncateFromEnd(20));
        assertFalse(history.truncateFromEnd(20));
        assertTrue(history.truncateFromStart(15));
        assertEquals(List.of(new EpochEntry(2, 15)), history.entries());
        assertFalse(history.truncateFromStart(15));
    }

    @Test
    void rejectsHistoryThatGoesBackwards() {
        assertThrows(IllegalArgumentException.class,
                () -> new LeaderEpochHistory(List.of(new EpochEntry(3, 0), new EpochEntry(2, 10))));
    }
}
