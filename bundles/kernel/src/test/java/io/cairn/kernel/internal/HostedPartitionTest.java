package io.cairn.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

import io.cairn.ack.strategies.internal.IsrAckStrategy;
import io.cairn.broker.spi.ack.AckStrategy;
import io.cairn.broker.spi.cluster.AppendResult;
import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.storage.memory.internal.MemoryStorageEngine;
import io.cairn.storage.spi.LogConfig;
import io.cairn.storage.spi.LogReadResult;
import io.cairn.storage.spi.TopicPartition;

/**
 * The write path of a hosted partition, checked with Kafka's own record classes: what the
 * partition writes must read back as valid batches with the offsets, epochs and timestamps Kafka
 * would give them.
 */
class HostedPartitionTest {

    private static final long NOW = 1_700_000_000_000L;

    private HostedPartition partition(Map<String, String> topicConfig) throws Exception {
        Map<String, String> effective = TopicConfigs.effective(Map.of(), topicConfig);
        var log = new MemoryStorageEngine().open(new TopicPartition("t", 0), Path.of("unused"), LogConfig.of(effective));
        log.assignEpochStartOffset(7, 0);
        Map<String, AckStrategy> strategies = new HashMap<>();
        strategies.put("isr", new IsrAckStrategy());
        strategies.put("leader", new io.cairn.ack.strategies.internal.LeaderAckStrategy());
        strategies.put("none", new io.cairn.ack.strategies.internal.NoAckStrategy());
        return new HostedPartition("t", 0, 7, log, effective, strategies::get, () -> NOW);
    }

    private static ByteBuffer records(String... values) {
        SimpleRecord[] rs = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            rs[i] = new SimpleRecord(1000L + i, ("k" + i).getBytes(StandardCharsets.UTF_8),
                    values[i].getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(Compression.NONE, rs).buffer();
    }

    private static ByteBuffer idempotent(long pid, short epoch, int seq, String... values) {
        SimpleRecord[] rs = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            rs[i] = new SimpleRecord(values[i].getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withIdempotentRecords(Compression.NONE, pid, epoch, seq, rs).buffer();
    }

    private static AppendResult append(HostedPartition p, ByteBuffer batch, short acks) {
        return p.append(batch, acks, 1000).toCompletableFuture().join();
    }

    private static BrokerError failure(HostedPartition p, ByteBuffer batch, short acks) {
        try {
            p.append(batch, acks, 1000).toCompletableFuture().join();
            throw new AssertionError("append succeeded");
        } catch (CompletionException e) {
            return ((BrokerException) e.getCause()).error();
        }
    }

    private static List<RecordBatch> readAll(HostedPartition p) throws Exception {
        LogReadResult r = p.read(0, Integer.MAX_VALUE, p.highWatermark());
        List<RecordBatch> out = new ArrayList<>();
        MemoryRecords.readableRecords(r.copyToHeap()).batches().forEach(out::add);
        r.release();
        return out;
    }

    @Test
    void offsetsAndLeaderEpochAreAssignedAndTheBatchesStayValid() throws Exception {
        HostedPartition p = partition(Map.of());
        AppendResult first = append(p, records("a", "b", "c"), (short) 1);
        AppendResult second = append(p, records("d"), (short) -1);
        assertEquals(0, first.baseOffset());
        assertEquals(2, first.lastOffset());
        assertEquals(3, second.baseOffset());
        assertEquals(-1, first.logAppendTime());
        assertEquals(4, p.highWatermark());

        List<RecordBatch> batches = readAll(p);
        assertEquals(2, batches.size());
        for (RecordBatch b : batches) {
            b.ensureValid();
            assertEquals(7, b.partitionLeaderEpoch());
            assertEquals(TimestampType.CREATE_TIME, b.timestampType());
        }
        List<String> values = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        for (RecordBatch b : batches) {
            for (Record r : b) {
                values.add(StandardCharsets.UTF_8.decode(r.value()).toString());
                offsets.add(r.offset());
            }
        }
        assertEquals(List.of("a", "b", "c", "d"), values);
        assertEquals(List.of(0L, 1L, 2L, 3L), offsets);
    }

    @Test
    void logAppendTimeTopicsGetTheBrokerClockWithAValidCrc() throws Exception {
        HostedPartition p = partition(Map.of("message.timestamp.type", "LogAppendTime"));
        AppendResult r = append(p, records("a", "b"), (short) 1);
        assertEquals(NOW, r.logAppendTime());
        RecordBatch b = readAll(p).get(0);
        b.ensureValid();
        assertEquals(TimestampType.LOG_APPEND_TIME, b.timestampType());
        for (Record rec : b) {
            assertEquals(NOW, rec.timestamp());
        }
    }

    @Test
    void idempotentRetriesAreAnsweredWithoutASecondAppendAndGapsAreRefused() throws Exception {
        HostedPartition p = partition(Map.of());
        AppendResult first = append(p, idempotent(42, (short) 0, 0, "a", "b"), (short) -1);
        AppendResult retry = append(p, idempotent(42, (short) 0, 0, "a", "b"), (short) -1);
        assertTrue(retry.duplicate());
        assertEquals(first.baseOffset(), retry.baseOffset());
        assertEquals(2, p.logEndOffset(), "a duplicate must not be written twice");

        assertEquals(BrokerError.OUT_OF_ORDER_SEQUENCE_NUMBER, failure(p, idempotent(42, (short) 0, 5, "x"), (short) -1));
        append(p, idempotent(42, (short) 0, 2, "c"), (short) -1);
        assertEquals(3, p.logEndOffset());

        // A new epoch starts at 0; afterwards the old epoch is fenced.
        assertEquals(BrokerError.OUT_OF_ORDER_SEQUENCE_NUMBER, failure(p, idempotent(42, (short) 1, 3, "y"), (short) -1));
        append(p, idempotent(42, (short) 1, 0, "d"), (short) -1);
        assertEquals(BrokerError.INVALID_PRODUCER_EPOCH, failure(p, idempotent(42, (short) 0, 3, "z"), (short) -1));
        assertEquals(4, p.logEndOffset());
    }

    @Test
    void acksAllIsRefusedWhenMinInsyncReplicasExceedsTheInSyncSet() throws Exception {
        HostedPartition p = partition(Map.of("min.insync.replicas", "2"));
        assertEquals(BrokerError.NOT_ENOUGH_REPLICAS, failure(p, records("a"), (short) -1));
        assertEquals(0, p.logEndOffset(), "nothing may be appended when refused before the append");
        append(p, records("a"), (short) 1);
        assertEquals(1, p.logEndOffset(), "acks=1 does not look at min.insync.replicas");
        assertEquals(BrokerError.INVALID_REQUIRED_ACKS, failure(p, records("a"), (short) 2));
    }

    @Test
    void appendsWakeListenersAndDeleteRecordsMovesTheLogStart() throws Exception {
        HostedPartition p = partition(Map.of());
        AtomicInteger woken = new AtomicInteger();
        AutoCloseable handle = p.onNewData(woken::incrementAndGet);
        append(p, records("a", "b", "c"), (short) 1);
        assertEquals(1, woken.get());
        handle.close();
        append(p, records("d"), (short) 1);
        assertEquals(1, woken.get());

        assertEquals(2, p.deleteRecordsBefore(2));
        assertEquals(2, p.logStartOffset());
        assertEquals(BrokerError.OFFSET_OUT_OF_RANGE, org.junit.jupiter.api.Assertions.assertThrows(BrokerException.class,
                () -> p.deleteRecordsBefore(99)).error());
        assertEquals(BrokerError.OFFSET_OUT_OF_RANGE, org.junit.jupiter.api.Assertions.assertThrows(BrokerException.class,
                () -> p.read(0, 100, 4)).error());
        assertEquals(2, p.maxTimestamp().orElseThrow().offset(), "c (1002) has the largest timestamp");
        assertFalse(p.offsetForTimestamp(Long.MAX_VALUE).isPresent());
    }

    @Test
    void garbageIsRefusedAsCorrupt() throws Exception {
        HostedPartition p = partition(Map.of());
        assertEquals(BrokerError.CORRUPT_MESSAGE, failure(p, ByteBuffer.wrap(new byte[10]), (short) 1));
        assertEquals(BrokerError.CORRUPT_MESSAGE, failure(p, ByteBuffer.allocate(0), (short) 1));
    }
}
