package io.cairn.storage.segmented.internal;

import static io.cairn.storage.segmented.internal.CompactedLogs.CODECS;
import static io.cairn.storage.segmented.internal.CompactedLogs.T0;
import static io.cairn.storage.segmented.internal.CompactedLogs.batch;
import static io.cairn.storage.segmented.internal.CompactedLogs.headers;
import static io.cairn.storage.segmented.internal.CompactedLogs.readBatches;
import static io.cairn.storage.segmented.internal.CompactedLogs.readThroughLog;
import static io.cairn.storage.segmented.internal.CompactedLogs.records;
import static io.cairn.storage.segmented.internal.CompactedLogs.writeRounds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.cairn.storage.segmented.internal.CompactedLogs.Batch;
import io.cairn.storage.segmented.internal.CompactedLogs.Rec;
import io.cairn.storage.spi.LogConfig;
import io.cairn.storage.spi.LogReadResult;
import io.cairn.storage.spi.PartitionLog;
import io.cairn.storage.spi.TopicPartition;

/**
 * The log cleaner of the segmented engine, driven by hand ({@link LogCleaner#cleanFilthiestLog()})
 * with a manual clock; Kafka's {@code FileRecords} reads every cleaned segment back.
 */
class LogCleanerTest {

    private static final TopicPartition PARTITION = new TopicPartition("compacted", 0);
    private static final long DELETE_RETENTION_MS = 10_000;

    @TempDir
    Path root;

    private final ManualClock clock = new ManualClock(T0 + 1_000_000);
    private final List<SegmentedStorageEngine> engines = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (SegmentedStorageEngine engine : engines) {
            engine.deactivate();
        }
    }

    private SegmentedStorageEngine engine() {
        SegmentedStorageEngine engine = new SegmentedStorageEngine(clock, SegmentedStorageEngine.newScheduler(), 60_000,
                CleanerConfig.defaults());
        engines.add(engine);
        return engine;
    }

    private Path dir() {
        return root.resolve(PARTITION.directoryName());
    }

    private static LogConfig compacted(int segmentBytes) {
        return LogConfig.of(Map.of("cleanup.policy", "compact", LogConfig.SEGMENT_BYTES, Integer.toString(segmentBytes),
                LogConfig.INDEX_INTERVAL_BYTES, "1024", "delete.retention.ms", Long.toString(DELETE_RETENTION_MS),
                LogConfig.FILE_DELETE_DELAY_MS, "0"));
    }

    /** What a cleaning up to {@code mapEnd} keeps: the latest record of each key below it, everything from it on. */
    private static List<Rec> expectedAfterCleaning(List<Rec> written, long mapEnd, boolean tombstonesExpired) {
        Map<String, Long> latest = new HashMap<>();
        for (Rec r : written) {
            if (r.offset() < mapEnd && r.key() != null) {
                latest.put(r.key(), r.offset());
            }
        }
        List<Rec> kept = new ArrayList<>();
        for (Rec r : written) {
            if (r.offset() >= mapEnd) {
                kept.add(r);
            } else if (r.key() != null && latest.get(r.key()) == r.offset() && !(r.value() == null && tombstonesExpired)) {
                kept.add(r);
            }
        }
        return kept;
    }

    private static Map<String, String> latestValues(List<Rec> records) {
        Map<String, String> latest = new LinkedHashMap<>();
        for (Rec r : records) {
            if (r.key() == null) {
                continue;
            }
            if (r.value() == null) {
                latest.remove(r.key());
            } else {
                latest.put(r.key(), r.value());
            }
        }
        return latest;
    }

    private static void assertStrictlyIncreasing(List<Rec> records) {
        for (int i = 1; i < records.size(); i++) {
            assertTrue(records.get(i).offset() > records.get(i - 1).offset(),
                    "offsets increase: " + records.get(i - 1).offset() + " then " + records.get(i).offset());
        }
    }

    // ------------------------------------------------------------------------------------ tests

    @ParameterizedTest(name = "codec {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void keysOverwrittenManyTimesLeaveTheirLatestRecordWithOffsetsTimestampsHeadersAndCodec(int codecIndex) throws IOException {
        Compression codec = CODECS[codecIndex];
        SegmentedStorageEngine engine = engine();
        PartitionLog log = engine.open(PARTITION, dir(), compacted(16 * 1024));
        List<Rec> written = new ArrayList<>(writeRounds(log, 50, 20, 7, codec, 4242L, 60));
        // Keyless records in a compacted log: the broker refuses them, the cleaner drops them.
        long keylessOffset = log.logEndOffset();
        Rec keyless = new Rec(keylessOffset, T0, null, "no key", List.of());
        log.append(batch(keylessOffset, codec, -1, (short) -1, -1, List.of(keyless)));
        written.add(keyless);
        written.addAll(writeRounds(log, 50, 10, 7, codec, 4242L, 60));
        List<Batch> before = readBatches(dir());
        Map<Long, Batch> originalByBase = new HashMap<>();
        before.forEach(b -> originalByBase.put(b.baseOffset(), b));

        Optional<Cleaner.Result> result = engine.cleaner().cleanFilthiestLog();

        assertTrue(result.isPresent(), "a log with 20 versions of each key is dirty enough");
        long mapEnd = result.get().mapEnd();
        assertTrue(mapEnd > keylessOffset, "the cleaning covered the keyless record");
        assertTrue(result.get().bytesAfter() < result.get().bytesBefore() / 4, result.get().toString());
        List<Batch> after = readBatches(dir());
        List<Rec> kept = records(after);
        List<Rec> expected = expectedAfterCleaning(written, mapEnd, false);
        assertEquals(expected, kept, "one record per key below the cleaned offset, everything after it, byte for byte");
        assertStrictlyIncreasing(kept);
        assertTrue(kept.stream().noneMatch(r -> r.key() == null), "keyless records dropped");
        for (Batch batch : after) {
            Batch original = originalByBase.get(batch.baseOffset());
            assertNotNull(original, "a cleaned batch keeps its base offset: " + batch.baseOffset());
            assertEquals(original.lastOffset(), batch.lastOffset(), "and its last offset");
            assertEquals(original.producerId(), batch.producerId());
            assertEquals(original.producerEpoch(), batch.producerEpoch());
            assertEquals(original.baseSequence(), batch.baseSequence());
            if (!batch.records().isEmpty()) {
                assertEquals(codec.type().id, batch.codec(), "recompressed with the batch's own codec");
            }
        }
        assertEquals(latestValues(written), latestValues(readThroughLog(log)), "every key's latest value is served");
        assertEquals(expected, readThroughLog(log));
        log.close();

        // Reopened: the same records, and nothing left to clean.
        SegmentedStorageEngine again = engine();
        PartitionLog reopened = again.open(PARTITION, dir(), compacted(16 * 1024));
        assertEquals(expected, readThroughLog(reopened));
        assertTrue(again.cleaner().cleanFilthiestLog().isEmpty(), "the checkpoint says the log is clean");
        reopened.close();
    }

    @Test
    void smallSegmentsAreGroupedUpToSegmentBytes() throws IOException {
        SegmentedStorageEngine engine = engine();
        PartitionLog log = engine.open(PARTITION, dir(), compacted(8 * 1024));
        List<Rec> written = writeRounds(log, 20, 40, 5, Compression.NONE, -1, 40);
        int segmentsBefore = CompactedLogs.segmentFiles(dir()).size();
        log.updateConfig(compacted(256 * 1024));

        Cleaner.Result result = engine.cleaner().cleanFilthiestLog().orElseThrow();

        int segmentsAfter = CompactedLogs.segmentFiles(dir()).size();
        assertTrue(segmentsBefore > 5, "several small segments: " + segmentsBefore);
        assertEquals(2, segmentsAfter, "the cleaned ones became one, plus the active segment");
        assertEquals(expectedAfterCleaning(written, result.mapEnd(), false), records(readBatches(dir())));
        log.close();
    }

    @Test
    void tombstonesStayForDeleteRetentionAfterTheCleaningThenGo() throws IOException {
        SegmentedStorageEngine engine = engine();
        PartitionLog log = engine.open(PARTITION, dir(), compacted(4 * 1024));
        List<Rec> written = new ArrayList<>(writeRounds(log, 10, 10, 5, Compression.NONE, -1, 40));
        List<Rec> tombstones = new ArrayList<>();
        for (int k = 0; k < 10; k += 2) {
            long offset = log.logEndOffset();
            Rec tombstone = new Rec(offset, T0 + offset, "key-" + k, null, List.of());
            log.append(batch(offset, Compression.NONE, -1, (short) -1, -1, List.of(tombstone)));
            tombstones.add(tombstone);
        }
        written.addAll(tombstones);
        // Then key-0 many times more (its tombstone is superseded; the others are not).
        writeRounds(log, 1, 200, 1, Compression.NONE, -1, 40);
        written = records(readBatches(dir()));

        long firstCleaning = clock.millis();
        Cleaner.Result first = engine.cleaner().cleanFilthiestLog().orElseThrow();
        List<Batch> afterFirst = readBatches(dir());
        List<Rec> keptFirst = records(afterFirst);
        assertEquals(expectedAfterCleaning(written, first.mapEnd(), false), keptFirst);
        long tombstonesKept = keptFirst.stream().filter(r -> r.value() == null).count();
        assertTrue(tombstonesKept > 0, "tombstones survive the first cleaning");
        for (Batch b : afterFirst) {
            if (b.lastOffset() < first.mapEnd() && b.records().stream().anyMatch(r -> r.value() == null)) {
                assertEquals(firstCleaning + DELETE_RETENTION_MS, b.deleteHorizon(),
                        "a batch keeping a tombstone carries its delete horizon (KIP-534)");
            }
        }

        clock.advance(DELETE_RETENTION_MS - 1);
        assertTrue(engine.cleaner().cleanFilthiestLog().isEmpty(), "nothing dirty, no horizon passed yet");
        assertEquals(keptFirst, records(readBatches(dir())));

        clock.advance(1);
        Cleaner.Result second = engine.cleaner().cleanFilthiestLog().orElseThrow();
        List<Rec> keptSecond = records(readBatches(dir()));
        assertEquals(expectedAfterCleaning(written, second.mapEnd(), true), keptSecond);
        assertTrue(keptSecond.stream().noneMatch(r -> r.value() == null && r.offset() < second.mapEnd()),
                "tombstones past their horizon are gone");
        assertEquals(latestValues(written), latestValues(readThroughLog(log)));
        log.close();
    }

    @Test
    void theLastBatchOfAProducerStaysAsAnEmptyBatch() throws IOException {
        SegmentedStorageEngine engine = engine();
        PartitionLog log = engine.open(PARTITION, dir(), compacted(2 * 1024));
        long producer = 77;
        log.append(batch(0, Compression.NONE, producer, (short) 3, 0,
                List.of(new Rec(0, T0, "key-0", "old", List.of()), new Rec(1, T0, "key-1", "old", List.of()))));
        List<Rec> written = new ArrayList<>(records(readBatches(dir())));
        written.addAll(writeRounds(log, 2, 30, 2, Compression.NONE, -1, 40).stream().toList());
        written = records(readBatches(dir()));

        engine.cleaner().cleanFilthiestLog().orElseThrow();

        Batch first = readBatches(dir()).get(0);
        assertEquals(0, first.baseOffset());
        assertEquals(1, first.lastOffset());
        assertEquals(producer, first.producerId());
        assertEquals(3, first.producerEpoch());
        assertEquals(0, first.baseSequence());
        assertTrue(first.records().isEmpty(), "every record superseded, the producer's last batch kept empty");
        assertEquals(latestValues(written), latestValues(readThroughLog(log)));
        log.close();
    }

    @Test
    void controlBatchesAreKeptIntact() throws IOException {
        SegmentedStorageEngine engine = engine();
        PartitionLog log = engine.open(PARTITION, dir(), compacted(2 * 1024));
        ByteBuffer marker = org.apache.kafka.common.record.internal.MemoryRecords.withEndTransactionMarker(0, T0, 0, 99L,
                (short) 1, new org.apache.kafka.common.record.internal.EndTransactionMarker(
                        org.apache.kafka.common.record.internal.ControlRecordType.COMMIT, 0)).buffer();
        byte[] markerBytes = new byte[marker.remaining()];
        marker.duplicate().get(markerBytes);
        log.append(marker);
        writeRounds(log, 2, 30, 2, Compression.NONE, -1, 40);

        engine.cleaner().cleanFilthiestLog().orElseThrow();

        Batch first = readBatches(dir()).get(0);
        assertTrue(first.control());
        byte[] onDisk = new byte[markerBytes.length];
        ByteBuffer.wrap(Files.readAllBytes(dir().resolve("00000000000000000000.log")), 0, onDisk.length).get(onDisk);
        assertArrayEquals(markerBytes, onDisk, "the control batch byte for byte");
        log.close();
    }

    @Test
    void compactOnlyLogsAreNotTouchedByRetentionButCompactDeleteLogsAre() throws IOException {
        SegmentedStorageEngine engine = engine();
        LogConfig compactOnly = compacted(2 * 1024).with(LogConfig.RETENTION_MS, "1000");
        PartitionLog log = engine.open(PARTITION, dir(), compactOnly);
        writeRounds(log, 5, 40, 5, Compression.NONE, -1, 40);
        long size = log.sizeInBytes();
        assertEquals(0, log.enforceRetention(clock.millis() + 1_000_000_000L, Long.MAX_VALUE).segmentsDeleted());
        assertEquals(size, log.sizeInBytes());
        log.updateConfig(compactOnly.with("cleanup.policy", "compact,delete"));
        assertTrue(log.enforceRetention(clock.millis() + 1_000_000_000L, Long.MAX_VALUE).segmentsDeleted() > 0);
        log.close();
    }

    @Test
    void deletePolicyLogsAreNeverCleaned() throws IOException {
        SegmentedStorageEngine engine = engine();
        PartitionLog log = engine.open(PARTITION, dir(), compacted(2 * 1024).with("cleanup.policy", "delete"));
        writeRounds(log, 5, 40, 5, Compression.NONE, -1, 40);
        assertTrue(engine.cleaner().cleanFilthiestLog().isEmpty());
        log.close();
    }

    @Test
    void theCheckpointIsPerLogDirAndTheNextCleaningStartsThere() throws IOException {
        // Another partition of the same log dir, not opened by this engine: its line stays.
        Files.createDirectories(root);
        Files.write(root.resolve("cleaner-offset-checkpoint"), List.of("0", "1", "other 3 42"));
        SegmentedStorageEngine engine = engine();
        PartitionLog log = engine.open(PARTITION, dir(), compacted(4 * 1024));
        writeRounds(log, 10, 20, 5, Compression.NONE, -1, 40);
        Cleaner.Result first = engine.cleaner().cleanFilthiestLog().orElseThrow();
        Path checkpoint = root.resolve("cleaner-offset-checkpoint");
        assertEquals(List.of("0", "2", "compacted 0 " + first.mapEnd(), "other 3 42"), Files.readAllLines(checkpoint),
                "Kafka's format: version, count, topic partition offset");
        log.close();

        SegmentedStorageEngine again = engine();
        PartitionLog reopened = again.open(PARTITION, dir(), compacted(4 * 1024));
        writeRounds(reopened, 10, 20, 5, Compression.NONE, -1, 40);
        Cleaner.Result second = again.cleaner().cleanFilthiestLog().orElseThrow();
        assertEquals(first.mapEnd(), second.firstDirty(), "resumed where the first cleaning stopped");
        reopened.truncateTo(first.mapEnd() - 5);
        assertEquals(List.of("0", "2", "compacted 0 " + (first.mapEnd() - 5), "other 3 42"), Files.readAllLines(checkpoint),
                "truncation below the checkpoint lowers it");
        reopened.delete();
        assertEquals(List.of("0", "1", "other 3 42"), Files.readAllLines(checkpoint), "a deleted log leaves the checkpoint");
    }

    @Test
    void minCompactionLagKeepsRecentSegmentsDirty() throws IOException {
        SegmentedStorageEngine engine = engine();
        LogConfig config = compacted(4 * 1024).with("min.compaction.lag.ms", "60000");
        PartitionLog log = engine.open(PARTITION, dir(), config);
        // Record timestamps T0 + offset: "now" is about 1,000 s later, so everything is old enough...
        writeRounds(log, 10, 20, 5, Compression.NONE, -1, 40);
        // ...unless the lag is longer than that.
        log.updateConfig(config.with("min.compaction.lag.ms", Long.toString(10_000_000)));
        assertTrue(engine.cleaner().cleanFilthiestLog().isEmpty(), "every segment is too recent");
        log.updateConfig(config);
        assertTrue(engine.cleaner().cleanFilthiestLog().isPresent());
        log.close();
    }

    /** Simulated crash: the swap stops dead at a step, the process "dies" (the log is abandoned). */
    static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Crash(SegmentedLog.SwapStep step) {
            super("crash at " + step);
        }
    }

    @ParameterizedTest(name = "crash at {0}")
    @EnumSource(SegmentedLog.SwapStep.class)
    void aCrashAtEveryStepOfTheSwapLeavesALogThatLoadsWithNothingLostOrDuplicated(SegmentedLog.SwapStep step) throws IOException {
        // The reference: the same log, cleaned without a crash.
        Path referenceDir = root.resolve("reference").resolve(PARTITION.directoryName());
        SegmentedStorageEngine referenceEngine = engine();
        PartitionLog reference = referenceEngine.open(PARTITION, referenceDir, compacted(4 * 1024));
        List<Rec> written = writeRounds(reference, 20, 15, 6, Compression.lz4().build(), 5, 40);
        reference.updateConfig(compacted(1 << 20)); // every cleaned segment in one group: one swap
        referenceEngine.cleaner().cleanFilthiestLog().orElseThrow();
        List<Rec> cleaned = records(readBatches(referenceDir));
        reference.close();

        SegmentedStorageEngine engine = engine();
        PartitionLog log = engine.open(PARTITION, dir(), compacted(4 * 1024));
        assertEquals(written, writeRounds(log, 20, 15, 6, Compression.lz4().build(), 5, 40));
        log.updateConfig(compacted(1 << 20));
        ((SegmentedLog) log).swapHook = at -> {
            if (at == step) {
                throw new Crash(at);
            }
        };
        assertTrue(engine.cleaner().cleanFilthiestLog().isEmpty(), "the cleaning died");
        // kill -9: the log is not closed; a new process opens the directory.

        SegmentedStorageEngine restarted = engine();
        PartitionLog recovered = restarted.open(PARTITION, dir(), compacted(1 << 20));
        List<Rec> expected = step == SegmentedLog.SwapStep.CLEANED_WRITTEN ? written : cleaned;
        assertEquals(expected, records(readBatches(dir())), "Kafka's FileRecords reads the recovered segments");
        assertEquals(expected, readThroughLog(recovered), "and the log serves exactly them");
        try (Stream<Path> files = Files.list(dir())) {
            List<String> leftovers = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".cleaned") || n.endsWith(".swap") || n.endsWith(".deleted")).toList();
            assertEquals(List.of(), leftovers);
        }
        // The recovered log takes appends and cleans again.
        List<Rec> more = writeRounds(recovered, 20, 5, 6, Compression.lz4().build(), 5, 40);
        List<Rec> all = new ArrayList<>(expected);
        all.addAll(more);
        restarted.cleaner().cleanFilthiestLog();
        assertEquals(latestValues(all), latestValues(readThroughLog(recovered)));
        recovered.close();
    }

    @Test
    void aConcurrentReaderAlwaysGetsValidBatchesAndEveryKeysLatestValue() throws Exception {
        SegmentedStorageEngine engine = engine();
        PartitionLog log = engine.open(PARTITION, dir(), compacted(8 * 1024));
        List<Rec> written = new ArrayList<>(writeRounds(log, 30, 10, 4, Compression.gzip().build(), 9, 50));
        // A region read before any cleaning stays valid after its segment is replaced.
        LogReadResult held = log.read(0, 4096, Long.MAX_VALUE);
        ByteBuffer heldBytes = held.copyToHeap();

        AtomicReference<Throwable> failure = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger passes = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.Semaphore passDone = new java.util.concurrent.Semaphore(0);
        java.util.concurrent.ConcurrentHashMap<String, Long> latestWritten = new java.util.concurrent.ConcurrentHashMap<>();
        written.forEach(r -> latestWritten.put(r.key(), r.offset()));
        Thread reader = new Thread(() -> {
            try {
                while (!stop.get()) {
                    Map<String, Long> snapshot = new HashMap<>(latestWritten);
                    Map<String, Long> seen = new HashMap<>();
                    List<Rec> pass = readThroughLog(log); // CRCs checked batch by batch
                    assertStrictlyIncreasing(pass);
                    pass.forEach(r -> seen.put(r.key(), r.offset()));
                    snapshot.forEach((key, offset) -> assertTrue(seen.getOrDefault(key, -1L) >= offset,
                            "key " + key + ": latest offset " + offset + " seen as " + seen.get(key)));
                    passes.incrementAndGet();
                    passDone.release();
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        reader.start();
        int cleanings = 0;
        for (int round = 0; round < 8; round++) {
            List<Rec> more = writeRounds(log, 30, 10, 4, Compression.gzip().build(), 9, 50);
            more.forEach(r -> latestWritten.put(r.key(), r.offset()));
            if (engine.cleaner().cleanFilthiestLog().isPresent()) {
                cleanings++;
            }
        }
        // Two more whole passes over the final log (bounded wait), then stop the reader.
        passDone.drainPermits();
        boolean twoMore = passDone.tryAcquire(2, 30, java.util.concurrent.TimeUnit.SECONDS);
        stop.set(true);
        reader.join(30_000);
        if (failure.get() != null) {
            throw new AssertionError("the reader failed", failure.get());
        }
        assertTrue(cleanings >= 4, "cleanings: " + cleanings);
        assertTrue(twoMore && passes.get() > 2, "reader passes: " + passes.get());
        assertEquals(heldBytes, held.copyToHeap(), "a region held across cleanings reads the same bytes");
        held.release();
        log.close();
    }

    @Test
    void theSwapIsRefusedWhenTheLogWasTruncatedOrTheSegmentsDeletedMeanwhile() throws IOException {
        SegmentedStorageEngine engine = engine();
        SegmentedLog log = (SegmentedLog) engine.open(PARTITION, dir(), compacted(4 * 1024));
        writeRounds(log, 10, 20, 5, Compression.NONE, -1, 40);
        SegmentedLog.CleanerView view = log.cleanerView();
        log.truncateTo(log.logEndOffset() - 1);
        assertFalse(log.replaceSegments(view.segments().subList(0, 2), view.truncations()), "truncated since");
        view = log.cleanerView();
        log.advanceLogStart(view.segments().get(1).baseOffset());
        assertFalse(log.replaceSegments(view.segments().subList(0, 2), view.truncations()), "a segment deleted since");
        List<Rec> before = records(readBatches(dir()));
        engine.cleaner().unregister(log, false);
        assertTrue(engine.cleaner().cleanFilthiestLog().isEmpty(), "a log that left the cleaner is not cleaned");
        assertEquals(before, records(readBatches(dir())));
        log.close();
    }

    @ParameterizedTest(name = "codec {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void largeBatchesRoundTripThroughKafkasCodecs(int codecIndex) throws IOException {
        // 3,000 records of ~150 bytes: several 64 KiB lz4 blocks, multi-chunk gzip/zstd/snappy streams.
        Compression codec = CODECS[codecIndex];
        List<Rec> recs = new ArrayList<>();
        java.util.Random random = new java.util.Random(codecIndex);
        for (int i = 0; i < 3_000; i++) {
            byte[] noise = new byte[40];
            random.nextBytes(noise);
            recs.add(new Rec(1000 + i, T0 + i, "key-" + i, java.util.HexFormat.of().formatHex(noise) + "-value-" + i,
                    headers("h" + i)));
        }
        BatchRecords decoded = BatchRecords.decode(batch(1000, codec, -1, (short) -1, -1, recs));
        assertEquals(3_000, decoded.records().size(), "our decompression reads Kafka's");
        List<BatchRecords.Record> everyOther = new ArrayList<>();
        for (int i = 0; i < decoded.records().size(); i += 2) {
            everyOther.add(decoded.records().get(i));
        }
        RecordBatch rebuilt = org.apache.kafka.common.record.internal.MemoryRecords
                .readableRecords(decoded.rebuild(everyOther, -1)).batches().iterator().next();
        rebuilt.ensureValid();
        assertEquals(codec.type(), rebuilt.compressionType());
        List<org.apache.kafka.common.record.internal.Record> read = new ArrayList<>();
        rebuilt.forEach(read::add);
        assertEquals(1_500, read.size(), "Kafka's decompression reads ours");
        for (int i = 0; i < read.size(); i++) {
            Rec expected = recs.get(2 * i);
            assertEquals(expected.offset(), read.get(i).offset());
            assertEquals(expected.timestamp(), read.get(i).timestamp());
            assertEquals(expected.value(), new String(org.apache.kafka.common.utils.Utils.toArray(read.get(i).value()),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void cleanerThreadsCleanEveryCompactedLogOnTheirOwn() throws Exception {
        Map<String, Object> broker = Map.of("log.cleaner.threads", "2", "log.cleaner.backoff.ms", "10");
        SegmentedStorageEngine engine = new SegmentedStorageEngine(clock, SegmentedStorageEngine.newScheduler(), 60_000,
                CleanerConfig.from(broker));
        engines.add(engine);
        List<PartitionLog> logs = new ArrayList<>();
        List<List<Rec>> written = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            TopicPartition tp = new TopicPartition("threads", p);
            PartitionLog log = engine.open(tp, root.resolve(tp.directoryName()), compacted(4 * 1024));
            written.add(writeRounds(log, 10, 30, 5, CODECS[p], -1, 40));
            logs.add(log);
        }
        long[] before = logs.stream().mapToLong(PartitionLog::sizeInBytes).toArray();
        engine.cleaner().start();
        // Poll (bounded) until every log has been cleaned by the threads.
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (int p = 0; p < logs.size(); p++) {
            while (logs.get(p).sizeInBytes() > before[p] / 2) {
                assertTrue(System.nanoTime() < deadline, "threads-" + p + " not cleaned: " + logs.get(p).sizeInBytes());
                Thread.sleep(10);
            }
        }
        engine.deactivate(); // stops the threads; the logs stay usable
        engines.remove(engine);
        for (int p = 0; p < logs.size(); p++) {
            assertEquals(latestValues(written.get(p)), latestValues(readThroughLog(logs.get(p))));
            logs.get(p).close();
        }
    }

    @Test
    void batchRecordsRebuildIsReadByKafka() throws IOException {
        // A direct check of the rewriting: every codec, a horizon, records re-based on it.
        for (Compression codec : CODECS) {
            List<Rec> recs = List.of(new Rec(10, T0 + 5, "a", "1", headers("x")), new Rec(11, T0 - 7, "b", null, List.of()),
                    new Rec(12, T0 + 9, "c", "3", headers("z")));
            ByteBuffer original = batch(10, codec, 3, (short) 2, 100, recs);
            BatchRecords decoded = BatchRecords.decode(original);
            assertEquals(3, decoded.records().size());
            ByteBuffer rebuilt = decoded.rebuild(List.of(decoded.records().get(1), decoded.records().get(2)), T0 + 999);
            RecordBatch batch = org.apache.kafka.common.record.internal.MemoryRecords.readableRecords(rebuilt).batches()
                    .iterator().next();
            batch.ensureValid();
            assertEquals(10, batch.baseOffset());
            assertEquals(12, batch.lastOffset());
            assertEquals(codec.type(), batch.compressionType());
            assertEquals(T0 + 999, batch.deleteHorizonMs().getAsLong());
            assertEquals(T0 + 9, batch.maxTimestamp());
            List<org.apache.kafka.common.record.internal.Record> read = new ArrayList<>();
            batch.forEach(read::add);
            assertEquals(2, read.size());
            assertEquals(11, read.get(0).offset());
            assertEquals(T0 - 7, read.get(0).timestamp());
            assertNull(read.get(0).value());
            assertEquals(12, read.get(1).offset());
            assertEquals(T0 + 9, read.get(1).timestamp());
            assertEquals(1, read.get(1).headers().length);
        }
    }
}
