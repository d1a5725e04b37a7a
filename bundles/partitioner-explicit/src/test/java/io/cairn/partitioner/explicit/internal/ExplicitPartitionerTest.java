package io.cairn.partitioner.explicit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.cairn.partitioner.spi.PartitionInfo;
import io.cairn.partitioner.spi.PartitionRequest;
import io.cairn.partitioner.spi.Partitioner;
import io.cairn.partitioner.spi.PartitionerException;
import io.cairn.partitioner.spi.tck.PartitionerContract;
import io.cairn.partitioner.spi.tck.RandomRecords;

class ExplicitPartitionerTest extends PartitionerContract {

    @Override
    protected Partitioner createPartitioner() {
        return new ExplicitPartitioner();
    }

    @Override
    protected boolean requiresRequestedPartition() {
        return true;
    }

    @Test
    void aKeyedRecordWithoutAPartitionIsRefusedRatherThanHashed() {
        PartitionRequest record = PartitionRequest.builder("audit", RandomRecords.led(6)).key(new byte[] {42}).build();

        PartitionerException e = assertThrows(PartitionerException.class, () -> partitioner().partition(record));

        assertEquals("Topic 'audit' uses the explicit partitioner: every record must name its partition (0 to 5),"
                + " and this one names none", e.getMessage());
    }

    @Test
    void aNamedPartitionWithoutALeaderIsStillTheOneAskedFor() {
        List<PartitionInfo> partitions = List.of(new PartitionInfo(0, 1), new PartitionInfo(1, PartitionInfo.NO_LEADER));

        assertEquals(1, partitioner().partition(PartitionRequest.builder("t", partitions).requestedPartition(1).build()));
    }

    @Test
    void aPartitionBeyondTheTopicIsRefusedWithTheRange() {
        PartitionRequest record = PartitionRequest.builder("audit", RandomRecords.led(6)).requestedPartition(6).build();

        PartitionerException e = assertThrows(PartitionerException.class, () -> partitioner().partition(record));

        assertEquals("Topic 'audit' has no partition 6: its partitions are 0 to 5", e.getMessage());
    }
}
