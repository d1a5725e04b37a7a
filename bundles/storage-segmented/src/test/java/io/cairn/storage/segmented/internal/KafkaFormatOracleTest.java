package io.cairn.storage.segmented.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cairn.storage.spi.LogConfig;
import io.cairn.storage.spi.LogReadResult;
import io.cairn.storage.spi.PartitionLog;
import io.cairn.storage.spi.TimestampOffset;
import io.cairn.storage.spi.TopicPartition;

/**
 * The outside oracle: batches built by kafka-clients' own record classes go in, and Kafka's own
 * {@link FileRecords} reads the segment files back, record by record; the index files are checked
 * the way Kafka's {@code DumpLogSegments --verify-index-only} checks them.
 */
class KafkaFormatOracleTest {

    private static final TopicPartition PARTITION = new TopicPartition("oracle", 3);
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path root;

    private final SegmentedStorageEngine engine = new SegmentedStorageEngine(Clock.systemUTC(), SegmentedStorageEngine.newScheduler(), 60_000);

    @AfterEach
    void stop() throws InterruptedException {
        engine.deactivate();
    }

    /** One record as the test wrote it. */
    record Expected(long offset, long timestamp, byte[] key, byte[] value, Header[] headers) {
    }

    private static final Compression[] CODECS = {
        Compression.NONE, Compression.gzip().build(), Compression.lz4().build(), Compression.zstd().build(),
        Compression.snappy().build(),
    };

    /** Writes {@code batches} batches of random records, leader epochs rising every 25 batches. */
    private static List<Expected> writeRandomBatches(PartitionLog log, int batches, Random random, boolean compressed) throws IOException {
        List<Expected> expected = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            long base = log.logEndOffset();
            int epoch = b / 25;
            Compression compression = compressed ? CODECS[b % CODECS.length] : Compression.NONE;
            boolean appendTime = b % 7 == 6;
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            MemoryRecordsBuilder builder = MemoryRecords.builder(buffer, RecordBatch.MAGIC_VALUE_V2, compression,
                    appendTime ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME, base,
                    appendTime ? T0 + b * 1000L : RecordBatch.NO_TIMESTAMP, RecordBatch.NO_PRODUCER_ID,
                    RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, false, epoch);
            int count = 1 + random.nextInt(20);
            for (int i = 0; i < count; i++) {
                // Timestamps mostly rise but jump back now and then, as producers' clocks do.
                long timestamp = T0 + b * 1000L + random.nextInt(2000) - 500;
                byte[] key = random.nextInt(4) == 0 ? null : ("key-" + random.nextInt(100)).getBytes(StandardCharsets.UTF_8);
                byte[] value = new byte[random.nextInt(1500)];
                random.nextBytes(value);
                Header[] headers = random.nextBoolean() ? new Header[0]
                        : new Header[] {new RecordHeader("h", ("v" + i).getBytes(StandardCharsets.UTF_8))};
                builder.append(timestamp, key, value, headers);
                expected.add(new Expected(base + i, appendTime ? T0 + b * 1000L : timestamp, key, value, headers));
            }
            log.append(builder.build().buffer());
        }
        return expected;
    }

    private static void assertRecord(Expected expected, Record record) {
        assertEquals(expected.offset(), record.offset());
        assertEquals(expected.timestamp(), record.timestamp(), "timestamp of " + expected.offset());
        assertArrayEquals(expected.key(), record.key() == null ? null : Utils.toArray(record.key()), "key of " + expected.offset());
        assertArrayEquals(expected.value(), Utils.toArray(record.value()), "value of " + expected.offset());
        assertArrayEquals(expected.headers(), record.headers(), "headers of " + expected.offset());
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void kafkasFileRecordsReadEverySegmentRecordByRecord() throws IOException {
        Path dir = root.resolve(PARTITION.directoryName());
        PartitionLog log = engine.open(PARTITION, dir, LogConfig.of(Map.of(
                LogConfig.SEGMENT_BYTES, Integer.toString(64 * 1024), LogConfig.INDEX_INTERVAL_BYTES, "4096")));
        List<Expected> expected = writeRandomBatches(log, 200, new Random(42), true);
        long end = log.logEndOffset();
        log.close();

        List<Path> segments = files(dir, ".log");
        assertTrue(segments.size() > 5, "several segments: " + segments.size());
        Iterator<Expected> next = expected.iterator();
        for (Path segment : segments) {
            assertTrue(segment.getFileName().toString().matches("\\d{20}\\.log"));
            assertTrue(Files.exists(dir.resolve(segment.getFileName().toString().replace(".log", ".index"))));
            assertTrue(Files.exists(dir.resolve(segment.getFileName().toString().replace(".log", ".timeindex"))));
            long base = Long.parseLong(segment.getFileName().toString().substring(0, 20));
            try (FileRecords records = FileRecords.open(segment.toFile(), false)) {
                boolean first = true;
                for (FileChannelRecordBatch batch : records.batches()) {
                    batch.ensureValid();
                    if (first) {
                        assertEquals(base, batch.baseOffset(), "segment is named after its first batch");
                        first = false;
                    }
                    for (Record record : batch) {
                        assertRecord(next.next(), record);
                    }
                }
            }
        }
        assertTrue(!next.hasNext(), "every record was found in the segments");
        assertEquals(expected.get(expected.size() - 1).offset() + 1, end);
        assertEquals(List.of("0", "8", "0 0", "1 " + firstOffsetOfBatch(expected, 25)),
                Files.readAllLines(dir.resolve("leader-epoch-checkpoint")).subList(0, 4));
    }

    private static long firstOffsetOfBatch(List<Expected> expected, int batch) throws IOException {
        // Rebuild the batch boundaries the same way the writer made them.
        Random random = new Random(42);
        long offset = 0;
        for (int b = 0; b < batch; b++) {
            int count = 1 + random.nextInt(20);
            for (int i = 0; i < count; i++) {
                random.nextInt(2000);
                if (random.nextInt(4) != 0) {
                    random.nextInt(100);
                }
                random.nextBytes(new byte[random.nextInt(1500)]);
                random.nextBoolean();
            }
            offset += count;
        }
        return offset;
    }

    @Test
    void indexesPassKafkasVerification() throws IOException {
        Path dir = root.resolve(PARTITION.directoryName());
        PartitionLog log = engine.open(PARTITION, dir, LogConfig.of(Map.of(
                LogConfig.SEGMENT_BYTES, Integer.toString(100 * 1024), LogConfig.INDEX_INTERVAL_BYTES, "2000")));
        writeRandomBatches(log, 150, new Random(7), true);
        log.close();
        int offsetEntries = 0;
        int timeEntries = 0;
        for (Path segment : files(dir, ".log")) {
            String base = segment.getFileName().toString().substring(0, 20);
            long baseOffset = Long.parseLong(base);
            try (FileRecords records = FileRecords.open(segment.toFile(), false)) {
                ByteBuffer index = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(base + ".index")));
                assertEquals(0, index.remaining() % 8);
                while (index.hasRemaining()) {
                    long offset = baseOffset + index.getInt();
                    int position = index.getInt();
                    RecordBatch batch = records.batchesFrom(position).iterator().next();
                    assertEquals(offset, batch.lastOffset(), "offset index entry points at the batch it names");
                    offsetEntries++;
                }
                ByteBuffer timeIndex = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(base + ".timeindex")));
                assertEquals(0, timeIndex.remaining() % 12);
                long previous = -1;
                while (timeIndex.hasRemaining()) {
                    long timestamp = timeIndex.getLong();
                    long offset = baseOffset + timeIndex.getInt();
                    assertTrue(timestamp > previous, "time index timestamps rise");
                    previous = timestamp;
                    RecordBatch batch = null;
                    for (RecordBatch candidate : records.batches()) {
                        if (candidate.lastOffset() >= offset) {
                            batch = candidate;
                            break;
                        }
                    }
                    assertEquals(offset, batch.lastOffset(), "time index entry names a batch's last offset");
                    long max = -1;
                    for (Record record : batch) {
                        max = Math.max(max, record.timestamp());
                    }
                    assertEquals(timestamp, max, "time index timestamp is the batch's largest");
                    timeEntries++;
                }
                // The largest timestamp of a closed segment is the last time index entry.
                long largest = -1;
                for (RecordBatch batch : records.batches()) {
                    largest = Math.max(largest, batch.maxTimestamp());
                }
                assertEquals(largest, previous);
            }
        }
        assertTrue(offsetEntries > 20, "offset index entries checked: " + offsetEntries);
        assertTrue(timeEntries > 5, "time index entries checked: " + timeEntries);
    }

    @Test
    void readRegionsAreKafkaRecordsAndTimestampLookupsMatchKafka() throws IOException {
        Path dir = root.resolve(PARTITION.directoryName());
        PartitionLog log = engine.open(PARTITION, dir, LogConfig.of(Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(50 * 1024))));
        List<Expected> expected = writeRandomBatches(log, 120, new Random(3), false);
        // Everything read through the SPI parses with MemoryRecords, in order.
        List<Record> read = new ArrayList<>();
        long offset = 0;
        while (offset < log.logEndOffset()) {
            LogReadResult result = log.read(offset, 8000, Long.MAX_VALUE);
            MemoryRecords records = MemoryRecords.readableRecords(result.copyToHeap());
            result.release();
            for (RecordBatch batch : records.batches()) {
                batch.ensureValid();
                batch.forEach(read::add);
            }
            offset = result.nextOffset();
        }
        assertEquals(expected.size(), read.size());
        for (int i = 0; i < read.size(); i++) {
            assertRecord(expected.get(i), read.get(i));
        }
        // ListOffsets: the first record, in offset order, whose timestamp is at or after the target.
        for (long target = T0 - 1000; target < T0 + 125_000; target += 777) {
            final long t = target;
            Expected answer = expected.stream().filter(e -> e.timestamp() >= t).findFirst().orElse(null);
            var found = log.offsetForTimestamp(target);
            if (answer == null) {
                assertTrue(found.isEmpty());
            } else {
                assertEquals(new TimestampOffset(answer.timestamp(), answer.offset()), found.orElseThrow(), "target " + target);
            }
        }
        log.close();
    }

    @Test
    void compressedBatchesAnswerTimestampLookupsWithTheirBaseOffset() throws IOException {
        Path dir = root.resolve(PARTITION.directoryName());
        PartitionLog log = engine.open(PARTITION, dir, LogConfig.defaults());
        List<Expected> expected = writeRandomBatches(log, 40, new Random(11), true);
        for (long target = T0; target < T0 + 40_000; target += 1313) {
            final long t = target;
            Expected exact = expected.stream().filter(e -> e.timestamp() >= t).findFirst().orElse(null);
            var found = log.offsetForTimestamp(target);
            if (exact == null) {
                assertTrue(found.isEmpty());
                continue;
            }
            assertTrue(found.orElseThrow().offset() <= exact.offset(), "never later than the exact record");
        }
        log.close();
        assertTrue(Arrays.asList(dir.toFile().list()).contains("00000000000000000000.log"));
    }

    @Test
    void aSegmentWrittenByKafkasFileRecordsOpensAndServesEveryRecord() throws IOException {
        // Kafka's own writer makes the segment; Cairn has no checkpoint or marker for it, so it
        // recovers the directory: CRC scan, indexes built, log end found.
        Path dir = root.resolve(PARTITION.directoryName());
        Files.createDirectories(dir);
        List<Expected> expected;
        try (FileRecords segment = FileRecords.open(dir.resolve("00000000000000000000.log").toFile())) {
            // The batches come from kafka-clients' builder; a scratch log only collects them.
            PartitionLog scratch = engine.open(PARTITION, root.resolve("scratch"), LogConfig.defaults());
            expected = writeRandomBatches(scratch, 60, new Random(99), true);
            LogReadResult all = scratch.read(0, Integer.MAX_VALUE, Long.MAX_VALUE);
            segment.append(MemoryRecords.readableRecords(all.copyToHeap()));
            segment.flush();
            all.release();
            scratch.delete();
        }
        PartitionLog log = engine.open(PARTITION, dir, LogConfig.defaults());
        assertEquals(expected.size(), log.logEndOffset());
        List<Record> read = new ArrayList<>();
        long offset = 0;
        while (offset < log.logEndOffset()) {
            LogReadResult result = log.read(offset, 50_000, Long.MAX_VALUE);
            MemoryRecords.readableRecords(result.copyToHeap()).batches().forEach(b -> b.forEach(read::add));
            offset = result.nextOffset();
            result.release();
        }
        for (int i = 0; i < expected.size(); i++) {
            assertRecord(expected.get(i), read.get(i));
        }
        assertEquals(List.of(0, 1, 2), log.epochEntries().stream().map(e -> e.epoch()).toList());
        log.close();
        assertTrue(Files.exists(dir.resolve("00000000000000000000.index")));
    }
}
