package io.cairn.ack.strategies.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.cairn.broker.spi.ack.AckOutcome;
import io.cairn.broker.spi.ack.ProduceProgress;

class AckStrategiesTest {

    private record P(short acks, boolean appended, long requiredOffset, int inSyncReplicas, int replicasCaughtUp,
            int minInsyncReplicas, boolean flushed) implements ProduceProgress {
    }

    private static P before(int isr, int min) {
        return new P((short) -1, false, 10, isr, 0, min, false);
    }

    private static P after(int isr, int caughtUp, int min) {
        return new P((short) -1, true, 10, isr, caughtUp, min, false);
    }

    @Test
    void isrRefusesBeforeAppendingWhenTheInSyncSetIsTooSmall() {
        IsrAckStrategy isr = new IsrAckStrategy();
        assertEquals(AckOutcome.NOT_ENOUGH_REPLICAS, isr.evaluate(before(1, 2)));
        assertEquals(AckOutcome.PENDING, isr.evaluate(before(2, 2)));
    }

    @Test
    void isrCompletesOnlyWhenEveryInSyncReplicaHasTheRecords() {
        IsrAckStrategy isr = new IsrAckStrategy();
        assertEquals(AckOutcome.PENDING, isr.evaluate(after(3, 2, 2)));
        assertEquals(AckOutcome.COMPLETE, isr.evaluate(after(3, 3, 2)));
        assertEquals(AckOutcome.COMPLETE, isr.evaluate(after(1, 1, 1)));
        assertEquals(AckOutcome.NOT_ENOUGH_REPLICAS_AFTER_APPEND, isr.evaluate(after(1, 1, 2)));
    }

    @Test
    void leaderCompletesOnAppendAndNoneAtOnceWithoutAResponse() {
        assertEquals(AckOutcome.PENDING, new LeaderAckStrategy().evaluate(before(1, 3)));
        assertEquals(AckOutcome.COMPLETE, new LeaderAckStrategy().evaluate(after(3, 1, 3)));
        assertTrue(new LeaderAckStrategy().respondsToProducer());
        NoAckStrategy none = new NoAckStrategy();
        assertEquals(AckOutcome.COMPLETE, none.evaluate(before(1, 3)));
        assertFalse(none.respondsToProducer());
    }
}
