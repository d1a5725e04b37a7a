package io.cairn.storage.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import io.cairn.storage.spi.tck.TestBatches;

class BatchHeaderTest {

    @Test
    void readsTheHeaderFields() {
        ByteBuffer batch = TestBatches.batch(100, 7, 5000, 4, 20);
        BatchHeader header = BatchHeader.read(batch, 0);
        assertEquals(100, header.baseOffset());
        assertEquals(103, header.lastOffset());
        assertEquals(7, header.partitionLeaderEpoch());
        assertEquals(5003, header.maxTimestamp());
        assertEquals(4, header.recordsCount());
        assertEquals(batch.remaining(), header.sizeInBytes());
        assertNull(header.problem(Integer.MAX_VALUE));
        assertTrue(BatchHeader.crcMatches(batch, 0));
    }

    @Test
    void aFlippedBitBreaksTheCrc() {
        ByteBuffer batch = TestBatches.batch(0, 0, 0, 3, 10);
        batch.put(batch.limit() - 3, (byte) (batch.get(batch.limit() - 3) ^ 1));
        assertFalse(BatchHeader.crcMatches(batch, 0));
    }

    @Test
    void findsTheFirstRecordAtOrAfterATimestamp() {
        ByteBuffer batch = TestBatches.batch(10, 0, new long[] {50, 10, 70, 60}, 5);
        assertEquals(new TimestampOffset(50, 10), BatchHeader.firstRecordAtOrAfter(batch, 0, 0, 0));
        assertEquals(new TimestampOffset(70, 12), BatchHeader.firstRecordAtOrAfter(batch, 0, 55, 0));
        assertNull(BatchHeader.firstRecordAtOrAfter(batch, 0, 71, 0));
        assertEquals(new TimestampOffset(60, 13), BatchHeader.firstRecordAtOrAfter(batch, 0, 55, 13));
    }
}
