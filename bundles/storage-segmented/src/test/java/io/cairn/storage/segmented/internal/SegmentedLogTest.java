package io.cairn.storage.segmented.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cairn.storage.spi.LogConfig;
import io.cairn.storage.spi.PartitionLog;
import io.cairn.storage.spi.TopicPartition;
import io.cairn.storage.spi.tck.TestBatches;

/** Roll, flush and deletion policies of the segmented engine, with a clock the test moves. */
class SegmentedLogTest {

    private static final TopicPartition PARTITION = new TopicPartition("policy", 1);

    @TempDir
    Path root;

    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private final SegmentedStorageEngine engine = new SegmentedStorageEngine(clock, SegmentedStorageEngine.newScheduler(), 0);

    @AfterEach
    void stop() throws InterruptedException {
        engine.deactivate();
    }

    private Path dir() {
        return root.resolve(PARTITION.directoryName());
    }

    private List<String> files(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted().toList();
        }
    }

    private static void append(PartitionLog log, int batches) throws IOException {
        for (int i = 0; i < batches; i++) {
            log.append(TestBatches.batch(log.logEndOffset(), 0, 1_700_000_000_000L + log.logEndOffset(), 10, 100));
        }
    }

    private long checkpointedRecoveryPoint() throws IOException {
        List<String> lines = Files.readAllLines(dir().resolve(LogFiles.RECOVERY_POINT_CHECKPOINT));
        return Long.parseLong(lines.get(2).split(" ")[2]);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 5 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void rollsWhenTheActiveSegmentIsOlderThanSegmentMs() throws IOException {
        PartitionLog log = engine.open(PARTITION, dir(), LogConfig.of(Map.of(LogConfig.SEGMENT_MS, "1000")));
        append(log, 3);
        clock.advance(500);
        append(log, 1);
        assertEquals(List.of("00000000000000000000.log"), files(".log"));
        clock.advance(600);
        append(log, 1);
        assertEquals(List.of("00000000000000000000.log", "00000000000000000040.log"), files(".log"));
        log.close();
    }

    @Test
    void rollsWhenAnIndexIsFull() throws IOException {
        // Room for three offset entries and two time entries; an entry for every batch but the first.
        PartitionLog log = engine.open(PARTITION, dir(), LogConfig.of(Map.of(LogConfig.SEGMENT_INDEX_BYTES, "24",
                LogConfig.INDEX_INTERVAL_BYTES, "0")));
        append(log, 12);
        assertTrue(files(".log").size() >= 4, "segments: " + files(".log"));
        assertEquals(120, log.logEndOffset());
        for (long offset = 0; offset < 120; offset += 5) {
            var read = log.read(offset, 1, Long.MAX_VALUE);
            assertEquals(offset / 10 * 10, read.firstOffset());
            read.release();
        }
        log.close();
    }

    @Test
    void segmentsNeverGrowPastSegmentBytes() throws IOException {
        PartitionLog log = engine.open(PARTITION, dir(), LogConfig.of(Map.of(LogConfig.SEGMENT_BYTES, "5000")));
        append(log, 20);
        log.close();
        for (String name : files(".log")) {
            assertTrue(Files.size(dir().resolve(name)) <= 5000, name);
        }
        assertEquals(5, files(".log").size(), "four 1,141-byte batches per segment");
    }

    @Test
    void deletedSegmentsAreRenamedThenRemovedAfterTheDelay() throws Exception {
        PartitionLog log = engine.open(PARTITION, dir(), LogConfig.of(Map.of(LogConfig.SEGMENT_BYTES, "2000",
                LogConfig.RETENTION_BYTES, "0", LogConfig.FILE_DELETE_DELAY_MS, "300")));
        append(log, 4);
        log.enforceRetention(clock.millis(), log.logEndOffset());
        assertEquals(40, log.logStartOffset());
        assertFalse(files(".log.deleted").isEmpty(), "renamed first, as Kafka does");
        await(() -> {
            try {
                return files(".deleted").isEmpty();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, ".deleted files removed");
        log.close();
    }

    @Test
    void flushMessagesMovesTheRecoveryPoint() throws IOException {
        PartitionLog log = engine.open(PARTITION, dir(), LogConfig.of(Map.of(LogConfig.FLUSH_MESSAGES, "15")));
        append(log, 1);
        assertEquals(0, checkpointedRecoveryPoint());
        append(log, 1);
        assertEquals(20, checkpointedRecoveryPoint());
        log.close();
    }

    @Test
    void aRolledSegmentIsFlushedInTheBackground() throws Exception {
        PartitionLog log = engine.open(PARTITION, dir(), LogConfig.of(Map.of(LogConfig.SEGMENT_BYTES, "3000")));
        append(log, 5);
        await(() -> {
            try {
                return checkpointedRecoveryPoint() == 40;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, "recovery point at the last roll");
        log.close();
    }

    @Test
    void flushMsFlushesOnTheScheduler() throws Exception {
        PartitionLog log = engine.open(PARTITION, dir(), LogConfig.of(Map.of(LogConfig.FLUSH_MS, "20")));
        append(log, 2);
        clock.advance(100);
        await(() -> {
            try {
                return checkpointedRecoveryPoint() == 20;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, "flush.ms flush");
        log.close();
    }

    @Test
    void truncatingBelowTheRecoveryPointLowersItOnDiskAtOnce() throws IOException {
        PartitionLog log = engine.open(PARTITION, dir(), LogConfig.of(Map.of(LogConfig.SEGMENT_BYTES, "3000")));
        append(log, 6);
        log.flush();
        assertEquals(60, checkpointedRecoveryPoint());
        log.truncateTo(25);
        assertEquals(25, checkpointedRecoveryPoint());
        assertEquals(25, log.logEndOffset());
        assertEquals(0, log.read(20, 100_000, Long.MAX_VALUE).sizeInBytes(), "the straddling batch is gone");
        log.close();
    }

    @Test
    void flushOnAckAppendsStillWork() throws IOException {
        PartitionLog log = engine.open(PARTITION, dir(), LogConfig.of(Map.of(LogConfig.FLUSH_ON_ACK, "true")));
        append(log, 3);
        assertEquals(30, log.logEndOffset());
        log.close();
    }

    @Test
    void readsThatJumpByTheIndexReturnTheSameBatchesAsAHeaderWalk() throws IOException {
        // An index entry for every batch but the first, so reads skip header walks where they can.
        PartitionLog log = engine.open(PARTITION, dir(), LogConfig.of(Map.of(LogConfig.INDEX_INTERVAL_BYTES, "0")));
        append(log, 30);
        int size = TestBatches.batch(0, 0, 0, 10, 100).remaining();
        for (long offset = 0; offset < 300; offset += 13) {
            for (int maxBytes : new int[] {1, size - 1, size, size + 1, 3 * size + 5, 10 * size, 100 * size}) {
                for (long maxOffset : new long[] {offset + 1, offset + 25, 150, 299, 300, Long.MAX_VALUE}) {
                    long firstBase = offset / 10 * 10;
                    long byOffset = Math.max(0, (Math.min(maxOffset, 300) - firstBase) / 10);
                    long expected = Math.min(byOffset, Math.max(1, maxBytes / size));
                    var result = log.read(offset, maxBytes, maxOffset);
                    String what = "offset " + offset + " maxBytes " + maxBytes + " maxOffset " + maxOffset;
                    assertEquals(expected * size, result.sizeInBytes(), what);
                    if (expected > 0) {
                        assertEquals(firstBase, result.firstOffset(), what);
                        assertEquals(firstBase + expected * 10, result.nextOffset(), what);
                    }
                    result.release();
                }
            }
        }
        log.close();
    }
}
