package io.cairn.storage.spi.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cairn.storage.spi.BatchHeader;
import io.cairn.storage.spi.EpochEndOffset;
import io.cairn.storage.spi.EpochEntry;
import io.cairn.storage.spi.LogConfig;
import io.cairn.storage.spi.LogReadResult;
import io.cairn.storage.spi.OffsetOutOfRangeException;
import io.cairn.storage.spi.PartitionLog;
import io.cairn.storage.spi.RetentionResult;
import io.cairn.storage.spi.StorageEngine;
import io.cairn.storage.spi.TimestampOffset;
import io.cairn.storage.spi.TopicPartition;

/**
 * The contract every {@link StorageEngine} must keep, as JUnit 5 tests. An engine's test class
 * extends this and says how to make and dispose of the engine; nothing else.
 *
 * <p>Batches are built by {@link TestBatches}: 10 records of 100-byte values each unless a test says
 * otherwise; record {@code i} of the log has offset {@code i} and timestamp
 * {@value #BASE_TIMESTAMP}{@code + i}.
 */
public abstract class PartitionLogContract {

    protected static final TopicPartition PARTITION = new TopicPartition("contract", 0);
    protected static final long BASE_TIMESTAMP = 1_700_000_000_000L;
    protected static final int RECORDS = 10;
    protected static final int VALUE_SIZE = 100;

    @TempDir
    protected Path dir;

    private StorageEngine engine;
    private final List<PartitionLog> opened = new ArrayList<>();

    /** A new engine; called once per test. */
    protected abstract StorageEngine createEngine() throws Exception;

    /** Releases what {@link #createEngine()} made (threads, handles); called after each test. */
    protected void disposeEngine(StorageEngine engine) throws Exception {
    }

    /** Whether a log closed and opened again on the same directory keeps its records. */
    protected abstract boolean persistent();

    @BeforeEach
    void createEngineForTest() throws Exception {
        engine = createEngine();
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (PartitionLog log : opened) {
            log.close();
        }
        disposeEngine(engine);
    }

    protected PartitionLog open(LogConfig config) throws IOException {
        PartitionLog log = engine.open(PARTITION, dir.resolve(PARTITION.directoryName()), config);
        opened.add(log);
        return log;
    }

    protected PartitionLog open() throws IOException {
        return open(LogConfig.defaults());
    }

    /** A configuration in which every test batch fills a segment of its own. */
    protected static LogConfig oneBatchPerSegment() {
        int batchSize = batchAt(0, 0).remaining();
        return LogConfig.of(Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(batchSize)));
    }

    protected static ByteBuffer batchAt(long baseOffset, int epoch) {
        return TestBatches.batch(baseOffset, epoch, BASE_TIMESTAMP + baseOffset, RECORDS, VALUE_SIZE);
    }

    /** Appends {@code count} batches at the log end with {@code epoch}; returns them. */
    protected static List<ByteBuffer> appendBatches(PartitionLog log, int count, int epoch) throws IOException {
        List<ByteBuffer> batches = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ByteBuffer batch = batchAt(log.logEndOffset(), epoch);
            batches.add(batch.duplicate());
            log.append(batch);
        }
        return batches;
    }

    protected static ByteBuffer readBytes(PartitionLog log, long offset, int maxBytes, long maxOffset) throws IOException {
        LogReadResult result = log.read(offset, maxBytes, maxOffset);
        try {
            return result.copyToHeap();
        } finally {
            result.release();
        }
    }

    protected static List<BatchHeader> headers(ByteBuffer region) {
        List<BatchHeader> headers = new ArrayList<>();
        int position = region.position();
        while (position < region.limit()) {
            BatchHeader header = BatchHeader.read(region, position);
            assertTrue(BatchHeader.crcMatches(region, position), "CRC of batch at " + header.baseOffset());
            headers.add(header);
            position += header.sizeInBytes();
        }
        assertEquals(region.limit(), position, "region holds whole batches only");
        return headers;
    }

    /** Every batch from the log start to the end, read in small steps. */
    protected static List<BatchHeader> readAll(PartitionLog log) throws IOException {
        List<BatchHeader> all = new ArrayList<>();
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset()) {
            List<BatchHeader> some = headers(readBytes(log, offset, 3000, Long.MAX_VALUE));
            if (some.isEmpty()) {
                break; // truncated in the middle of a batch: no records up to the log end
            }
            all.addAll(some);
            offset = some.get(some.size() - 1).nextOffset();
        }
        return all;
    }

    /** Every byte from the log start to the end, read in small steps. */
    protected static ByteBuffer readAllBytes(PartitionLog log) throws IOException {
        List<ByteBuffer> parts = new ArrayList<>();
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset()) {
            ByteBuffer part = readBytes(log, offset, 3000, Long.MAX_VALUE);
            List<BatchHeader> some = headers(part);
            if (some.isEmpty()) {
                break;
            }
            parts.add(part);
            offset = some.get(some.size() - 1).nextOffset();
        }
        return TestBatches.concat(parts);
    }

    @Test
    void emptyLogStartsAtZeroAndReadsNothing() throws IOException {
        PartitionLog log = open();
        assertEquals(PARTITION, log.topicPartition());
        assertEquals(0, log.logStartOffset());
        assertEquals(0, log.logEndOffset());
        assertEquals(0, log.sizeInBytes());
        LogReadResult result = log.read(0, 1000, Long.MAX_VALUE);
        assertEquals(0, result.sizeInBytes());
        assertEquals(0, result.nextOffset());
        result.release();
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(1, 1000, Long.MAX_VALUE));
        assertEquals(Optional.empty(), log.offsetForTimestamp(0));
        assertEquals(OptionalInt.empty(), log.latestEpoch());
    }

    @Test
    void appendedBatchesAreReadBackByteForByte() throws IOException {
        PartitionLog log = open();
        List<ByteBuffer> written = appendBatches(log, 5, 0);
        assertEquals(50, log.logEndOffset());
        ByteBuffer expected = TestBatches.concat(written);
        assertEquals(expected.remaining(), log.sizeInBytes());
        LogReadResult result = log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE);
        assertEquals(0, result.firstOffset());
        assertEquals(50, result.nextOffset());
        assertEquals(expected, result.copyToHeap());
        result.release();
    }

    @Test
    void appendReturnsTheLogEndAndLeavesTheBufferAlone() throws IOException {
        PartitionLog log = open();
        ByteBuffer two = TestBatches.concat(List.of(batchAt(0, 0), batchAt(10, 0)));
        int position = two.position();
        assertEquals(20, log.append(two));
        assertEquals(position, two.position());
        assertEquals(20, log.logEndOffset());
    }

    @Test
    void readStartsWithTheBatchHoldingTheOffset() throws IOException {
        PartitionLog log = open();
        appendBatches(log, 3, 0);
        List<BatchHeader> got = headers(readBytes(log, 15, Integer.MAX_VALUE, Long.MAX_VALUE));
        assertEquals(10, got.get(0).baseOffset());
        assertEquals(2, got.size());
    }

    @Test
    void readIsBoundedByMaxBytesInWholeBatches() throws IOException {
        PartitionLog log = open();
        int batchSize = appendBatches(log, 5, 0).get(0).remaining();
        assertEquals(2, headers(readBytes(log, 0, batchSize * 2 + batchSize / 2, Long.MAX_VALUE)).size());
        // The first batch comes whole even when it is larger than maxBytes, unless told otherwise.
        assertEquals(1, headers(readBytes(log, 0, 1, Long.MAX_VALUE)).size());
        LogReadResult none = log.read(0, 1, Long.MAX_VALUE, false);
        assertEquals(0, none.sizeInBytes());
        none.release();
    }

    @Test
    void readStopsBeforeMaxOffset() throws IOException {
        PartitionLog log = open();
        appendBatches(log, 5, 0);
        List<BatchHeader> got = headers(readBytes(log, 0, Integer.MAX_VALUE, 30));
        assertEquals(3, got.size());
        assertEquals(29, got.get(2).lastOffset());
        // A batch that reaches the high watermark is not served yet.
        assertEquals(2, headers(readBytes(log, 0, Integer.MAX_VALUE, 25)).size());
        assertEquals(0, readBytes(log, 30, Integer.MAX_VALUE, 30).remaining());
    }

    @Test
    void readOutsideTheLogIsOutOfRange() throws IOException {
        PartitionLog log = open();
        appendBatches(log, 2, 0);
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(21, 1000, Long.MAX_VALUE));
        assertEquals(0, readBytes(log, 20, 1000, Long.MAX_VALUE).remaining());
        log.advanceLogStart(10);
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(9, 1000, Long.MAX_VALUE));
    }

    @Test
    void appendRejectsOffsetsGoingBackwardsAndMalformedBatches() throws IOException {
        PartitionLog log = open();
        appendBatches(log, 1, 0);
        assertThrows(IllegalArgumentException.class, () -> log.append(batchAt(5, 0)));
        ByteBuffer badMagic = batchAt(10, 0);
        badMagic.put(16, (byte) 1);
        assertThrows(IllegalArgumentException.class, () -> log.append(badMagic));
        ByteBuffer cut = batchAt(10, 0);
        cut.limit(cut.limit() - 1);
        assertThrows(IllegalArgumentException.class, () -> log.append(cut));
        ByteBuffer backwardsInside = TestBatches.concat(List.of(batchAt(10, 0), batchAt(15, 0)));
        assertThrows(IllegalArgumentException.class, () -> log.append(backwardsInside));
        assertEquals(10, log.logEndOffset());
        assertEquals(1, readAll(log).size());
        appendBatches(log, 1, 0);
        assertEquals(20, log.logEndOffset());
    }

    @Test
    void aFollowerMayAppendAfterAGap() throws IOException {
        PartitionLog log = open();
        appendBatches(log, 1, 0);
        log.append(batchAt(100, 0));
        assertEquals(110, log.logEndOffset());
        List<BatchHeader> got = headers(readBytes(log, 50, Integer.MAX_VALUE, Long.MAX_VALUE));
        assertEquals(100, got.get(0).baseOffset());
    }

    @Test
    void truncateRemovesTheTailAndAppendsContinueThere() throws IOException {
        PartitionLog log = open(oneBatchPerSegment());
        appendBatches(log, 5, 0);
        log.truncateTo(25);
        // The batch [20, 29] straddles 25 and is removed whole.
        assertEquals(25, log.logEndOffset());
        List<BatchHeader> left = readAll(log);
        assertEquals(2, left.size());
        assertEquals(0, readBytes(log, 20, 100_000, Long.MAX_VALUE).remaining());
        assertEquals(19, left.get(1).lastOffset());
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(26, 1000, Long.MAX_VALUE));
        log.append(batchAt(25, 0));
        assertEquals(35, log.logEndOffset());
        assertEquals(25, readAll(log).get(2).baseOffset());
        log.truncateTo(1000);
        assertEquals(35, log.logEndOffset());
    }

    @Test
    void truncateBelowTheLogStartEmptiesTheLog() throws IOException {
        PartitionLog log = open(oneBatchPerSegment());
        appendBatches(log, 3, 0);
        log.advanceLogStart(20);
        log.truncateTo(5);
        assertEquals(5, log.logStartOffset());
        assertEquals(5, log.logEndOffset());
        assertEquals(0, log.sizeInBytes());
        log.append(batchAt(5, 0));
        assertEquals(5, readAll(log).get(0).baseOffset());
    }

    @Test
    void advanceLogStartHidesEarlierRecords() throws IOException {
        PartitionLog log = open(oneBatchPerSegment());
        appendBatches(log, 5, 0);
        long size = log.sizeInBytes();
        log.advanceLogStart(25);
        assertEquals(25, log.logStartOffset());
        assertTrue(log.sizeInBytes() < size, "storage below the new start is freed");
        // The batch holding 25 is served whole.
        assertEquals(20, headers(readBytes(log, 25, Integer.MAX_VALUE, Long.MAX_VALUE)).get(0).baseOffset());
        log.advanceLogStart(10);
        assertEquals(25, log.logStartOffset());
        assertThrows(OffsetOutOfRangeException.class, () -> log.advanceLogStart(51));
        log.advanceLogStart(50);
        assertEquals(50, log.logStartOffset());
        assertEquals(50, log.logEndOffset());
        assertEquals(0, readBytes(log, 50, 1000, Long.MAX_VALUE).remaining());
        appendBatches(log, 1, 0);
        assertEquals(60, log.logEndOffset());
    }

    @Test
    void offsetForTimestampFindsTheFirstRecordAtOrAfterIt() throws IOException {
        PartitionLog log = open(oneBatchPerSegment());
        appendBatches(log, 5, 0);
        assertEquals(Optional.of(new TimestampOffset(BASE_TIMESTAMP, 0)), log.offsetForTimestamp(0));
        assertEquals(Optional.of(new TimestampOffset(BASE_TIMESTAMP + 23, 23)), log.offsetForTimestamp(BASE_TIMESTAMP + 23));
        assertEquals(Optional.of(new TimestampOffset(BASE_TIMESTAMP + 49, 49)), log.offsetForTimestamp(BASE_TIMESTAMP + 49));
        assertEquals(Optional.empty(), log.offsetForTimestamp(BASE_TIMESTAMP + 50));
        log.advanceLogStart(30);
        assertEquals(30, log.offsetForTimestamp(0).orElseThrow().offset());
    }

    @Test
    void offsetForTimestampCopesWithTimestampsOutOfOrder() throws IOException {
        PartitionLog log = open(oneBatchPerSegment());
        log.append(TestBatches.batch(0, 0, new long[] {500, 100, 900}, 10));
        log.append(TestBatches.batch(3, 0, new long[] {200, 300}, 10));
        log.append(TestBatches.batch(5, 0, new long[] {1000}, 10));
        assertEquals(0, log.offsetForTimestamp(50).orElseThrow().offset());
        assertEquals(new TimestampOffset(900, 2), log.offsetForTimestamp(600).orElseThrow());
        assertEquals(new TimestampOffset(1000, 5), log.offsetForTimestamp(950).orElseThrow());
    }

    @Test
    void epochsComeFromAppendedBatchesAndExplicitAssignment() throws IOException {
        PartitionLog log = open();
        appendBatches(log, 2, 0);
        log.assignEpochStartOffset(3, 20);
        appendBatches(log, 2, 3);
        appendBatches(log, 1, 5);
        assertEquals(List.of(new EpochEntry(0, 0), new EpochEntry(3, 20), new EpochEntry(5, 40)), log.epochEntries());
        assertEquals(OptionalInt.of(5), log.latestEpoch());
        assertEquals(new EpochEndOffset(5, 50), log.endOffsetForEpoch(5));
        assertEquals(new EpochEndOffset(3, 40), log.endOffsetForEpoch(3));
        assertEquals(new EpochEndOffset(3, 40), log.endOffsetForEpoch(4));
        assertEquals(new EpochEndOffset(0, 20), log.endOffsetForEpoch(2));
        assertEquals(EpochEndOffset.UNDEFINED, log.endOffsetForEpoch(6));
        assertThrows(IllegalArgumentException.class, () -> log.assignEpochStartOffset(-1, 0));
    }

    @Test
    void epochBelowTheFirstKnownEndsWhereHistoryBegins() throws IOException {
        PartitionLog log = open();
        log.assignEpochStartOffset(4, 0);
        appendBatches(log, 1, 4);
        log.assignEpochStartOffset(6, 10);
        assertEquals(new EpochEndOffset(2, 0), log.endOffsetForEpoch(2));
        assertEquals(new EpochEndOffset(6, 10), log.endOffsetForEpoch(6));
    }

    @Test
    void truncationAndLogStartTrimTheEpochHistory() throws IOException {
        PartitionLog log = open(oneBatchPerSegment());
        appendBatches(log, 1, 1);
        appendBatches(log, 1, 2);
        appendBatches(log, 1, 3);
        log.truncateTo(20);
        assertEquals(List.of(new EpochEntry(1, 0), new EpochEntry(2, 10)), log.epochEntries());
        log.advanceLogStart(15);
        assertEquals(List.of(new EpochEntry(2, 15)), log.epochEntries());
    }

    @Test
    void retentionByTimeRemovesEverythingOld() throws IOException {
        PartitionLog log = open(oneBatchPerSegment().with(LogConfig.RETENTION_MS, "1000"));
        appendBatches(log, 4, 0);
        RetentionResult kept = log.enforceRetention(BASE_TIMESTAMP + 500, log.logEndOffset());
        assertEquals(0, kept.segmentsDeleted());
        assertEquals(0, log.logStartOffset());
        RetentionResult result = log.enforceRetention(BASE_TIMESTAMP + 1_000_000, log.logEndOffset());
        assertTrue(result.segmentsDeleted() > 0);
        assertTrue(result.bytesDeleted() > 0);
        assertEquals(40, result.logStartOffset());
        assertEquals(40, log.logStartOffset());
        assertEquals(40, log.logEndOffset());
        assertEquals(0, log.sizeInBytes());
        appendBatches(log, 1, 0);
        assertEquals(40, readAll(log).get(0).baseOffset());
    }

    @Test
    void retentionByTimeKeepsRecentBatches() throws IOException {
        PartitionLog log = open(oneBatchPerSegment().with(LogConfig.RETENTION_MS, "1000"));
        appendBatches(log, 2, 0);
        log.append(TestBatches.batch(20, 0, BASE_TIMESTAMP + 10_000, RECORDS, VALUE_SIZE));
        log.append(TestBatches.batch(30, 0, BASE_TIMESTAMP + 10_000, RECORDS, VALUE_SIZE));
        log.enforceRetention(BASE_TIMESTAMP + 10_500, log.logEndOffset());
        assertEquals(20, log.logStartOffset());
        assertEquals(2, readAll(log).size());
    }

    @Test
    void retentionBySizeKeepsAtLeastTheLimit() throws IOException {
        LogConfig config = oneBatchPerSegment();
        int batchSize = config.segmentBytes();
        PartitionLog log = open(config.with(LogConfig.RETENTION_BYTES, Integer.toString(batchSize * 3)));
        appendBatches(log, 6, 0);
        RetentionResult result = log.enforceRetention(BASE_TIMESTAMP, log.logEndOffset());
        assertEquals(3L * batchSize, result.bytesDeleted());
        assertEquals(30, log.logStartOffset());
        assertEquals(3L * batchSize, log.sizeInBytes());
        assertEquals(List.of(30L, 40L, 50L), readAll(log).stream().map(BatchHeader::baseOffset).toList());
    }

    @Test
    void retentionNeverDeletesAtOrAboveTheHighWatermark() throws IOException {
        PartitionLog log = open(oneBatchPerSegment().with(LogConfig.RETENTION_MS, "1000"));
        appendBatches(log, 4, 0);
        log.enforceRetention(BASE_TIMESTAMP + 1_000_000, 25);
        assertEquals(20, log.logStartOffset());
        assertEquals(2, readAll(log).size());
    }

    @Test
    void aReadRegionOutlivesTheDeletionOfItsData() throws IOException {
        PartitionLog log = open(oneBatchPerSegment().with(LogConfig.RETENTION_MS, "1000").with(LogConfig.FILE_DELETE_DELAY_MS, "0"));
        List<ByteBuffer> written = appendBatches(log, 3, 0);
        LogReadResult result = log.read(0, 1, Long.MAX_VALUE);
        log.enforceRetention(BASE_TIMESTAMP + 1_000_000, log.logEndOffset());
        assertEquals(30, log.logStartOffset());
        assertEquals(written.get(0), result.copyToHeap());
        result.release();
        result.release();
    }

    @Test
    void configurationCanBeReplaced() throws IOException {
        PartitionLog log = open();
        appendBatches(log, 4, 0);
        LogConfig tight = log.config().with(LogConfig.RETENTION_BYTES, "0").with(LogConfig.SEGMENT_BYTES, "2000");
        log.updateConfig(tight);
        assertEquals(tight, log.config());
        appendBatches(log, 4, 0);
        log.enforceRetention(BASE_TIMESTAMP, log.logEndOffset());
        assertTrue(log.logStartOffset() > 0, "retention.bytes=0 after the update removes old data");
    }

    @Test
    void flushAndCloseAreSafeAndCloseIsFinal() throws IOException {
        PartitionLog log = open();
        appendBatches(log, 2, 0);
        log.flush();
        log.close();
        log.close();
        assertThrows(IllegalStateException.class, () -> log.append(batchAt(20, 0)));
        assertThrows(IllegalStateException.class, () -> log.read(0, 100, Long.MAX_VALUE));
    }

    @Test
    void readersSeeOnlyWholeBatchesWhileAppendsGoOn() throws Exception {
        PartitionLog log = open(LogConfig.of(Map.of(LogConfig.SEGMENT_BYTES, "20000")));
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                while (!done.get()) {
                    long end = log.logEndOffset();
                    long offset = Math.max(log.logStartOffset(), end - 35);
                    // A read may stop at a segment boundary: keep reading until the end seen before.
                    long expected = -1;
                    while (offset < end) {
                        List<BatchHeader> got = headers(readBytes(log, offset, 100_000, Long.MAX_VALUE));
                        assertFalse(got.isEmpty(), "nothing at " + offset + " below the log end " + end);
                        for (BatchHeader header : got) {
                            if (expected >= 0) {
                                assertEquals(expected, header.baseOffset());
                            }
                            expected = header.nextOffset();
                        }
                        offset = expected;
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        appendBatches(log, 300, 0);
        done.set(true);
        reader.join(10_000);
        if (failure.get() != null) {
            throw new AssertionError("reader failed", failure.get());
        }
        assertEquals(3000, log.logEndOffset());
        assertEquals(300, readAll(log).size());
    }

    @Test
    void aReopenedLogHasEverythingItHadWhenClosed() throws IOException {
        assumeTrue(persistent(), "engine keeps nothing across reopen");
        PartitionLog log = open(oneBatchPerSegment());
        List<ByteBuffer> written = appendBatches(log, 5, 2);
        log.assignEpochStartOffset(7, 50);
        log.advanceLogStart(15);
        log.close();
        PartitionLog again = open(oneBatchPerSegment());
        assertEquals(15, again.logStartOffset());
        assertEquals(50, again.logEndOffset());
        assertEquals(List.of(new EpochEntry(2, 15), new EpochEntry(7, 50)), again.epochEntries());
        assertEquals(TestBatches.concat(written.subList(1, 5)), readAllBytes(again));
        assertEquals(25, again.offsetForTimestamp(BASE_TIMESTAMP + 25).orElseThrow().offset());
        appendBatches(again, 1, 7);
        assertEquals(60, again.logEndOffset());
    }

    @Test
    void deleteRemovesTheLog() throws IOException {
        PartitionLog log = open();
        appendBatches(log, 3, 0);
        log.delete();
        log.delete();
        assertThrows(IllegalStateException.class, () -> log.append(batchAt(30, 0)));
        PartitionLog fresh = open();
        assertEquals(0, fresh.logEndOffset());
        assertEquals(List.of(), fresh.epochEntries());
    }
}
